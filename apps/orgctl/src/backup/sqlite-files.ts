import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';

import Database from 'better-sqlite3';

import type { Progress } from './progress-bar.js';

/** What a check of one SQLite file found. */
export interface DatabaseCheck {
  /** `ok`, or the problems `PRAGMA integrity_check` listed. */
  readonly integrity: string;
  /** Rows per table, by table name. */
  readonly rows: Readonly<Record<string, number>>;
}

/** Pages copied per step, so that the service's writers wait little. */
const PAGES_PER_STEP = 256;
/**
 * SQLite starts an online backup again whenever another connection writes
 * to the source. After this many restarts the rest is copied in one step,
 * which holds a read transaction (writers in WAL mode are not blocked) and
 * so cannot be restarted.
 */
const RESTARTS_BEFORE_ONE_STEP = 3;
const ALL_PAGES = 0x7fffffff;

/**
 * An online, consistent copy of a live SQLite database with SQLite's backup
 * API, never a file copy (which would miss or tear the WAL). The copy is a
 * single file in rollback-journal mode, so that it stands alone.
 */
export async function backupDatabase(
  source: string,
  target: string,
  progress: Progress,
): Promise<void> {
  const db = new Database(source, { fileMustExist: true, timeout: 5000 });
  try {
    let restarts = 0;
    let remainingBefore = Number.POSITIVE_INFINITY;
    await db.backup(target, {
      progress: ({ totalPages, remainingPages }) => {
        if (remainingPages > remainingBefore) restarts += 1;
        remainingBefore = remainingPages;
        progress.update(totalPages - remainingPages, totalPages);
        return restarts >= RESTARTS_BEFORE_ONE_STEP
          ? ALL_PAGES
          : PAGES_PER_STEP;
      },
    });
    progress.update(1, 1);
  } finally {
    db.close();
  }
  const copy = new Database(target, { fileMustExist: true });
  try {
    copy.pragma('journal_mode = DELETE');
  } finally {
    copy.close();
  }
}

/** `PRAGMA integrity_check` and the rows of every table of a closed file. */
export function checkDatabase(path: string): DatabaseCheck {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const problems = db.pragma('integrity_check', { simple: false }) as {
      integrity_check: string;
    }[];
    return {
      integrity: problems.map((row) => row.integrity_check).join('; '),
      rows: rowCounts(db),
    };
  } finally {
    db.close();
  }
}

/**
 * Whether another connection (a running service) has the database open:
 * an exclusive lock is refused then, without waiting.
 */
export function isInUse(path: string): boolean {
  const db = new Database(path, { fileMustExist: true, timeout: 0 });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    db.exec('COMMIT');
    return false;
  } catch (error: unknown) {
    if ((error as { code?: unknown }).code === 'SQLITE_BUSY') return true;
    throw error;
  } finally {
    db.close();
  }
}

/** The SHA-256 of a file, hex. */
export async function sha256Of(path: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
}

function rowCounts(db: Database.Database): Record<string, number> {
  const tables = db
    .prepare(
      "SELECT name FROM sqlite_schema WHERE type = 'table' " +
        "AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )
    .pluck()
    .all() as string[];
  return Object.fromEntries(
    tables.map((table) => [
      table,
      db
        .prepare(`SELECT count(*) FROM "${table.replace(/"/g, '""')}"`)
        .pluck()
        .get() as number,
    ]),
  );
}
