import type Database from 'better-sqlite3';

import {
  assertValidAppend,
  checkExpected,
  findRetriedAppend,
} from '../append-rules.js';
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
import { sequencePosition } from '../position.js';
import { chainSerialized, prevHashAfter } from '../integrity/hash-chain.js';
import { EventSerializer } from '../serialization/event-serializer.js';
import type { SerializedEvent } from '../serialization/stored-event.js';
import { settle } from '../settle.js';
import { CatchUpSubscription } from '../subscription/catch-up-subscription.js';
import type { LogPage } from '../subscription/catch-up-subscription.js';
import type { SchemaOptions } from '../upcasting/upcasters.js';
import { GroupCommitQueue } from './group-commit-queue.js';
import type { Outcome } from './group-commit-queue.js';
import { openDatabase } from './sqlite-database.js';
import type { SqliteFileOptions } from './sqlite-database.js';
import {
  isConstraintError,
  isUnavailableError,
  translateSqliteError,
} from './sqlite-errors.js';
import { SqliteEventLog } from './sqlite-event-log.js';

const DEFAULT_SCAN_WINDOW = 10_000;

/** Options of {@link SqliteEventStore}. */
export interface SqliteEventStoreOptions
  extends SqliteFileOptions, SchemaOptions {
  /**
   * How often an idle subscription looks for events appended by another
   * process on the same file. Appends through this instance wake it at
   * once. Defaults to 250 ms.
   */
  readonly pollIntervalMs?: number;
  /** Most appends committed in one transaction. Defaults to 512. */
  readonly maxGroupSize?: number;
  /** Events per catch-up read of a subscription. Defaults to 500. */
  readonly pageSize?: number;
  /**
   * Most positions one catch-up read of a subscription looks at, so that
   * a filter few events match (the key shredder's deletions) does not
   * hold the event loop for a scan of the whole log. Defaults to 10,000,
   * a few milliseconds.
   */
  readonly scanWindow?: number;
  /** The clock for `recordedAt`. Defaults to the system clock. */
  readonly now?: () => Date;
}

/** Counters of a {@link SqliteEventStore} since it was opened. */
export interface SqliteEventStoreStats {
  /** Write transactions committed; one serves a whole group of appends. */
  readonly commits: number;
  /** Appends that went through, retries found already stored included. */
  readonly appends: number;
}

interface AppendRequest {
  readonly streamId: string;
  readonly events: readonly NewEvent[];
  readonly serialized: readonly SerializedEvent[];
  readonly expected: ExpectedRevision;
}

/**
 * The embedded, durable event store: one SQLite file in WAL mode through
 * better-sqlite3.
 *
 * Appends that arrive in the same turn of the event loop are committed
 * together in one `BEGIN IMMEDIATE` transaction, each under its own
 * savepoint, so that one disk sync serves them all while a refused append
 * leaves the others untouched. Subscriptions are woken by this instance's
 * appends and poll for those of other processes.
 *
 * Limitation: better-sqlite3 is synchronous, so a commit or a read holds
 * the event loop for its duration, and waiting for another process's write
 * lock holds it for up to `busyTimeoutMs`. Acceptable for the embedded
 * default, which has one writer process; production uses EventStoreDB.
 */
export class SqliteEventStore implements EventStore {
  private readonly log: SqliteEventLog;
  private readonly serializer: EventSerializer;
  private readonly queue: GroupCommitQueue<AppendRequest, AppendResult>;
  private readonly subscriptions = new Set<CatchUpSubscription>();
  private readonly appendOne: (request: AppendRequest) => AppendResult;
  private readonly appendGroup: Database.Transaction<
    (requests: readonly AppendRequest[]) => Outcome<AppendResult>[]
  >;
  private readonly now: () => Date;
  private counters = { commits: 0, appends: 0 };
  private closed = false;

  private constructor(
    private readonly db: Database.Database,
    private readonly options: SqliteEventStoreOptions,
  ) {
    this.log = new SqliteEventLog(db);
    this.serializer = new EventSerializer(options);
    this.now = options.now ?? (() => new Date());
    this.appendOne = db.transaction((request: AppendRequest) =>
      this.appendNow(request),
    );
    this.appendGroup = db.transaction((requests: readonly AppendRequest[]) =>
      requests.map((request) => this.appendInSavepoint(request)),
    );
    this.queue = new GroupCommitQueue(
      (requests) => this.commitGroup(requests),
      options.maxGroupSize ?? 512,
      translateSqliteError,
    );
  }

  /**
   * Opens (and creates or migrates) the file. Throws
   * {@link EventStoreUnavailableError} when it cannot be opened.
   */
  static open(options: SqliteEventStoreOptions): SqliteEventStore {
    return new SqliteEventStore(openDatabase(options), options);
  }

  append(
    streamId: string,
    events: readonly NewEvent[],
    expected: ExpectedRevision,
  ): Promise<AppendResult> {
    // Enqueued synchronously, so that a close() right after still drains it.
    return settle(() =>
      this.queue.enqueue(this.prepareAppend(streamId, events, expected)),
    );
  }

  readStream(
    streamId: string,
    options: ReadStreamOptions = {},
  ): Promise<RecordedEvent[]> {
    return this.reading(() =>
      this.log
        .readStream(streamId, options)
        .map((stored) => this.serializer.deserialize(stored, options.asStored)),
    );
  }

  readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    return this.reading(() => [
      ...this.readPage(options.after, options.maxCount, options.filter).events,
    ]);
  }

  subscribeToAll(
    options: SubscribeOptions,
    handler: SubscriptionHandler,
  ): Subscription {
    this.assertOpen();
    const subscription = new CatchUpSubscription(
      (after, maxCount) =>
        this.reading(() =>
          this.readPage(after, maxCount, options.filter, this.scanWindow),
        ),
      handler,
      {
        after: options.after,
        pageSize: this.options.pageSize ?? 500,
        pollIntervalMs: this.options.pollIntervalMs ?? 250,
      },
      (ended) => this.subscriptions.delete(ended),
    );
    this.subscriptions.add(subscription);
    subscription.start();
    return subscription;
  }

  ping(): Promise<void> {
    return this.reading(() => {
      this.db.prepare('SELECT 1').get();
    });
  }

  /** Commits the appends still queued, stops subscriptions, closes the file. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.queue.drain();
    await Promise.all([...this.subscriptions].map((sub) => sub.stop()));
    this.db.close();
  }

  /** Counters since the store was opened, to observe group commit. */
  stats(): SqliteEventStoreStats {
    return { ...this.counters };
  }

  private prepareAppend(
    streamId: string,
    events: readonly NewEvent[],
    expected: ExpectedRevision,
  ): AppendRequest {
    this.assertOpen();
    assertValidAppend(streamId, events, expected);
    const serialized = events.map((event) => this.serializer.serialize(event));
    return { streamId, events, serialized, expected };
  }

  private commitGroup(
    requests: readonly AppendRequest[],
  ): Outcome<AppendResult>[] {
    const outcomes = this.appendGroup.immediate(requests);
    this.counters.commits += 1;
    this.counters.appends += outcomes.filter(({ ok }) => ok).length;
    this.subscriptions.forEach((subscription) => {
      subscription.notify();
    });
    return outcomes;
  }

  // better-sqlite3 runs a transaction function called inside another one as
  // a savepoint: a refused append rolls back to it, the group goes on.
  private appendInSavepoint(request: AppendRequest): Outcome<AppendResult> {
    try {
      return { ok: true, value: this.appendOne(request) };
    } catch (error: unknown) {
      if (isUnavailableError(error)) throw error;
      return { ok: false, error: this.refusal(request, error) };
    }
  }

  private appendNow(request: AppendRequest): AppendResult {
    const { streamId, events, expected } = request;
    const retried = findRetriedAppend(this.log, streamId, events, expected);
    if (retried) return retried;

    const current = this.log.currentRevision(streamId);
    checkExpected(streamId, expected, current);
    const recordedAt = this.now().toISOString();
    const last = this.log.lastOf(streamId);
    let position = last?.position ?? 0n;
    const chained = chainSerialized(
      streamId,
      current + 1,
      prevHashAfter(last?.metadata),
      request.serialized,
    );
    chained.forEach((event, offset) => {
      position = this.log.insert(
        streamId,
        current + 1 + offset,
        event,
        recordedAt,
      );
    });
    return {
      nextRevision: current + events.length,
      position: sequencePosition(position),
    };
  }

  private refusal(request: AppendRequest, error: unknown): Error {
    if (isConstraintError(error)) {
      const actual = this.log.currentRevision(request.streamId);
      return new WrongExpectedRevisionError(
        request.streamId,
        request.expected,
        actual,
      );
    }
    return error instanceof Error ? error : new Error(String(error));
  }

  private readPage(
    after: Position | undefined,
    maxCount: number | undefined,
    filter: EventFilter | undefined,
    scanWindow?: bigint,
  ): LogPage & { events: readonly RecordedEvent[] } {
    const page = this.log.readPage(
      after?.commit ?? 0n,
      maxCount,
      filter,
      scanWindow,
    );
    return {
      events: page.events.map((stored) => this.serializer.deserialize(stored)),
      scannedTo: sequencePosition(page.scannedTo),
      behind: page.behind,
    };
  }

  private get scanWindow(): bigint {
    return BigInt(this.options.scanWindow ?? DEFAULT_SCAN_WINDOW);
  }

  private reading<T>(read: () => T): Promise<T> {
    return settle(() => {
      this.assertOpen();
      try {
        return read();
      } catch (error: unknown) {
        throw translateSqliteError(error);
      }
    });
  }

  private assertOpen(): void {
    if (this.closed) {
      throw new EventStoreUnavailableError(
        `the event store on ${this.db.name} is closed`,
      );
    }
  }
}
