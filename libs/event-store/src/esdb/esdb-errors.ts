import { ErrorType } from '@eventstore/db-client';
import type {
  MaxAppendSizeExceededError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';

import {
  EventStoreUnavailableError,
  WrongExpectedRevisionError,
} from '../event-store.port.js';
import type { ExpectedRevision } from '../event-store.port.js';
import { fromClientRevision } from './esdb-events.js';

// Failures after which the same call may succeed later: the node is down
// or restarting, a leader changed, or a long-running call was cut.
const TRANSIENT: readonly ErrorType[] = [
  ErrorType.UNAVAILABLE,
  ErrorType.CANCELLED,
  ErrorType.DEADLINE_EXCEEDED,
  ErrorType.TIMEOUT,
  ErrorType.NOT_LEADER,
];

/** The append a failure happened in, to name it in the port's error. */
export interface AppendContext {
  readonly streamId: string;
  readonly expected: ExpectedRevision;
}

const ERROR_TYPES: ReadonlySet<unknown> = new Set(Object.values(ErrorType));

// By the client's discriminant rather than instanceof, so that a second
// copy of the client package in the tree cannot hide its errors.
function errorType(error: unknown): ErrorType | undefined {
  if (!(error instanceof Error)) return undefined;
  const { type } = error as { type?: unknown };
  return ERROR_TYPES.has(type) ? (type as ErrorType) : undefined;
}

/** Whether the client failed in a way that retrying may cure. */
export function isTransient(error: unknown): boolean {
  const type = errorType(error);
  return type !== undefined && TRANSIENT.includes(type);
}

/** Whether the client says the stream does not exist. */
export function isStreamNotFound(error: unknown): boolean {
  return errorType(error) === ErrorType.STREAM_NOT_FOUND;
}

/** Whether the client says the stream was not at the expected revision. */
export function isWrongExpectedVersion(
  error: unknown,
): error is WrongExpectedVersionError {
  return errorType(error) === ErrorType.WRONG_EXPECTED_VERSION;
}

/**
 * Turns the client's errors into the port's, so that nothing above the
 * adapter needs to know the client: a wrong expected version becomes
 * {@link WrongExpectedRevisionError}, transient failures
 * {@link EventStoreUnavailableError}, an append over the server's size
 * limit a RangeError, other refusals a plain Error naming the server's
 * reason. Errors that are not the client's pass unchanged.
 */
export function translateEsdbError(
  error: unknown,
  append?: AppendContext,
): unknown {
  const type = errorType(error);
  if (type === undefined || !(error instanceof Error)) return error;
  if (append && isWrongExpectedVersion(error)) {
    const actual = fromClientRevision(error.actualVersion);
    return new WrongExpectedRevisionError(
      append.streamId,
      append.expected,
      actual,
    );
  }
  if (isTransient(error)) {
    return new EventStoreUnavailableError(
      `EventStoreDB cannot be reached: ${error.message}`,
      { cause: error },
    );
  }
  if (type === ErrorType.MAXIMUM_APPEND_SIZE_EXCEEDED) {
    const { maxAppendSize } = error as MaxAppendSizeExceededError;
    return new RangeError(
      `the append is larger than the ${maxAppendSize} bytes EventStoreDB ` +
        'accepts in one append; append fewer or smaller events',
      { cause: error },
    );
  }
  return new Error(`EventStoreDB refused the operation: ${error.message}`, {
    cause: error,
  });
}
