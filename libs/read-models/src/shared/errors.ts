/** A query the read model cannot answer as asked: a bad filter, limit or cursor. */
export class InvalidQueryError extends Error {
  override readonly name = 'InvalidQueryError';
}

/** The read model's storage cannot be reached or failed; retry later. */
export class ReadModelUnavailableError extends Error {
  override readonly name = 'ReadModelUnavailableError';
}

/**
 * The stored checkpoint of a generation is not the one the writer started
 * from: another writer applied events to the same generation meanwhile.
 * Nothing of the batch was written.
 */
export class CheckpointConflictError extends Error {
  override readonly name = 'CheckpointConflictError';

  constructor(
    readonly model: string,
    readonly generation: number,
  ) {
    super(
      `the checkpoint of ${model} generation ${generation} moved under ` +
        'this writer; run one projection runner per read model at a time',
    );
  }
}

/** A rebuild was asked for while one is running. */
export class RebuildInProgressError extends Error {
  override readonly name = 'RebuildInProgressError';
}

/** A rebuild stopped at an event its projection cannot apply; the old generation serves on. */
export class RebuildFailedError extends Error {
  override readonly name = 'RebuildFailedError';

  constructor(readonly failure: { eventId: string; reason: string }) {
    super(
      `the rebuild stopped at event ${failure.eventId}: ${failure.reason}; ` +
        'the read model was left as it was',
    );
  }
}

/** The message of anything thrown. */
export function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
