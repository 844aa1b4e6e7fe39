import Database from 'better-sqlite3';

import { EventStoreUnavailableError } from '../event-store.port.js';
import { translateSqliteError } from './sqlite-errors.js';

/**
 * How hard SQLite works to keep a commit through a crash, in WAL mode:
 *
 * - `full`: every commit is synced to disk before the append is
 *   acknowledged, so an acknowledged event survives a power loss or an
 *   operating-system crash. The safe default.
 * - `normal`: commits are synced at checkpoints only. An acknowledged event
 *   survives the process crashing, but a power loss or an operating-system
 *   crash may lose the last commits (the file stays consistent). Faster,
 *   for data that can be rebuilt.
 */
export type Durability = 'full' | 'normal';

/** How to open one of the embedded SQLite files. */
export interface SqliteFileOptions {
  /** Path of the database file; created with its schema when missing. */
  readonly path: string;
  /** Defaults to `full`; see {@link Durability}. */
  readonly durability?: Durability;
  /**
   * How long to wait for another process's write lock before failing with
   * `EventStoreUnavailableError`. Defaults to 5000 ms.
   */
  readonly busyTimeoutMs?: number;
}

/**
 * The schema, one migration per `PRAGMA user_version`. Append only: a
 * released migration never changes, a new column or table is a new entry.
 */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE events (
     position       INTEGER PRIMARY KEY AUTOINCREMENT,
     id             TEXT    NOT NULL UNIQUE,
     stream_id      TEXT    NOT NULL,
     revision       INTEGER NOT NULL,
     type           TEXT    NOT NULL,
     schema_version INTEGER NOT NULL,
     data           TEXT    NOT NULL,
     metadata       TEXT    NOT NULL,
     recorded_at    TEXT    NOT NULL,
     UNIQUE (stream_id, revision)
   ) STRICT;`,
  `CREATE TABLE snapshots (
     stream_id     TEXT    PRIMARY KEY,
     revision      INTEGER NOT NULL,
     state_version INTEGER NOT NULL,
     state         TEXT    NOT NULL,
     saved_at      TEXT    NOT NULL
   ) STRICT;`,
];

/** The schema version this code writes; files at a newer one are refused. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/** Opens the file in WAL mode with the chosen durability and migrates it. */
export function openDatabase(options: SqliteFileOptions): Database.Database {
  const db = connect(options);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.durability === 'normal' ? 1 : 2}`);
    migrate(db);
    return db;
  } catch (error: unknown) {
    db.close();
    throw translateSqliteError(error);
  }
}

function connect(options: SqliteFileOptions): Database.Database {
  try {
    return new Database(options.path, {
      timeout: options.busyTimeoutMs ?? 5000,
    });
  } catch (error: unknown) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new EventStoreUnavailableError(
      `cannot open ${options.path}: ${reason}`,
      { cause: error },
    );
  }
}

function migrate(db: Database.Database): void {
  db.transaction(() => {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw new Error(
        `${db.name} has schema version ${version}, newer than this code's ` +
          `${SCHEMA_VERSION}; run a newer release against it`,
      );
    }
    MIGRATIONS.slice(version).forEach((sql) => db.exec(sql));
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}
