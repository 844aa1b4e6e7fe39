import type { FieldProblem } from './validation/problems.js';

/** Every refusal code, stable machine names that never change meaning. */
export const ERROR_CODES = [
  'VALIDATION_FAILED',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'NAME_TAKEN',
  'CONFLICT',
  'INVALID_STATE',
  'IDEMPOTENCY_MISMATCH',
  'LIMIT_EXCEEDED',
  'PRECONDITIONS_UNMET',
] as const;

/** The `code` of a {@link RejectedReply}. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/** The HTTP status that carries each refusal. */
export const HTTP_STATUS_BY_CODE: Readonly<Record<ErrorCode, number>> = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  NAME_TAKEN: 409,
  CONFLICT: 409,
  INVALID_STATE: 409,
  IDEMPOTENCY_MISMATCH: 409,
  LIMIT_EXCEEDED: 422,
  PRECONDITIONS_UNMET: 422,
};

/** The HTTP status of an {@link InternalErrorReply}. */
export const INTERNAL_ERROR_STATUS = 500;

/** One event a command recorded. */
export interface RecordedEvent {
  readonly id: string;
  readonly type: string;
}

/**
 * A command was accepted. `events` is empty when it changed nothing; the
 * same `commandId` sent again gets this reply again.
 */
export interface AcceptedReply {
  readonly status: 'accepted';
  readonly commandId: string;
  readonly orgId: string;
  /** The stream revision of the organization after the command. */
  readonly revision: number;
  /**
   * The log position of the command's last event, opaque text (it may
   * exceed 2^53); null when the command recorded no event.
   */
  readonly position: string | null;
  readonly events: readonly RecordedEvent[];
}

/** A command was refused, with a machine code and a message for people. */
export interface RejectedReply {
  readonly status: 'rejected';
  /** Null when the envelope carried no valid `commandId`. */
  readonly commandId: string | null;
  readonly code: ErrorCode;
  readonly message: string;
  /** Machine-readable particulars, such as `problems` or `unmet`. */
  readonly details?: Readonly<Record<string, unknown>>;
}

/** An unexpected failure: no internals, only an id to find it in the logs. */
export interface InternalErrorReply {
  readonly status: 'error';
  readonly message: string;
  readonly correlationId: string;
}

/** Any reply to a command. */
export type CommandReply = AcceptedReply | RejectedReply | InternalErrorReply;

/**
 * The `VALIDATION_FAILED` refusal of an envelope that
 * `validateCommandEnvelope` refused, the same on every transport.
 */
export function validationFailedReply(refusal: {
  readonly commandId: string | null;
  readonly problems: readonly FieldProblem[];
}): RejectedReply {
  const message = refusal.problems
    .map(({ field, problem }) =>
      field === '' ? problem : `${field}: ${problem}`,
    )
    .join('; ');
  return {
    status: 'rejected',
    commandId: refusal.commandId,
    code: 'VALIDATION_FAILED',
    message,
    details: { problems: refusal.problems },
  };
}
