/** Every refusal the service can give, with its stable machine code. */
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

export type ErrorCode = (typeof ERROR_CODES)[number];

export type ErrorDetails = Readonly<Record<string, unknown>>;

/**
 * A refusal by the domain. The `code` is part of the wire contract and never
 * changes meaning; the message is for people and says what to do next.
 */
export class DomainError extends Error {
  override readonly name = 'DomainError';

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetails = {},
  ) {
    super(message);
  }
}

/** One rejected field of a command, as listed in a VALIDATION_FAILED refusal. */
export interface FieldProblem {
  readonly field: string;
  readonly problem: string;
}

export function validationFailed(
  problems: readonly FieldProblem[],
): DomainError {
  const summary = problems.map((p) => `${p.field}: ${p.problem}`).join('; ');
  return new DomainError('VALIDATION_FAILED', summary, { problems });
}

export function isDomainError(value: unknown): value is DomainError {
  return value instanceof DomainError;
}
