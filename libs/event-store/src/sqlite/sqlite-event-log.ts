import type Database from 'better-sqlite3';

import type { AppendView, EventLocation } from '../append-rules.js';
import type { EventFilter, ReadStreamOptions } from '../event-store.port.js';
import { sequencePosition } from '../position.js';
import type {
  SerializedEvent,
  StoredEvent,
} from '../serialization/stored-event.js';

interface EventRow {
  readonly position: number;
  readonly id: string;
  readonly stream_id: string;
  readonly revision: number;
  readonly type: string;
  readonly schema_version: number;
  readonly data: string;
  readonly metadata: string;
  readonly recorded_at: string;
}

type LocationRow = Pick<EventRow, 'stream_id' | 'revision' | 'position'>;

interface InsertParams {
  readonly id: string;
  readonly streamId: string;
  readonly revision: number;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: string;
  readonly metadata: string;
  readonly recordedAt: string;
}

interface StreamParams {
  readonly streamId: string;
  readonly from: number;
  readonly limit: number;
}

interface RangeParams {
  readonly after: bigint;
  readonly until: bigint;
  readonly types: string | null;
  readonly prefixes: string | null;
  readonly limit: number;
}

/** One range of the log, and how far the read looked. */
export interface StoredPage {
  readonly events: StoredEvent[];
  readonly scannedTo: bigint;
  /** Whether the log goes on past `scannedTo`. */
  readonly behind: boolean;
}

const COLUMNS =
  'position, id, stream_id, revision, type, schema_version, data, ' +
  'metadata, recorded_at';

// SQLite reads LIMIT -1 as "no limit".
const NO_LIMIT = -1;

/** The prepared statements over the `events` table. */
export class SqliteEventLog implements AppendView {
  private readonly insertRow;
  private readonly maxRevision;
  private readonly locateRow;
  private readonly forwards;
  private readonly backwards;
  private readonly lastPositionRow;
  private readonly range;

  constructor(db: Database.Database) {
    this.insertRow = db.prepare<InsertParams>(
      `INSERT INTO events (id, stream_id, revision, type, schema_version,
         data, metadata, recorded_at)
       VALUES (@id, @streamId, @revision, @type, @schemaVersion,
         @data, @metadata, @recordedAt)`,
    );
    this.maxRevision = db.prepare<[string], { revision: number | null }>(
      'SELECT MAX(revision) AS revision FROM events WHERE stream_id = ?',
    );
    this.locateRow = db.prepare<[string], LocationRow>(
      'SELECT stream_id, revision, position FROM events WHERE id = ?',
    );
    this.forwards = db.prepare<StreamParams, EventRow>(
      `SELECT ${COLUMNS} FROM events
       WHERE stream_id = @streamId AND revision >= @from
       ORDER BY revision LIMIT @limit`,
    );
    this.backwards = db.prepare<StreamParams, EventRow>(
      `SELECT ${COLUMNS} FROM events
       WHERE stream_id = @streamId AND revision <= @from
       ORDER BY revision DESC LIMIT @limit`,
    );
    this.lastPositionRow = db.prepare<[], { position: number }>(
      'SELECT COALESCE(MAX(position), 0) AS position FROM events',
    );
    this.range = db.prepare<RangeParams, EventRow>(
      `SELECT ${COLUMNS} FROM events
       WHERE position > @after AND position <= @until
         AND (@types IS NULL
           OR type IN (SELECT value FROM json_each(@types)))
         AND (@prefixes IS NULL OR EXISTS (
           SELECT 1 FROM json_each(@prefixes) AS prefix
           WHERE substr(events.stream_id, 1, length(prefix.value))
             = prefix.value))
       ORDER BY position LIMIT @limit`,
    );
  }

  currentRevision(streamId: string): number {
    return this.maxRevision.get(streamId)?.revision ?? -1;
  }

  locate(eventId: string): EventLocation | undefined {
    const row = this.locateRow.get(eventId);
    return row && toLocation(row);
  }

  /** Inserts one event and returns its position. */
  insert(
    streamId: string,
    revision: number,
    event: SerializedEvent,
    recordedAt: string,
  ): bigint {
    const info = this.insertRow.run({
      ...event,
      streamId,
      revision,
      recordedAt,
    });
    return BigInt(info.lastInsertRowid);
  }

  /** The stream's last event, when it has one. */
  lastOf(streamId: string): StoredEvent | undefined {
    const row = this.backwards.get({
      streamId,
      from: Number.MAX_SAFE_INTEGER,
      limit: 1,
    });
    return row && toStoredEvent(row);
  }

  readStream(streamId: string, options: ReadStreamOptions): StoredEvent[] {
    const limit = options.maxCount ?? NO_LIMIT;
    const rows =
      options.direction === 'backwards'
        ? this.backwards.all({
            streamId,
            from: options.fromRevision ?? Number.MAX_SAFE_INTEGER,
            limit,
          })
        : this.forwards.all({
            streamId,
            from: options.fromRevision ?? 0,
            limit,
          });
    return rows.map(toStoredEvent);
  }

  /**
   * Reads up to `maxCount` matching events after `after`, among those
   * committed when the read began, so that `scannedTo` is exact even while
   * another process appends. With a `scanWindow`, it looks at no more than
   * that many positions: a read with a filter that few events match then
   * ends in milliseconds, and the caller reads on from `scannedTo`.
   *
   * Limitation: filters are applied while walking the log in position
   * order (there is no index by type or stream prefix), so a filtered
   * catch-up costs a scan of the whole range; `scannedTo` keeps live reads
   * from scanning the same events twice.
   */
  readPage(
    after: bigint,
    maxCount: number | undefined,
    filter: EventFilter | undefined,
    scanWindow?: bigint,
  ): StoredPage {
    const head = BigInt(this.lastPositionRow.get()?.position ?? 0);
    const until =
      scanWindow !== undefined && head - after > scanWindow
        ? after + scanWindow
        : head;
    const events = this.range
      .all({
        after,
        until,
        types: jsonList(filter?.eventTypes),
        prefixes: jsonList(filter?.streamPrefixes),
        limit: maxCount ?? NO_LIMIT,
      })
      .map(toStoredEvent);
    const full = maxCount !== undefined && events.length >= maxCount;
    const last = events.at(-1)?.position;
    const scanned = full && last !== undefined ? last : until;
    const scannedTo = scanned > after ? scanned : after;
    return { events, scannedTo, behind: scannedTo < head };
  }
}

function jsonList(list: readonly string[] | undefined): string | null {
  return list === undefined || list.length === 0 ? null : JSON.stringify(list);
}

function toLocation(row: LocationRow): EventLocation {
  return {
    streamId: row.stream_id,
    revision: row.revision,
    position: sequencePosition(BigInt(row.position)),
  };
}

function toStoredEvent(row: EventRow): StoredEvent {
  return {
    position: BigInt(row.position),
    streamId: row.stream_id,
    revision: row.revision,
    id: row.id,
    type: row.type,
    schemaVersion: row.schema_version,
    data: row.data,
    metadata: row.metadata,
    recordedAt: row.recorded_at,
  };
}
