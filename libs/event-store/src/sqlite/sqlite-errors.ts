import { EventStoreUnavailableError } from '../event-store.port.js';

// Result codes that mean the file cannot be used right now, as opposed to a
// statement that is wrong: locks, I/O, a full disk, a missing or bad file.
const UNAVAILABLE = [
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_IOERR',
  'SQLITE_FULL',
  'SQLITE_CANTOPEN',
  'SQLITE_READONLY',
  'SQLITE_CORRUPT',
  'SQLITE_NOTADB',
  'SQLITE_PROTOCOL',
];

// By shape, not instanceof: the native addon keeps the SqliteError class
// of the first module instance that loaded it, and a test runner that loads
// modules afresh per test file (in a new realm) would otherwise miss them.
function sqliteCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { name, code } = error as { name?: unknown; code?: unknown };
  return name === 'SqliteError' && typeof code === 'string' ? code : undefined;
}

/** Whether a better-sqlite3 error is a constraint violation. */
export function isConstraintError(error: unknown): boolean {
  return sqliteCode(error)?.startsWith('SQLITE_CONSTRAINT') ?? false;
}

/** Whether the error means the file cannot be used at the moment. */
export function isUnavailableError(error: unknown): boolean {
  const code = sqliteCode(error);
  if (code !== undefined) {
    return UNAVAILABLE.some((prefix) => code.startsWith(prefix));
  }
  return (
    error instanceof TypeError &&
    error.message.includes('connection is not open')
  );
}

/**
 * Turns errors of better-sqlite3 that mean "unavailable" into the port's
 * {@link EventStoreUnavailableError}; other errors pass unchanged.
 */
export function translateSqliteError(error: unknown): unknown {
  if (!isUnavailableError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new EventStoreUnavailableError(`SQLite: ${message}`, {
    cause: error,
  });
}
