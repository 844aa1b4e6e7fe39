import { BACKWARDS, END, jsonEvent, NO_STREAM } from '@eventstore/db-client';
import type { EventStoreDBClient } from '@eventstore/db-client';

import {
  stateFromJson,
  stateToJson,
  supersedes,
} from '../snapshots/snapshot-json.js';
import { UnreadableSnapshotError } from '../snapshots/snapshot-store.port.js';
import type {
  Snapshot,
  SnapshotStore,
} from '../snapshots/snapshot-store.port.js';
import { connectClient } from './esdb-connection.js';
import {
  isStreamNotFound,
  isWrongExpectedVersion,
  translateEsdbError,
} from './esdb-errors.js';
import { SNAPSHOT_STREAM_PREFIX } from './esdb-events.js';

const SNAPSHOT_TYPE = 'Snapshot';

/** The newest snapshot event of a snapshot stream. */
interface Stored {
  /** Revision of the snapshot event in its snapshot stream. */
  readonly eventRevision: bigint;
  /** Undefined when it cannot be read back. */
  readonly snapshot: Snapshot | undefined;
  readonly unreadable?: UnreadableSnapshotError;
}

/**
 * Snapshots in EventStoreDB: the snapshot of stream `s` is the newest
 * event of stream `snapshot-s`, whose metadata sets `$maxCount` to 1 so
 * that the server drops older ones. Only snapshot streams ever get stream
 * metadata: the event streams themselves are the audit record and are
 * never truncated.
 */
export class EventStoreDbSnapshotStore implements SnapshotStore {
  private constructor(private readonly client: EventStoreDBClient) {}

  /** A snapshot store on its own connection to `connectionString`. */
  static connect(connectionString: string): EventStoreDbSnapshotStore {
    return new EventStoreDbSnapshotStore(connectClient(connectionString));
  }

  async load(streamId: string): Promise<Snapshot | null> {
    const stored = await this.newest(streamId);
    if (stored?.unreadable) throw stored.unreadable;
    return stored?.snapshot ?? null;
  }

  async save(streamId: string, snapshot: Snapshot): Promise<void> {
    const state = stateToJson(streamId, snapshot);
    const stored = await this.newest(streamId);
    if (stored?.snapshot && !supersedes(snapshot, stored.snapshot)) return;
    const stream = snapshotStream(streamId);
    try {
      if (!stored) {
        await this.client.setStreamMetadata(stream, { maxCount: 1 });
      }
      await this.client.appendToStream(
        stream,
        jsonEvent({
          type: SNAPSHOT_TYPE,
          data: {
            revision: snapshot.revision,
            stateVersion: snapshot.stateVersion,
            state: JSON.parse(state) as unknown,
          },
        }),
        { expectedRevision: stored ? stored.eventRevision : NO_STREAM },
      );
    } catch (error: unknown) {
      // Another writer saved a snapshot of the stream meanwhile; snapshots
      // are an optimization, and the next load decides again.
      if (isWrongExpectedVersion(error)) return;
      throw translateEsdbError(error);
    }
  }

  async close(): Promise<void> {
    await this.client.dispose();
  }

  private async newest(streamId: string): Promise<Stored | undefined> {
    const read = this.client.readStream(snapshotStream(streamId), {
      direction: BACKWARDS,
      fromRevision: END,
      maxCount: 1,
    });
    // Read to the end even for one event: a read left unfinished keeps its
    // call open, and the client's dispose() would wait for it forever.
    let stored: Stored | undefined;
    try {
      for await (const { event } of read) {
        if (event) stored = toStored(streamId, event.revision, event.data);
      }
      return stored;
    } catch (error: unknown) {
      if (isStreamNotFound(error)) return undefined;
      throw translateEsdbError(error);
    }
  }
}

/** The stream that holds the snapshots of `streamId`. */
export function snapshotStream(streamId: string): string {
  return `${SNAPSHOT_STREAM_PREFIX}${streamId}`;
}

function toStored(
  streamId: string,
  eventRevision: bigint,
  data: unknown,
): Stored {
  const { revision, stateVersion, state } = (data ?? {}) as Record<
    string,
    unknown
  >;
  if (!isCount(revision) || !isCount(stateVersion) || state === undefined) {
    const unreadable = new UnreadableSnapshotError(streamId, {
      cause: new Error(
        'the snapshot event lacks revision, stateVersion or state',
      ),
    });
    return { eventRevision, snapshot: undefined, unreadable };
  }
  // The same JSON round trip as the other snapshot stores, so that a
  // loaded state is never shared with anything else.
  const copy = stateFromJson(streamId, JSON.stringify(state));
  return { eventRevision, snapshot: { revision, stateVersion, state: copy } };
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
