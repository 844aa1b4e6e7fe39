import type { Position } from '@org/event-store';

import { InvalidQueryError } from './errors.js';

/** A log position as JSON carries it: the bigints as decimal strings. */
export interface PositionJson {
  readonly commit: string;
  readonly prepare: string;
}

// Wide enough for any unsigned 64-bit position, so that keys sort as numbers.
const KEY_DIGITS = 20;
const KEY_PATTERN = /^(\d{20}):(\d{20})$/;

export function positionToJson(position: Position): PositionJson {
  return {
    commit: position.commit.toString(),
    prepare: position.prepare.toString(),
  };
}

/** Reads a position given as JSON; throws {@link InvalidQueryError} when malformed. */
export function positionFromJson(json: PositionJson): Position {
  if (!/^\d+$/.test(json.commit) || !/^\d+$/.test(json.prepare)) {
    throw new InvalidQueryError(
      'a position is two non-negative integers, commit and prepare',
    );
  }
  return { commit: BigInt(json.commit), prepare: BigInt(json.prepare) };
}

/** Whether `a` comes after `b` in the log: by commit, then prepare position. */
export function isAfter(a: Position, b: Position): boolean {
  return a.commit === b.commit ? a.prepare > b.prepare : a.commit > b.commit;
}

/**
 * A string of fixed width whose byte order is the order of positions, for
 * sorted sets and cursors.
 */
export function positionKey(position: Position): string {
  return (
    position.commit.toString().padStart(KEY_DIGITS, '0') +
    ':' +
    position.prepare.toString().padStart(KEY_DIGITS, '0')
  );
}

/** The position of a {@link positionKey}; throws {@link InvalidQueryError} when malformed. */
export function positionFromKey(key: string): Position {
  const match = KEY_PATTERN.exec(key);
  if (match?.[1] === undefined || match[2] === undefined) {
    throw new InvalidQueryError(`${key} is not a log position key`);
  }
  return { commit: BigInt(match[1]), prepare: BigInt(match[2]) };
}
