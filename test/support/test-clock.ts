import { Clock } from '../../apps/organizations/src/commands/clock.js';

/** A clock that tests move by hand. */
export class TestClock extends Clock {
  constructor(private current = new Date('2026-12-01T09:00:00.000Z')) {
    super();
  }

  now(): Date {
    return new Date(this.current);
  }

  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}
