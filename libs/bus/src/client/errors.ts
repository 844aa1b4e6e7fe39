import type { ErrorCode } from '@org/contracts';

/** The service refused the command or query; `code` is stable and machine-readable. */
export class CommandRefusedError extends Error {
  override readonly name = 'CommandRefusedError';

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly commandId: string | null,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }
}

/** No reply came within the timeout, after every retry. */
export class BusTimeoutError extends Error {
  override readonly name = 'BusTimeoutError';

  constructor(
    readonly requestId: string,
    readonly attempts: number,
  ) {
    super(`no reply to ${requestId} after ${attempts} attempts`);
  }
}
