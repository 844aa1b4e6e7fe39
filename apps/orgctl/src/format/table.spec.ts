import { describe, expect, it } from '@jest/globals';

import { renderFields, renderTable } from './table.js';

describe('renderTable', () => {
  it('aligns columns under a header and a rule, without trailing spaces', () => {
    expect(
      renderTable(
        ['resource', 'limit', 'usage'],
        [
          ['devices', 'unlimited', '3'],
          ['users', '50', ''],
        ],
      ),
    ).toBe(
      [
        'resource  limit      usage',
        '--------  ---------  -----',
        'devices   unlimited  3',
        'users     50',
      ].join('\n'),
    );
  });

  it('measures characters, not code units', () => {
    expect(renderTable(['name'], [['Zürich 🚀'], ['x']])).toBe(
      ['name', '--------', 'Zürich 🚀', 'x'].join('\n'),
    );
  });
});

describe('renderFields', () => {
  it('aligns the values after the longest label', () => {
    expect(
      renderFields([
        ['status', 'active'],
        ['display name', 'Acme IoT'],
        ['', ''],
      ]),
    ).toBe(['status        active', 'display name  Acme IoT', ''].join('\n'));
  });
});
