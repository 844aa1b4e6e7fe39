import { describe, expect, it } from '@jest/globals';

import {
  progressBar,
  progressCounter,
  renderProgress,
} from './progress-bar.js';

describe('renderProgress', () => {
  it.each([
    [0, 10, '[..............................] 0%'],
    [5, 10, '[###############...............] 50%'],
    [10, 10, '[##############################] 100%'],
    [0, 0, '[##############################] 100%'],
  ])('draws %p of %p', (done, total, bar) => {
    expect(renderProgress('events.sqlite', done, total)).toBe(
      `events.sqlite ${bar}`,
    );
  });
});

describe('progressBar', () => {
  it('redraws in place and ends the line', () => {
    let written = '';
    const bar = progressBar(
      { write: (text) => (written += text), isTTY: true },
      'f',
      true,
    );

    bar.update(1, 2);
    bar.update(2, 2);
    bar.finish();

    expect(written).toBe(
      `\r${renderProgress('f', 1, 2)}\r${renderProgress('f', 2, 2)}\n`,
    );
  });

  it('writes nothing when nobody watches', () => {
    let written = '';
    const bar = progressBar(
      { write: (text) => (written += text), isTTY: false },
      'f',
      false,
    );

    bar.update(1, 2);
    bar.finish();

    expect(written).toBe('');
  });
});

describe('progressCounter', () => {
  it('counts in place and ends the line with the last count', () => {
    let written = '';
    const counter = progressCounter(
      { write: (text) => (written += text), isTTY: true },
      'audit.csv',
      true,
      0,
    );

    counter.update(10);
    counter.update(25);
    counter.finish();

    expect(written).toBe(
      '\raudit.csv: 10 entries\raudit.csv: 25 entries\raudit.csv: 25 entries\n',
    );
  });

  it('writes nothing when disabled', () => {
    let written = '';
    const counter = progressCounter(
      { write: (text) => (written += text), isTTY: false },
      'audit.csv',
      false,
    );

    counter.update(10);
    counter.finish();

    expect(written).toBe('');
  });
});
