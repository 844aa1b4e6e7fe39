import Database from 'better-sqlite3';

import {
  type ChainedEvent,
  type EventMetadataRecord,
  verifyChain,
} from '@org/event-store';

import { CliError } from '../cli/errors.js';
import { EXIT } from '../cli/exit-codes.js';
import type { Progress } from './progress-bar.js';

/** What {@link checkChains} walked. */
export interface ChainsChecked {
  readonly streams: number;
  readonly events: number;
}

interface EventRow {
  readonly stream_id: string;
  readonly revision: number;
  readonly id: string;
  readonly type: string;
  readonly schema_version: number;
  readonly data: string;
  readonly metadata: string;
}

// Rows between two redraws of the progress bar.
const PROGRESS_EVERY = 2_000;

/**
 * Walks the hash chain of every stream of an `events.sqlite` file, opened
 * read-only, in revision order, over the events as stored. Throws a
 * {@link CliError} (exit 1) naming the stream and revision of the first
 * broken link, in stream order.
 */
export function checkChains(path: string, progress: Progress): ChainsChecked {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const total = countEvents(db, path);
    let events = 0;
    let streams = 0;
    let stream: ChainedEvent[] = [];
    const finish = (): void => {
      const first = stream[0];
      if (first === undefined) return;
      verifyStream(first.streamId, stream);
      streams += 1;
      stream = [];
    };
    for (const row of rowsOf(db)) {
      if (row.stream_id !== stream[0]?.streamId) finish();
      stream.push(chainedOf(row));
      events += 1;
      if (events % PROGRESS_EVERY === 0) progress.update(events, total);
    }
    finish();
    progress.update(total, total);
    return { streams, events };
  } finally {
    db.close();
  }
}

function countEvents(db: Database.Database, path: string): number {
  try {
    return db.prepare('SELECT count(*) FROM events').pluck().get() as number;
  } catch (error: unknown) {
    throw new CliError(
      `${path} holds no events table: ${(error as Error).message}`,
      EXIT.failed,
    );
  }
}

function rowsOf(db: Database.Database): IterableIterator<EventRow> {
  return db
    .prepare<[], EventRow>(
      'SELECT stream_id, revision, id, type, schema_version, data, metadata ' +
        'FROM events ORDER BY stream_id, revision',
    )
    .iterate();
}

function chainedOf(row: EventRow): ChainedEvent {
  try {
    return {
      streamId: row.stream_id,
      revision: row.revision,
      id: row.id,
      type: row.type,
      schemaVersion: row.schema_version,
      data: JSON.parse(row.data) as unknown,
      metadata: JSON.parse(row.metadata) as EventMetadataRecord,
    };
  } catch {
    throw broken(
      row.stream_id,
      row.revision,
      'its data or metadata is not JSON',
    );
  }
}

function verifyStream(streamId: string, events: readonly ChainedEvent[]) {
  const result = verifyChain(events);
  if (!result.valid) {
    throw broken(streamId, result.firstBrokenRevision, result.reason);
  }
}

function broken(streamId: string, revision: number, reason: string) {
  return new CliError(
    `the hash chain of the events is broken: stream ${streamId}, ` +
      `revision ${revision} (${reason})`,
    EXIT.failed,
  );
}
