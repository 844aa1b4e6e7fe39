import { randomUUID } from 'node:crypto';

import Database from 'better-sqlite3';
import type { NewEvent } from '@org/event-store';

/**
 * The physical limit the store is measured against: better-sqlite3 used
 * directly, WAL and `synchronous = FULL`, the same columns as the store's
 * events table, and nothing else.
 */
export class RawEventLog {
  private readonly insert: Database.Statement;
  private readonly revisions = new Map<string, number>();

  private constructor(private readonly db: Database.Database) {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec(`CREATE TABLE IF NOT EXISTS events (
      position INTEGER PRIMARY KEY AUTOINCREMENT,
      id TEXT NOT NULL UNIQUE, stream_id TEXT NOT NULL,
      revision INTEGER NOT NULL, type TEXT NOT NULL,
      schema_version INTEGER NOT NULL, data TEXT NOT NULL,
      metadata TEXT NOT NULL, recorded_at TEXT NOT NULL,
      UNIQUE (stream_id, revision)) STRICT`);
    this.insert = db.prepare(
      `INSERT INTO events (id, stream_id, revision, type, schema_version,
         data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
  }

  static open(path: string): RawEventLog {
    return new RawEventLog(new Database(path));
  }

  /** Appends `count` copies of `event` to `streamId` in one transaction. */
  append(streamId: string, event: NewEvent, count = 1): number {
    this.db.transaction(() => {
      for (let i = 0; i < count; i += 1) this.insertOne(streamId, event);
    })();
    return count;
  }

  close(): void {
    this.db.close();
  }

  private insertOne(streamId: string, event: NewEvent): void {
    const revision = (this.revisions.get(streamId) ?? -1) + 1;
    this.revisions.set(streamId, revision);
    this.insert.run(
      randomUUID(),
      streamId,
      revision,
      event.type,
      event.schemaVersion,
      JSON.stringify(event.data),
      JSON.stringify(event.metadata),
      new Date().toISOString(),
    );
  }
}
