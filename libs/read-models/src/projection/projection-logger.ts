/**
 * Where the runner reports: `log` when a projection starts, catches up or
 * switches generations, `warn` when it retries after a storage failure,
 * `error` when it stops at an event. Fields carry ids, never payloads.
 */
export interface ProjectionLogger {
  log(message: string, fields: Readonly<Record<string, unknown>>): void;
  warn(message: string, fields: Readonly<Record<string, unknown>>): void;
  error(message: string, fields: Readonly<Record<string, unknown>>): void;
}

/** Reports nothing. */
export const SILENT_LOGGER: ProjectionLogger = {
  log: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
