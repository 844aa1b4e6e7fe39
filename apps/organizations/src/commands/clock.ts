import { randomBytes } from 'node:crypto';

import { uuidV7 } from '@org/domain';

/** Time and fresh ids, injected so that tests control them. */
export abstract class Clock {
  abstract now(): Date;

  newId(): string {
    return uuidV7(this.now().getTime(), randomBytes(10));
  }
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}
