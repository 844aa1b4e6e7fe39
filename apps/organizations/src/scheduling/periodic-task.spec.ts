import { describe, expect, it } from '@jest/globals';

import { PeriodicTask } from './periodic-task.js';

describe('PeriodicTask', () => {
  it('runs one run at a time: a call during a run joins it', async () => {
    let runs = 0;
    let finish: () => void = () => undefined;
    const task = new PeriodicTask(async () => {
      runs += 1;
      await new Promise<void>((resolve) => {
        finish = resolve;
      });
      return runs;
    });
    const first = task.runOnce();
    const second = task.runOnce();
    finish();
    expect(await Promise.all([first, second])).toEqual([1, 1]);
    const third = task.runOnce();
    finish();
    expect(await third).toBe(2);
  });

  it('waits on stop for the run in flight', async () => {
    let done = false;
    let finish: () => void = () => undefined;
    const task = new PeriodicTask(async () => {
      await new Promise<void>((resolve) => {
        finish = resolve;
      });
      done = true;
    });
    void task.runOnce();
    const stopped = task.stop().then(() => done);
    finish();
    expect(await stopped).toBe(true);
  });
});
