import type {
  EventMetadataRecord,
  NewEvent,
  RecordedEvent,
} from '../event-store.port.js';
import { sequencePosition } from '../position.js';
import { Upcasting } from '../upcasting/upcasters.js';
import type { SchemaOptions } from '../upcasting/upcasters.js';
import type { SerializedEvent, StoredEvent } from './stored-event.js';

/** A stored event's text is not the JSON it must be. */
export class UnreadableEventError extends Error {
  override readonly name = 'UnreadableEventError';

  constructor(
    readonly eventId: string,
    readonly streamId: string,
    options: ErrorOptions,
  ) {
    super(
      `event ${eventId} of stream ${streamId} is stored as invalid JSON`,
      options,
    );
  }
}

/**
 * The one code path between stored and recorded events for every adapter,
 * so that all of them upcast alike: the embedded ones deserialize their
 * stored text, the EventStoreDB one upcasts what its client has parsed.
 */
export class EventSerializer {
  private readonly upcasting: Upcasting;

  constructor(options: SchemaOptions = {}) {
    this.upcasting = new Upcasting(options);
  }

  /** Throws a TypeError for data or metadata that JSON cannot represent. */
  serialize(event: NewEvent): SerializedEvent {
    return {
      id: event.id,
      type: event.type,
      schemaVersion: event.schemaVersion,
      data: toJson(event.data, event.id, 'data'),
      metadata: toJson(event.metadata, event.id, 'metadata'),
    };
  }

  /**
   * Parses and upgrades to the current version of the event's type, unless
   * `asStored`.
   */
  deserialize(stored: StoredEvent, asStored = false): RecordedEvent {
    const recorded: RecordedEvent = {
      id: stored.id,
      type: stored.type,
      schemaVersion: stored.schemaVersion,
      data: parse(stored, stored.data),
      metadata: parse(stored, stored.metadata) as EventMetadataRecord,
      streamId: stored.streamId,
      revision: stored.revision,
      position: sequencePosition(stored.position),
      recordedAt: stored.recordedAt,
    };
    return asStored ? recorded : this.upcast(recorded);
  }

  /**
   * Upgrades an event that its store has already parsed, such as one read
   * through a client library, to the current version of its type.
   */
  upcast(event: RecordedEvent): RecordedEvent {
    const { schemaVersion, data } = this.upcasting.upgrade(
      event.type,
      { schemaVersion: event.schemaVersion, data: event.data },
      event.metadata,
    );
    return { ...event, schemaVersion, data };
  }
}

function toJson(value: unknown, eventId: string, field: string): string {
  const text = JSON.stringify(value) as string | undefined;
  if (text === undefined) {
    throw new TypeError(`event ${eventId} has ${field} that JSON cannot hold`);
  }
  return text;
}

function parse(stored: StoredEvent, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error: unknown) {
    throw new UnreadableEventError(stored.id, stored.streamId, {
      cause: error,
    });
  }
}
