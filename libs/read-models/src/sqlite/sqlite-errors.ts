import { ReadModelUnavailableError } from '../shared/errors.js';

// Result codes that mean the file cannot be used right now, as opposed to a
// statement that is wrong.
const UNAVAILABLE = [
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_IOERR',
  'SQLITE_FULL',
  'SQLITE_CANTOPEN',
  'SQLITE_READONLY',
  'SQLITE_CORRUPT',
  'SQLITE_NOTADB',
];

// By shape, not instanceof: a test runner that loads modules afresh per
// file would hold another realm's SqliteError class.
function isUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { name, code, message } = error as Record<string, unknown>;
  if (name === 'SqliteError' && typeof code === 'string') {
    return UNAVAILABLE.some((prefix) => code.startsWith(prefix));
  }
  return (
    error instanceof TypeError &&
    typeof message === 'string' &&
    message.includes('connection is not open')
  );
}

/**
 * Runs synchronous SQLite work as a promise, turning errors that mean the
 * file is unavailable into {@link ReadModelUnavailableError}.
 */
export function sqliteCall<T>(work: () => T): Promise<T> {
  return new Promise((resolve) => {
    try {
      resolve(work());
    } catch (error: unknown) {
      if (!isUnavailable(error)) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      throw new ReadModelUnavailableError(`SQLite: ${reason}`, {
        cause: error,
      });
    }
  });
}
