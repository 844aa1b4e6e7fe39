/**
 * An event in the form every embedded adapter stores it: data and metadata
 * as JSON text, at the schema version it was written with.
 */
export interface StoredEvent {
  /** The event's place in the log, a sequence starting at 1. */
  readonly position: bigint;
  readonly streamId: string;
  readonly revision: number;
  readonly id: string;
  readonly type: string;
  readonly schemaVersion: number;
  /** JSON text. */
  readonly data: string;
  /** JSON text. */
  readonly metadata: string;
  /** ISO 8601. */
  readonly recordedAt: string;
}

/** The stored fields an append contributes; the store adds the rest. */
export type SerializedEvent = Pick<
  StoredEvent,
  'id' | 'type' | 'schemaVersion' | 'data' | 'metadata'
>;
