/**
 * A place in the log of all events. Positions grow with every append; compare
 * them by `commit`, then `prepare`. The embedded store uses one sequence for
 * both; EventStoreDB gives transaction-log byte offsets.
 */
export interface Position {
  readonly commit: bigint;
  readonly prepare: bigint;
}

/** Metadata stored with every event, as recorded by the domain. */
export type EventMetadataRecord = Readonly<Record<string, unknown>>;

/** An event to append. Its `id` is deterministic so that a retried append is stored once. */
export interface NewEvent {
  readonly id: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: unknown;
  readonly metadata: EventMetadataRecord;
}

/** An event as stored, upcast to the current schema version of its type. */
export interface RecordedEvent extends NewEvent {
  readonly streamId: string;
  /** 0-based revision of the event in its stream. */
  readonly revision: number;
  readonly position: Position;
  /** When the store recorded it (ISO 8601). */
  readonly recordedAt: string;
}

/**
 * What the stream must look like for an append to go through: its exact
 * current revision, `no_stream` (it must not exist yet) or `any`. An exact
 * revision of -1 means the same as `no_stream`, so that the revision a
 * repository reports for a missing stream can be passed on unchanged.
 */
export type ExpectedRevision = number | 'no_stream' | 'any';

/** What an append left behind, also when a retry found it already stored. */
export interface AppendResult {
  /** The revision of the last event now in the stream. */
  readonly nextRevision: number;
  /** The position of the last event appended. */
  readonly position: Position;
}

/** Which part of one stream to read; all of it forwards by default. */
export interface ReadStreamOptions {
  /** First revision to read, inclusive; defaults to the start (forwards) or the end (backwards). */
  readonly fromRevision?: number;
  readonly direction?: 'forwards' | 'backwards';
  readonly maxCount?: number;
  /**
   * Skip upcasting: the events at the schema version and in the shape they
   * were stored with, as the integrity chain hashed them.
   */
  readonly asStored?: boolean;
}

/** Which events of the whole log a reader or subscriber wants. */
export interface EventFilter {
  readonly streamPrefixes?: readonly string[];
  readonly eventTypes?: readonly string[];
}

/** Which part of the whole log to read; all of it by default. */
export interface ReadAllOptions {
  /** Exclusive: events after this position. Defaults to the start of the log. */
  readonly after?: Position;
  readonly maxCount?: number;
  readonly filter?: EventFilter;
}

/** Where a subscription to the whole log starts and what it delivers. */
export interface SubscribeOptions {
  /** Exclusive, like a checkpoint: delivery starts after it. */
  readonly after?: Position;
  readonly filter?: EventFilter;
}

/** Receives events in log order; the next one is delivered once the promise settles. */
export interface SubscriptionHandler {
  readonly onEvent: (event: RecordedEvent) => Promise<void>;
  /** Called once when the subscription has delivered everything stored and goes live. */
  readonly onCaughtUp?: () => void;
  /** Called once when the subscription ends with an error it cannot recover from. */
  readonly onError?: (error: Error) => void;
}

/** A running subscription. */
export interface Subscription {
  /**
   * Ends delivery. Resolves once the event in flight, if any, has been
   * handled; no event is delivered after that. Awaiting it from inside
   * `onEvent` would wait for itself, so a handler calls it without `await`.
   */
  readonly stop: () => Promise<void>;
}

/** The event store port. Adapters translate their library's errors into this file's. */
export interface EventStore {
  /**
   * Appends atomically, or throws {@link WrongExpectedRevisionError}. Appending
   * events whose ids are already stored right after `expected` in the same
   * stream succeeds without storing them again, so a retry is safe.
   */
  append(
    streamId: string,
    events: readonly NewEvent[],
    expected: ExpectedRevision,
  ): Promise<AppendResult>;
  /** A missing stream reads as empty. */
  readStream(
    streamId: string,
    options?: ReadStreamOptions,
  ): Promise<RecordedEvent[]>;
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  /**
   * Catch-up from `after`, then live, in log order. A handler that rejects
   * ends the subscription through `onError`, so that no event is skipped.
   */
  subscribeToAll(
    options: SubscribeOptions,
    handler: SubscriptionHandler,
  ): Subscription;
  /**
   * Resolves when the store can be reached, for readiness checks; rejects
   * with {@link EventStoreUnavailableError} otherwise.
   */
  ping(): Promise<void>;
  /** Settles pending appends, stops subscriptions and releases the store. */
  close(): Promise<void>;
}

/** The stream was not at the expected revision. */
export class WrongExpectedRevisionError extends Error {
  override readonly name = 'WrongExpectedRevisionError';

  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    /** The stream's current revision, or -1 when it does not exist. */
    readonly actual: number,
  ) {
    super(
      `stream ${streamId} is at revision ${actual}, expected ${String(expected)}`,
    );
  }
}

/** The store cannot be reached or failed; the operation may be retried. */
export class EventStoreUnavailableError extends Error {
  override readonly name = 'EventStoreUnavailableError';
}

/**
 * An event id of the append is already stored somewhere other than right
 * after the expected revision of the same stream, or is given twice. Event
 * ids are deterministic, so this means another command produced the id: the
 * append is refused rather than stored twice.
 */
export class DuplicateEventIdError extends Error {
  override readonly name = 'DuplicateEventIdError';

  constructor(
    readonly streamId: string,
    readonly eventId: string,
    /** Where the id is stored already, when the store knows it. */
    readonly storedIn: string | null,
  ) {
    super(
      `event id ${eventId} appended to ${streamId} is already stored` +
        (storedIn === null ? '' : ` in ${storedIn}`) +
        '; give each new event a new id',
    );
  }
}
