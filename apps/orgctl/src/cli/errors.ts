import { EXIT, type ExitCode } from './exit-codes.js';

/**
 * A failure that ends the command with a message for people and a
 * meaningful exit code. `document` is what `--json` prints on stdout.
 */
export class CliError extends Error {
  override readonly name: string = 'CliError';

  constructor(
    message: string,
    readonly exitCode: ExitCode,
    readonly document?: unknown,
  ) {
    super(message);
  }
}

/** Bad flags or arguments: exit code 2, nothing was sent. */
export class UsageError extends CliError {
  override readonly name = 'UsageError';

  constructor(message: string) {
    super(message, EXIT.usage);
  }
}
