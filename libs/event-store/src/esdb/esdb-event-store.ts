import {
  BACKWARDS,
  END,
  eventTypeFilter,
  excludeSystemEvents,
  FORWARDS,
  START,
  streamNameFilter,
} from '@eventstore/db-client';
import type {
  AllStreamRecordedEvent,
  AllStreamSubscription,
  EventData,
  EventStoreDBClient,
  Filter,
  ReadRevision,
  RecordedEvent as ClientRecordedEvent,
  ResolvedEvent,
} from '@eventstore/db-client';

import { assertValidAppend } from '../append-rules.js';
import {
  EventStoreUnavailableError,
  WrongExpectedRevisionError,
} from '../event-store.port.js';
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
import {
  chainNew,
  GENESIS_HASH,
  storedHashOf,
} from '../integrity/hash-chain.js';
import { comparePositions } from '../position.js';
import { EventSerializer } from '../serialization/event-serializer.js';
import type { SchemaOptions } from '../upcasting/upcasters.js';
import { isStreamNotFound, translateEsdbError } from './esdb-errors.js';
import {
  EsdbEventCodec,
  isPortEvent,
  toClientRevision,
} from './esdb-events.js';
import { connectClient } from './esdb-connection.js';
import { EsdbSubscription } from './esdb-subscription.js';
import type {
  EventStoreDbLogger,
  ResubscribeOptions,
} from './esdb-subscription.js';

/**
 * How often an `any` append reads the stream's end again after losing a
 * race to another process; those of this process wait for each other.
 */
const ANY_APPEND_ATTEMPTS = 20;

/** Where an append's events join the stream's hash chain. */
interface ChainStart {
  readonly firstRevision: number;
  readonly prevHash: string;
  readonly expected: ExpectedRevision;
}

/** Options of {@link EventStoreDbEventStore}. */
export interface EventStoreDbEventStoreOptions extends SchemaOptions {
  /** How dropped subscriptions subscribe again. */
  readonly resubscribe?: ResubscribeOptions;
  /** Events per page when `readAll` scans `$all`. Defaults to 500. */
  readonly pageSize?: number;
  /** How long `ping` waits for the server. Defaults to 2000 ms. */
  readonly pingTimeoutMs?: number;
  /** Where subscriptions report catching up and resubscribing; silent by default. */
  readonly logger?: EventStoreDbLogger;
}

/**
 * The event store on EventStoreDB through `@eventstore/db-client`: one
 * stream per event stream, the port's events as JSON events whose metadata
 * carries the schema version under `$schemaVersion`, and subscriptions to
 * `$all` that resubscribe when the server drops them. Readers of `$all`
 * see neither EventStoreDB's system events nor the snapshot streams of
 * {@link EventStoreDbSnapshotStore}. The client's errors become the
 * port's here.
 *
 * Limitation: an event id already stored in another stream is not
 * refused with DuplicateEventIdError, because EventStoreDB only recognises
 * ids within the stream written to (and, for `any`, only as long as its
 * id cache remembers them). Deterministic ids make that collision a bug
 * the embedded stores catch in tests.
 *
 * Limitation: positions of events read from a stream need a server that
 * reports them on stream reads (22.6 and later).
 */
export class EventStoreDbEventStore implements EventStore {
  private readonly codec: EsdbEventCodec;
  private readonly subscriptions = new Set<EsdbSubscription>();
  private readonly appending = new Set<Promise<unknown>>();
  private readonly anyAppends = new Map<string, Promise<unknown>>();
  private closed = false;

  private constructor(
    private readonly client: EventStoreDBClient,
    private readonly options: EventStoreDbEventStoreOptions,
  ) {
    this.codec = new EsdbEventCodec(new EventSerializer(options));
  }

  /**
   * A store on the server of `connectionString` (`esdb://`, or
   * `esdb+discover://` for a cluster). Connects lazily, on the first call.
   * Throws a TypeError for a string the client cannot parse, without
   * repeating the string, which may hold credentials.
   */
  static connect(
    connectionString: string,
    options: EventStoreDbEventStoreOptions = {},
  ): EventStoreDbEventStore {
    return new EventStoreDbEventStore(connectClient(connectionString), options);
  }

  async append(
    streamId: string,
    events: readonly NewEvent[],
    expected: ExpectedRevision,
  ): Promise<AppendResult> {
    this.assertOpen();
    assertValidAppend(streamId, events, expected);
    events.forEach((event) => this.codec.encode(event));
    const appended = this.appendChained(streamId, events, expected);
    this.appending.add(appended);
    try {
      return await appended;
    } finally {
      this.appending.delete(appended);
    }
  }

  async readStream(
    streamId: string,
    options: ReadStreamOptions = {},
  ): Promise<RecordedEvent[]> {
    this.assertOpen();
    const backwards = options.direction === 'backwards';
    const from = options.fromRevision;
    const beforeStart = backwards && from !== undefined && from < 0;
    if (options.maxCount === 0 || beforeStart) return [];

    const read = this.client.readStream(streamId, {
      direction: backwards ? BACKWARDS : FORWARDS,
      fromRevision: startOf(from, backwards),
      maxCount: options.maxCount,
    });
    try {
      return await this.collect(read, options.asStored);
    } catch (error: unknown) {
      if (isStreamNotFound(error)) return [];
      throw translateEsdbError(error);
    }
  }

  /**
   * Limitation: the client (6.2.1) cannot filter reads of `$all` on the
   * server, so a filtered read scans every event after `after` here.
   * Subscriptions filter on the server.
   */
  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const limit = options.maxCount ?? Number.POSITIVE_INFINITY;
    const pageSize = this.options.pageSize ?? 500;
    const found: RecordedEvent[] = [];
    let after = options.after;
    while (found.length < limit) {
      const page = await this.readAllPage(after, pageSize);
      for (const event of page) {
        if (isPortEvent(options.filter, event.streamId, event.type)) {
          found.push(this.codec.decode(event));
        }
        if (found.length === limit) break;
      }
      after = page.at(-1)?.position ?? after;
      if (page.length < pageSize) break;
    }
    return found;
  }

  subscribeToAll(
    options: SubscribeOptions,
    handler: SubscriptionHandler,
  ): Subscription {
    this.assertOpen();
    const subscription = new EsdbSubscription(
      {
        open: (after) => this.openSubscription(after, options.filter),
        accept: (event) =>
          isPortEvent(options.filter, event.streamId, event.type)
            ? this.codec.decode(event)
            : undefined,
      },
      handler,
      {
        after: options.after,
        resubscribe: {
          initialDelayMs: this.options.resubscribe?.initialDelayMs ?? 100,
          maxDelayMs: this.options.resubscribe?.maxDelayMs ?? 5000,
        },
        logger: this.options.logger,
      },
      (ended) => this.subscriptions.delete(ended),
    );
    this.subscriptions.add(subscription);
    subscription.start();
    this.options.logger?.log('subscription to $all started', {
      filter: options.filter,
    });
    return subscription;
  }

  async ping(): Promise<void> {
    this.assertOpen();
    const read = this.client.readAll({
      direction: BACKWARDS,
      fromPosition: END,
      maxCount: 1,
    });
    const timeoutMs = this.options.pingTimeoutMs ?? 2000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(
          new EventStoreUnavailableError(
            `EventStoreDB did not answer within ${timeoutMs} ms`,
          ),
        );
      }, timeoutMs);
    });
    // An answer is all a ping needs: the newest event of `$all` may be a
    // system event that is not this store's JSON.
    const reading = drain(read);
    reading.catch(() => undefined);
    try {
      await Promise.race([reading, timeout]);
    } catch (error: unknown) {
      await read.cancel();
      throw translateEsdbError(error);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Lets appends in flight settle, stops subscriptions, closes the connection. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([...this.appending]);
    await Promise.all([...this.subscriptions].map((sub) => sub.stop()));
    await this.client.dispose();
  }

  // The chain needs the predecessor for certain: the append is sent with
  // the exact revision whose event was read, so the server refuses it when
  // another writer came in between. `any` reads the last event and retries
  // on such a race; a retry of events already stored goes out as `any`, for
  // the server to recognise their ids.
  private appendChained(
    streamId: string,
    events: readonly NewEvent[],
    expected: ExpectedRevision,
  ): Promise<AppendResult> {
    if (expected !== 'any')
      return this.appendLinked(streamId, events, expected);
    const before = this.anyAppends.get(streamId) ?? Promise.resolve();
    const appended = before
      .catch(() => undefined)
      .then(() => this.appendLinked(streamId, events, expected));
    this.anyAppends.set(streamId, appended);
    const forget = (): void => {
      if (this.anyAppends.get(streamId) === appended) {
        this.anyAppends.delete(streamId);
      }
    };
    appended.then(forget, forget);
    return appended;
  }

  private async appendLinked(
    streamId: string,
    events: readonly NewEvent[],
    expected: ExpectedRevision,
  ): Promise<AppendResult> {
    for (let attempt = 1; ; attempt++) {
      const start = await this.chainStart(streamId, events, expected);
      const data = chainNew(
        streamId,
        start.firstRevision,
        start.prevHash,
        events,
      ).map((event) => this.codec.encode(event));
      try {
        return await this.appendNow(streamId, data, start.expected);
      } catch (error: unknown) {
        const raced =
          expected === 'any' && error instanceof WrongExpectedRevisionError;
        if (!raced || attempt >= ANY_APPEND_ATTEMPTS) throw error;
      }
    }
  }

  private async chainStart(
    streamId: string,
    events: readonly NewEvent[],
    expected: ExpectedRevision,
  ): Promise<ChainStart> {
    const genesis = { firstRevision: 0, prevHash: GENESIS_HASH };
    if (expected === 'no_stream' || expected === -1) {
      return { ...genesis, expected };
    }
    const [last] = await this.readStream(streamId, {
      direction: 'backwards',
      fromRevision: expected === 'any' ? undefined : expected,
      maxCount: 1,
      asStored: true,
    });
    if (expected !== 'any') {
      const prevHash =
        last?.revision === expected
          ? (storedHashOf(last.metadata) ?? GENESIS_HASH)
          : GENESIS_HASH;
      return { firstRevision: expected + 1, prevHash, expected };
    }
    if (!last) return { ...genesis, expected: 'no_stream' };
    const retried = events.some(({ id }) => id === last.id);
    return {
      firstRevision: last.revision + 1,
      prevHash: storedHashOf(last.metadata) ?? GENESIS_HASH,
      expected: retried ? 'any' : last.revision,
    };
  }

  private async appendNow(
    streamId: string,
    data: EventData[],
    expected: ExpectedRevision,
  ): Promise<AppendResult> {
    try {
      const result = await this.client.appendToStream(streamId, data, {
        expectedRevision: toClientRevision(expected),
      });
      const nextRevision = Number(result.nextExpectedRevision);
      const position =
        result.position ?? (await this.positionAt(streamId, nextRevision));
      return { nextRevision, position };
    } catch (error: unknown) {
      throw translateEsdbError(error, { streamId, expected });
    }
  }

  // A server answers an append with the position of its last event; one
  // that does not (an empty append) is asked for it.
  private async positionAt(
    streamId: string,
    revision: number,
  ): Promise<Position> {
    const [event] = await this.readStream(streamId, {
      direction: 'backwards',
      fromRevision: revision,
      maxCount: 1,
    });
    return event?.position ?? { commit: 0n, prepare: 0n };
  }

  private async readAllPage(
    after: Position | undefined,
    pageSize: number,
  ): Promise<AllStreamRecordedEvent[]> {
    // Reads of $all start at their position, inclusive: one more event is
    // read and the one at `after` dropped.
    const read = this.client.readAll({
      fromPosition: after ?? START,
      maxCount: after === undefined ? pageSize : pageSize + 1,
    });
    const events: AllStreamRecordedEvent[] = [];
    try {
      for await (const { event } of read) {
        if (event && !(after && comparePositions(event.position, after) <= 0)) {
          events.push(event);
        }
      }
    } catch (error: unknown) {
      throw translateEsdbError(error);
    }
    return events;
  }

  private openSubscription(
    after: Position | undefined,
    filter: EventFilter | undefined,
  ): AllStreamSubscription {
    return this.client.subscribeToAll({
      fromPosition: after ?? START,
      filter: serverFilter(filter),
    });
  }

  // Reads run to the end before anything is decoded: a read the loop left
  // early keeps its call open, and the client's dispose() would wait for
  // that call forever.
  private async collect(
    read: AsyncIterable<ResolvedEvent>,
    asStored = false,
  ): Promise<RecordedEvent[]> {
    const events: ClientRecordedEvent[] = [];
    for await (const { event } of read) {
      if (event) events.push(event);
    }
    return events.map((event) => this.codec.decode(event, asStored));
  }

  private assertOpen(): void {
    if (this.closed) {
      throw new EventStoreUnavailableError(
        'the EventStoreDB event store is closed',
      );
    }
  }
}

/** Reads a stream to its end, keeping nothing. */
async function drain(read: AsyncIterable<unknown>): Promise<void> {
  const iterator = read[Symbol.asyncIterator]();
  while (!(await iterator.next()).done);
}

/** Where a stream read starts: the given revision, else the start or end. */
function startOf(
  fromRevision: number | undefined,
  backwards: boolean,
): ReadRevision {
  if (fromRevision !== undefined) return BigInt(Math.max(0, fromRevision));
  return backwards ? END : START;
}

/**
 * The server-side part of a port filter. The server filters on stream
 * names or on event types, not both, and the port's filter may give
 * both; the adapter checks the whole filter again on every event it
 * receives, system events excluded.
 */
function serverFilter(filter: EventFilter | undefined): Filter {
  const prefixes = filter?.streamPrefixes ?? [];
  if (prefixes.length > 0) return streamNameFilter({ prefixes: [...prefixes] });
  const types = filter?.eventTypes ?? [];
  if (types.length > 0) {
    return eventTypeFilter({
      regex: `^(?:${types.map(escapeRegex).join('|')})$`,
    });
  }
  return excludeSystemEvents();
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
