import { ANY, jsonEvent, NO_STREAM } from '@eventstore/db-client';
import type {
  AppendExpectedRevision,
  EventData,
  JSONType,
  RecordedEvent as ClientRecordedEvent,
} from '@eventstore/db-client';

import { matchesFilter } from '../event-filter.js';
import type {
  EventFilter,
  EventMetadataRecord,
  ExpectedRevision,
  NewEvent,
  RecordedEvent,
} from '../event-store.port.js';
import type { EventSerializer } from '../serialization/event-serializer.js';
import { UnreadableEventError } from '../serialization/event-serializer.js';

/**
 * The key of the event metadata under which the adapter stores an event's
 * schema version. It starts with `$`, the prefix EventStoreDB keeps for
 * metadata it defines itself, so it cannot clash with the domain's keys.
 */
export const SCHEMA_VERSION_KEY = '$schemaVersion';

/** Snapshots live in streams named with this prefix and the stream's id. */
export const SNAPSHOT_STREAM_PREFIX = 'snapshot-';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The client's expected revision for the port's: -1 means no stream. */
export function toClientRevision(
  expected: ExpectedRevision,
): AppendExpectedRevision {
  if (expected === 'any') return ANY;
  if (expected === 'no_stream' || expected === -1) return NO_STREAM;
  return BigInt(expected);
}

/** The port's actual revision for the client's: -1 for no stream. */
export function fromClientRevision(revision: bigint | 'no_stream'): number {
  return revision === NO_STREAM ? -1 : Number(revision);
}

/**
 * Whether an event is EventStoreDB's own: in a `$` stream (metadata
 * streams included) or of a `$` type (a tombstone in a user stream).
 */
export function isSystemEvent(streamId: string, type: string): boolean {
  return streamId.startsWith('$') || type.startsWith('$');
}

/** Whether `$all` readers of the port see this event. */
export function isPortEvent(
  filter: EventFilter | undefined,
  streamId: string,
  type: string,
): boolean {
  return (
    !isSystemEvent(streamId, type) &&
    !streamId.startsWith(SNAPSHOT_STREAM_PREFIX) &&
    matchesFilter(filter, streamId, type)
  );
}

/** Converts between the port's events and the client's JSON events. */
export class EsdbEventCodec {
  constructor(private readonly serializer: EventSerializer) {}

  /**
   * The event as the client appends it. Throws a TypeError for an id that
   * is not a UUID, for data or metadata JSON cannot hold, and for metadata
   * that already uses {@link SCHEMA_VERSION_KEY}.
   */
  encode(event: NewEvent): EventData {
    if (!UUID.test(event.id)) {
      throw new TypeError(
        `event id ${event.id} is not a UUID; EventStoreDB stores UUID ids only`,
      );
    }
    if (Object.hasOwn(event.metadata, SCHEMA_VERSION_KEY)) {
      throw new TypeError(
        `event ${event.id} has metadata ${SCHEMA_VERSION_KEY}, which the ` +
          'store sets itself; rename that key',
      );
    }
    this.serializer.serialize(event);
    return jsonEvent({
      id: event.id,
      type: event.type,
      data: event.data as JSONType,
      metadata: {
        ...event.metadata,
        [SCHEMA_VERSION_KEY]: event.schemaVersion,
      },
    });
  }

  /**
   * The recorded event at the current schema version of its type. Throws
   * {@link UnreadableEventError} when it is not a JSON event with JSON
   * object metadata, as this adapter writes them. `asStored` skips upcasting.
   */
  decode(event: ClientRecordedEvent, asStored = false): RecordedEvent {
    const { streamId, id, position } = event;
    const metadata = event.metadata;
    if (!event.isJson || !isRecord(metadata) || !position) {
      throw new UnreadableEventError(id, streamId, {
        cause: new Error(
          'not a JSON event with JSON object metadata and a $all position',
        ),
      });
    }
    const { [SCHEMA_VERSION_KEY]: version, ...rest } = metadata;
    const recorded: RecordedEvent = {
      id,
      type: event.type,
      schemaVersion: isVersion(version) ? version : 1,
      data: event.data,
      metadata: rest,
      streamId,
      revision: Number(event.revision),
      position,
      recordedAt: event.created.toISOString(),
    };
    return asStored ? recorded : this.serializer.upcast(recorded);
  }
}

function isRecord(value: unknown): value is EventMetadataRecord {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Uint8Array)
  );
}

function isVersion(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 1;
}
