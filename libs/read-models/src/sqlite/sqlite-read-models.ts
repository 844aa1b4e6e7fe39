import Database from 'better-sqlite3';

import { SqliteAuditStore } from '../audit/sqlite-audit-store.js';
import { SqliteDirectoryStore } from '../directory/sqlite-directory-store.js';
import { ReadModelUnavailableError } from '../shared/errors.js';
import { GENERATIONS_SCHEMA } from './sqlite-generations.js';

const WAL_CHECKPOINT_PAGES = 16_384;
const WAL_LIMIT_BYTES = 64 * 1024 * 1024;

/** Options of {@link SqliteReadModels.open}. */
export interface SqliteReadModelsOptions {
  /**
   * The read models' own SQLite file, created when missing; `:memory:`
   * keeps them in memory.
   */
  readonly path: string;
  /**
   * `normal` (the default) syncs at WAL checkpoints only: a crash of the
   * process loses nothing, a power cut may lose the last batches, which the
   * projections then apply again from their checkpoints (stored in the
   * same transactions). `full` syncs every batch.
   */
  readonly durability?: 'full' | 'normal';
  /** How long to wait for another connection's write lock. Defaults to 5000 ms. */
  readonly busyTimeoutMs?: number;
}

/**
 * The read models in one SQLite file (WAL mode, better-sqlite3): the
 * organization directory and the audit history, with their checkpoints.
 *
 * Limitation: better-sqlite3 is synchronous, so a batch commit or a query
 * holds the event loop for its duration. Acceptable for the embedded
 * default; production uses the Redis read models.
 */
export class SqliteReadModels {
  readonly directory: SqliteDirectoryStore;
  readonly audit: SqliteAuditStore;

  private constructor(private readonly db: Database.Database) {
    this.directory = new SqliteDirectoryStore(db);
    this.audit = new SqliteAuditStore(db);
  }

  /** Opens (and creates) the file; throws `ReadModelUnavailableError` when it cannot. */
  static open(options: SqliteReadModelsOptions): SqliteReadModels {
    const db = connect(options);
    try {
      db.pragma('journal_mode = WAL');
      // Erased values must not linger in free space (see scrubOldPages).
      db.pragma('secure_delete = ON');
      db.pragma(`synchronous = ${options.durability === 'full' ? 2 : 1}`);
      // At `normal` the disk syncs happen at WAL checkpoints, by default
      // every 1,000 pages (4 MiB). A rebuild writes gigabytes, and on a
      // busy disk those syncs took most of its time. A checkpoint every
      // 16,384 pages (64 MiB) syncs 16 times less often; the WAL file is
      // cut back to 64 MiB after each. A power cut may lose more of the
      // last batches, which the projections apply again from their
      // checkpoints, stored in the same transactions.
      db.pragma(`wal_autocheckpoint = ${WAL_CHECKPOINT_PAGES}`);
      db.pragma(`journal_size_limit = ${WAL_LIMIT_BYTES}`);
      db.exec(GENERATIONS_SCHEMA);
      return new SqliteReadModels(db);
    } catch (error: unknown) {
      db.close();
      throw error;
    }
  }

  close(): Promise<void> {
    if (this.db.open) this.db.close();
    return Promise.resolve();
  }
}

function connect(options: SqliteReadModelsOptions): Database.Database {
  try {
    return new Database(options.path, {
      timeout: options.busyTimeoutMs ?? 5000,
    });
  } catch (error: unknown) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ReadModelUnavailableError(
      `cannot open ${options.path}: ${reason}`,
      { cause: error },
    );
  }
}
