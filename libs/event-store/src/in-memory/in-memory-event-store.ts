import {
  assertValidAppend,
  checkExpected,
  findRetriedAppend,
} from '../append-rules.js';
import type { AppendView, EventLocation } from '../append-rules.js';
import { matchesFilter } from '../event-filter.js';
import { EventStoreUnavailableError } from '../event-store.port.js';
import type {
  AppendResult,
  EventFilter,
  EventStore,
  ExpectedRevision,
  NewEvent,
  Position,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
  Subscription,
  SubscriptionHandler,
} from '../event-store.port.js';
import { sequencePosition } from '../position.js';
import { settle } from '../settle.js';
import { chainSerialized, prevHashAfter } from '../integrity/hash-chain.js';
import { EventSerializer } from '../serialization/event-serializer.js';
import type { StoredEvent } from '../serialization/stored-event.js';
import { CatchUpSubscription } from '../subscription/catch-up-subscription.js';
import type { LogPage } from '../subscription/catch-up-subscription.js';
import type { SchemaOptions } from '../upcasting/upcasters.js';

/** An event already in the store before it starts, in its stored form. */
export type SeedEvent = Omit<StoredEvent, 'position'>;

/** Options of {@link InMemoryEventStore}. */
export interface InMemoryEventStoreOptions extends SchemaOptions {
  /**
   * Events stored before the store starts, in log order, as an older
   * version of the code would have stored them; for upcasting fixtures.
   */
  readonly seed?: readonly SeedEvent[];
  /** The clock for `recordedAt`. Defaults to the system clock. */
  readonly now?: () => Date;
  /** Events per catch-up read of a subscription. Defaults to 500. */
  readonly pageSize?: number;
}

/**
 * The event store in process memory, for fast tests. Events are kept in
 * their stored form and read through the same serializer as the SQLite
 * adapter, so upcasting and copying behave alike. Positions are one
 * sequence from 1.
 */
export class InMemoryEventStore implements EventStore {
  private readonly log: StoredEvent[] = [];
  private readonly streams = new Map<string, StoredEvent[]>();
  private readonly byId = new Map<string, StoredEvent>();
  private readonly subscriptions = new Set<CatchUpSubscription>();
  private readonly serializer: EventSerializer;
  private readonly now: () => Date;
  private readonly pageSize: number;
  private closed = false;
  private readonly view: AppendView = {
    currentRevision: (streamId) =>
      (this.streams.get(streamId)?.length ?? 0) - 1,
    locate: (eventId) => {
      const stored = this.byId.get(eventId);
      return stored && locationOf(stored);
    },
  };

  constructor(options: InMemoryEventStoreOptions = {}) {
    this.serializer = new EventSerializer(options);
    this.now = options.now ?? (() => new Date());
    this.pageSize = options.pageSize ?? 500;
    options.seed?.forEach((event) => {
      this.store(event);
    });
  }

  append(
    streamId: string,
    events: readonly NewEvent[],
    expected: ExpectedRevision,
  ): Promise<AppendResult> {
    return settle(() => this.appendNow(streamId, events, expected));
  }

  readStream(
    streamId: string,
    options: ReadStreamOptions = {},
  ): Promise<RecordedEvent[]> {
    return settle(() => {
      this.assertOpen();
      return this.selectStream(streamId, options).map((event) =>
        this.serializer.deserialize(event, options.asStored),
      );
    });
  }

  readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    return settle(() => {
      this.assertOpen();
      const maxCount = options.maxCount ?? Number.MAX_SAFE_INTEGER;
      return this.scan(options.after, maxCount, options.filter).events;
    });
  }

  subscribeToAll(
    options: SubscribeOptions,
    handler: SubscriptionHandler,
  ): Subscription {
    this.assertOpen();
    const subscription = new CatchUpSubscription(
      (after, maxCount) =>
        settle(() => this.scan(after, maxCount, options.filter)),
      handler,
      {
        after: options.after,
        pageSize: this.pageSize,
        pollIntervalMs: undefined,
      },
      (ended) => this.subscriptions.delete(ended),
    );
    this.subscriptions.add(subscription);
    subscription.start();
    return subscription;
  }

  ping(): Promise<void> {
    return settle(() => {
      this.assertOpen();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.subscriptions].map((sub) => sub.stop()));
  }

  private appendNow(
    streamId: string,
    events: readonly NewEvent[],
    expected: ExpectedRevision,
  ): AppendResult {
    this.assertOpen();
    assertValidAppend(streamId, events, expected);
    const serialized = events.map((event) => this.serializer.serialize(event));
    const retried = findRetriedAppend(this.view, streamId, events, expected);
    if (retried) return retried;

    const current = this.view.currentRevision(streamId);
    checkExpected(streamId, expected, current);
    const recordedAt = this.now().toISOString();
    const last = this.streams.get(streamId)?.at(-1);
    const chained = chainSerialized(
      streamId,
      current + 1,
      prevHashAfter(last?.metadata),
      serialized,
    );
    chained.forEach((event, offset) => {
      this.store({
        ...event,
        streamId,
        revision: current + 1 + offset,
        recordedAt,
      });
    });
    this.notifySubscriptions();
    return this.resultFor(streamId);
  }

  private selectStream(
    streamId: string,
    options: ReadStreamOptions,
  ): StoredEvent[] {
    const stream = this.streams.get(streamId) ?? [];
    const maxCount = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    if (options.direction === 'backwards') {
      const to = options.fromRevision ?? Number.MAX_SAFE_INTEGER;
      return stream
        .slice(0, to + 1)
        .reverse()
        .slice(0, maxCount);
    }
    const from = Math.max(0, options.fromRevision ?? 0);
    return stream.slice(from, from + maxCount);
  }

  private store(event: SeedEvent): void {
    const stored = { ...event, position: BigInt(this.log.length + 1) };
    this.log.push(stored);
    this.byId.set(stored.id, stored);
    const stream = this.streams.get(stored.streamId);
    if (stream) stream.push(stored);
    else this.streams.set(stored.streamId, [stored]);
  }

  private resultFor(streamId: string): AppendResult {
    const last = this.streams.get(streamId)?.at(-1);
    if (!last) return { nextRevision: -1, position: sequencePosition(0n) };
    const { revision, position } = locationOf(last);
    return { nextRevision: revision, position };
  }

  private scan(
    after: Position | undefined,
    maxCount: number,
    filter: EventFilter | undefined,
  ): LogPage & { events: RecordedEvent[] } {
    const events: RecordedEvent[] = [];
    let index = after === undefined ? 0 : Number(after.commit);
    for (; index < this.log.length && events.length < maxCount; index++) {
      const stored = this.log[index];
      if (stored && matchesFilter(filter, stored.streamId, stored.type)) {
        events.push(this.serializer.deserialize(stored));
      }
    }
    const scannedTo = index === 0 ? after : sequencePosition(BigInt(index));
    return { events, scannedTo };
  }

  private notifySubscriptions(): void {
    this.subscriptions.forEach((subscription) => {
      subscription.notify();
    });
  }

  private assertOpen(): void {
    if (this.closed) {
      throw new EventStoreUnavailableError(
        'the in-memory event store is closed',
      );
    }
  }
}

function locationOf(stored: StoredEvent): EventLocation {
  const { streamId, revision, position } = stored;
  return { streamId, revision, position: sequencePosition(position) };
}
