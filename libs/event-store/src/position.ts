import type { Position } from './event-store.port.js';

/** Orders two positions of the same log: by `commit`, then `prepare`. */
export function comparePositions(a: Position, b: Position): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}

/** The position of an embedded store, whose one sequence serves as both. */
export function sequencePosition(sequence: bigint): Position {
  return { commit: sequence, prepare: sequence };
}
