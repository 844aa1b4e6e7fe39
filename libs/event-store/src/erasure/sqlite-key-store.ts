import Database from 'better-sqlite3';

import { EventStoreUnavailableError } from '../event-store.port.js';
import { settle } from '../settle.js';
import { translateSqliteError } from '../sqlite/sqlite-errors.js';
import { KEY_BYTES, type KeyStore } from './key-store.port.js';
import { newDataKey } from './personal-data-cipher.js';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS data_keys (
    subject TEXT PRIMARY KEY,
    key     BLOB NOT NULL
  ) STRICT;
  CREATE TABLE IF NOT EXISTS destroyed_keys (
    subject      TEXT PRIMARY KEY,
    destroyed_at TEXT NOT NULL
  ) STRICT;
  CREATE TABLE IF NOT EXISTS key_store_state (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
  ) STRICT;`;

interface KeyRow {
  readonly subject: string;
  readonly key: Buffer | null;
}

/**
 * Data keys in a SQLite file of their own, apart from the events. A
 * destroyed key is gone from the file, not only from the table: the file
 * runs with `secure_delete` (freed content is overwritten with zeros) and a
 * rollback journal, which is deleted at each commit, rather than a
 * write-ahead log, which would keep old pages until a checkpoint.
 */
export class SqliteKeyStore implements KeyStore {
  private readonly db: Database.Database;
  private readonly insertKey;
  private readonly selectKeys;
  private readonly deleteKey;
  private readonly insertTombstone;
  private readonly selectState;
  private readonly upsertState;

  private constructor(
    db: Database.Database,
    private readonly now: () => Date,
  ) {
    this.db = db;
    this.insertKey = db.prepare(
      `INSERT INTO data_keys (subject, key)
       SELECT ?, ? WHERE NOT EXISTS
         (SELECT 1 FROM destroyed_keys WHERE subject = ?)
       ON CONFLICT (subject) DO NOTHING`,
    );
    this.selectKeys = db.prepare<[string], KeyRow>(
      `SELECT s.value AS subject, k.key AS key
         FROM json_each(?) AS s
         LEFT JOIN data_keys k ON k.subject = s.value
         LEFT JOIN destroyed_keys d ON d.subject = s.value
        WHERE k.subject IS NOT NULL OR d.subject IS NOT NULL`,
    );
    this.deleteKey = db.prepare('DELETE FROM data_keys WHERE subject = ?');
    this.insertTombstone = db.prepare(
      `INSERT INTO destroyed_keys (subject, destroyed_at) VALUES (?, ?)
       ON CONFLICT (subject) DO NOTHING`,
    );
    this.selectState = db
      .prepare<[string], { value: string }>(
        'SELECT value FROM key_store_state WHERE name = ?',
      )
      .pluck() as unknown as Database.Statement<[string], string>;
    this.upsertState = db.prepare(
      `INSERT INTO key_store_state (name, value) VALUES (?, ?)
       ON CONFLICT (name) DO UPDATE SET value = excluded.value`,
    );
  }

  /** Opens the file, made with its tables when missing. */
  static open(options: {
    readonly path: string;
    readonly now?: () => Date;
  }): SqliteKeyStore {
    let db: Database.Database;
    try {
      db = new Database(options.path, { timeout: 5000 });
    } catch (error: unknown) {
      throw new EventStoreUnavailableError(
        `cannot open the key store ${options.path}`,
        { cause: error },
      );
    }
    try {
      db.pragma('journal_mode = DELETE');
      db.pragma('secure_delete = ON');
      db.pragma('synchronous = FULL');
      db.exec(SCHEMA);
      return new SqliteKeyStore(db, options.now ?? (() => new Date()));
    } catch (error: unknown) {
      db.close();
      throw translateSqliteError(error);
    }
  }

  keyFor(subject: string): Promise<Buffer | null> {
    return this.run(() => {
      // A read first: most calls find the key, and an insert would take
      // the write lock even when it stores nothing.
      const known = this.read([subject]);
      if (known.has(subject)) return known.get(subject) ?? null;
      this.insertKey.run(subject, newDataKey(), subject);
      return this.read([subject]).get(subject) ?? null;
    });
  }

  keysOf(subjects: readonly string[]): Promise<Map<string, Buffer | null>> {
    return this.run(() => this.read(subjects));
  }

  destroy(subject: string, checkpoint?: string): Promise<void> {
    return this.run(() => {
      this.db.transaction(() => {
        this.deleteKey.run(subject);
        this.insertTombstone.run(subject, this.now().toISOString());
        if (checkpoint !== undefined)
          this.upsertState.run('checkpoint', checkpoint);
      })();
    });
  }

  checkpoint(): Promise<string | null> {
    return this.run(() => this.selectState.get('checkpoint') ?? null);
  }

  saveCheckpoint(checkpoint: string): Promise<void> {
    return this.run(() => {
      this.upsertState.run('checkpoint', checkpoint);
    });
  }

  close(): Promise<void> {
    return settle(() => {
      if (this.db.open) this.db.close();
    });
  }

  private read(subjects: readonly string[]): Map<string, Buffer | null> {
    const found = new Map<string, Buffer | null>();
    for (const row of this.selectKeys.all(JSON.stringify(subjects))) {
      if (row.key !== null && row.key.length !== KEY_BYTES) {
        throw new EventStoreUnavailableError(
          `the key store holds a key of the wrong length for ${row.subject}`,
        );
      }
      found.set(row.subject, row.key);
    }
    return found;
  }

  private run<T>(work: () => T): Promise<T> {
    return settle(() => {
      try {
        return work();
      } catch (error: unknown) {
        throw translateSqliteError(error);
      }
    });
  }
}
