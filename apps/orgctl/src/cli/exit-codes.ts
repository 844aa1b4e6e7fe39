import { type ErrorCode, HTTP_STATUS_BY_CODE } from '@org/contracts';

/** What the exit status of `orgctl` means; scripts may rely on these. */
export const EXIT = {
  ok: 0,
  /** The service refused: any refusal code other than those below. */
  refused: 1,
  /** A backup or restore failed its checks, or orgctl failed otherwise. */
  failed: 1,
  /** Bad flags or arguments; nothing was sent. */
  usage: 2,
  /** 401 or 403: no valid token, or the actor may not do that. */
  auth: 3,
  /** 404: no such organization (or not one the actor may see). */
  notFound: 4,
  /** The service could not be reached, or failed (5xx). */
  unavailable: 5,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The exit code for an HTTP response status that is not a success. */
export function exitCodeForStatus(status: number): ExitCode {
  if (status === 401 || status === 403) return EXIT.auth;
  if (status === 404) return EXIT.notFound;
  if (status >= 400 && status < 500) return EXIT.refused;
  return EXIT.unavailable;
}

/** The exit code for a refusal code, as on HTTP. */
export function exitCodeForRefusal(code: ErrorCode): ExitCode {
  return exitCodeForStatus(HTTP_STATUS_BY_CODE[code]);
}
