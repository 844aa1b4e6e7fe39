import type { Position, RecordedEvent } from '@org/event-store';

import { positionToJson, type PositionJson } from '../shared/positions.js';

/**
 * The storage of one read model as its projection sees it: numbered
 * generations (complete copies of the model), one of them active and
 * answering queries, each with its own checkpoint.
 */
export interface GenerationStore {
  /** The read model's name in keys and tables: `directory` or `audit`. */
  readonly model: string;
  /** The generation queries read; the first call creates generation 1. */
  activeGeneration(): Promise<number>;
  /** A new, empty generation with no checkpoint; not yet active. */
  createGeneration(): Promise<number>;
  /**
   * Builds what only queries of the generation need and a bulk load goes
   * faster without (the SQLite indexes); nothing to do when it is there.
   * The follower calls it once the generation has caught up with the log.
   */
  indexGeneration?(generation: number): Promise<void>;
  /** Makes the generation the one queries read, in one atomic switch. */
  activateGeneration(generation: number): Promise<void>;
  /** Deletes an inactive generation with everything in it. */
  dropGeneration(generation: number): Promise<void>;
  /** Generations that exist but are not active, e.g. of an interrupted rebuild. */
  inactiveGenerations(): Promise<number[]>;
  /** The position of the last event applied to the generation; `null` before the first. */
  readCheckpoint(generation: number): Promise<Position | null>;
  /**
   * A SHA-256 digest of the generation's whole content, checkpoint
   * included; the active one by default. Equal digests mean equal models.
   */
  checksum(generation?: number): Promise<string>;
}

/** What turns events into one read model. */
export interface Projection {
  /** The projection's name in status, logs and metrics. */
  readonly name: string;
  readonly store: GenerationStore;
  /**
   * Applies events, in log order and all after `expected`, to a generation
   * and stores the read-model change together with the new checkpoint in
   * one atomic step, which fails with `CheckpointConflictError` when the
   * stored checkpoint is not `expected`. Returns the new checkpoint.
   *
   * An event that cannot be applied ends the batch: the events before it
   * are committed and {@link ProjectionApplyError} is thrown.
   */
  applyBatch(
    generation: number,
    events: readonly RecordedEvent[],
    expected: Position | null,
  ): Promise<Position | null>;
}

/** Why a projection stopped: the event it could not apply. */
export interface ProjectionFailure {
  readonly eventId: string;
  readonly eventType: string;
  readonly streamId: string;
  readonly position: PositionJson;
  readonly reason: string;
  /** When the projection stopped (ISO 8601). */
  readonly failedAt: string;
}

/**
 * A projection met an event it cannot apply. The events of the batch
 * before it are stored, up to `committed`.
 */
export class ProjectionApplyError extends Error {
  override readonly name = 'ProjectionApplyError';

  constructor(
    readonly event: RecordedEvent,
    readonly reason: string,
    /** The checkpoint after the events that were applied. */
    readonly committed: Position | null,
    /** How many events of the batch were applied before it. */
    readonly applied: number,
  ) {
    super(
      `cannot apply ${event.type} ${event.id} at ${event.position.commit.toString()}: ${reason}`,
    );
  }

  failure(at: Date): ProjectionFailure {
    return {
      eventId: this.event.id,
      eventType: this.event.type,
      streamId: this.event.streamId,
      position: positionToJson(this.event.position),
      reason: this.reason,
      failedAt: at.toISOString(),
    };
  }
}

/** How far a batch got: the last event applied, and the one it could not. */
export interface BatchOutcome {
  readonly last: RecordedEvent | undefined;
  readonly applied: number;
  readonly failure?: { readonly event: RecordedEvent; readonly reason: string };
}

/** Applies events in order in memory, stopping at the first that throws. */
export function applyInOrder(
  events: readonly RecordedEvent[],
  apply: (event: RecordedEvent) => void,
): BatchOutcome {
  let last: RecordedEvent | undefined;
  for (const [index, event] of events.entries()) {
    try {
      apply(event);
    } catch (error: unknown) {
      const reason = error instanceof Error ? error.message : String(error);
      return { last, applied: index, failure: { event, reason } };
    }
    last = event;
  }
  return { last, applied: events.length };
}

/**
 * Stores what the batch applied with its checkpoint through `commit`, then
 * reports the event it could not apply, if any.
 */
export async function commitOutcome(
  outcome: BatchOutcome,
  expected: Position | null,
  commit: (checkpoint: Position) => Promise<void>,
): Promise<Position | null> {
  const checkpoint = outcome.last?.position ?? expected;
  if (outcome.last !== undefined) await commit(outcome.last.position);
  if (outcome.failure !== undefined) {
    const { event, reason } = outcome.failure;
    throw new ProjectionApplyError(event, reason, checkpoint, outcome.applied);
  }
  return checkpoint;
}
