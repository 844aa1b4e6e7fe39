import {
  CheckpointConflictError,
  InvalidQueryError,
  ReadModelUnavailableError,
} from '../shared/errors.js';

const OURS = [CheckpointConflictError, InvalidQueryError];

/**
 * Runs Redis work, turning failures to reach or use the server into
 * {@link ReadModelUnavailableError}. Errors of this library, replies Redis
 * refused and programming errors pass unchanged.
 */
export async function redisCall<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error: unknown) {
    if (!isUnavailable(error)) throw error;
    throw new ReadModelUnavailableError(`Redis: ${error.message}`, {
      cause: error,
    });
  }
}

function isUnavailable(error: unknown): error is Error {
  return (
    error instanceof Error &&
    error.name !== 'ReplyError' &&
    !(error instanceof TypeError) &&
    !(error instanceof RangeError) &&
    !OURS.some((kind) => error instanceof kind)
  );
}
