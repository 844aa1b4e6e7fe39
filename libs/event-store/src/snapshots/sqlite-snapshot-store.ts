import type Database from 'better-sqlite3';

import { EventStoreUnavailableError } from '../event-store.port.js';
import { settle } from '../settle.js';
import { openDatabase } from '../sqlite/sqlite-database.js';
import type { SqliteFileOptions } from '../sqlite/sqlite-database.js';
import { translateSqliteError } from '../sqlite/sqlite-errors.js';
import { stateFromJson, stateToJson } from './snapshot-json.js';
import type { Snapshot, SnapshotStore } from './snapshot-store.port.js';

interface SnapshotRow {
  readonly revision: number;
  readonly state_version: number;
  readonly state: string;
}

interface SaveParams {
  readonly streamId: string;
  readonly revision: number;
  readonly stateVersion: number;
  readonly state: string;
  readonly savedAt: string;
}

/** Options of {@link SqliteSnapshotStore}. */
export interface SqliteSnapshotStoreOptions extends SqliteFileOptions {
  /** The clock for `saved_at`. Defaults to the system clock. */
  readonly now?: () => Date;
}

/**
 * Snapshots in the `snapshots` table of the event store's SQLite file, one
 * row per stream. It opens its own connection, so every save is a small
 * transaction of its own and never part of an append's.
 */
export class SqliteSnapshotStore implements SnapshotStore {
  private readonly loadRow;
  private readonly upsert;
  private readonly now: () => Date;
  private closed = false;

  private constructor(
    private readonly db: Database.Database,
    options: SqliteSnapshotStoreOptions,
  ) {
    this.now = options.now ?? (() => new Date());
    this.loadRow = db.prepare<[string], SnapshotRow>(
      `SELECT revision, state_version, state FROM snapshots
       WHERE stream_id = ?`,
    );
    // Keeps the newer of two snapshots of one version; a snapshot of
    // another version always replaces the stored one.
    this.upsert = db.prepare<SaveParams>(
      `INSERT INTO snapshots (stream_id, revision, state_version, state,
         saved_at)
       VALUES (@streamId, @revision, @stateVersion, @state, @savedAt)
       ON CONFLICT (stream_id) DO UPDATE SET
         revision = excluded.revision,
         state_version = excluded.state_version,
         state = excluded.state,
         saved_at = excluded.saved_at
       WHERE excluded.state_version <> snapshots.state_version
         OR excluded.revision >= snapshots.revision`,
    );
  }

  /** Opens (and creates or migrates) the file. */
  static open(options: SqliteSnapshotStoreOptions): SqliteSnapshotStore {
    return new SqliteSnapshotStore(openDatabase(options), options);
  }

  load(streamId: string): Promise<Snapshot | null> {
    return this.using(() => {
      const row = this.loadRow.get(streamId);
      if (!row) return null;
      const state = stateFromJson(streamId, row.state);
      return { revision: row.revision, stateVersion: row.state_version, state };
    });
  }

  save(streamId: string, snapshot: Snapshot): Promise<void> {
    return this.using(() => {
      this.upsert.run({
        streamId,
        revision: snapshot.revision,
        stateVersion: snapshot.stateVersion,
        state: stateToJson(streamId, snapshot),
        savedAt: this.now().toISOString(),
      });
    });
  }

  close(): Promise<void> {
    return settle(() => {
      if (this.closed) return;
      this.closed = true;
      this.db.close();
    });
  }

  private using<T>(work: () => T): Promise<T> {
    return settle(() => {
      if (this.closed) {
        throw new EventStoreUnavailableError(
          `the snapshot store on ${this.db.name} is closed`,
        );
      }
      try {
        return work();
      } catch (error: unknown) {
        throw translateSqliteError(error);
      }
    });
  }
}
