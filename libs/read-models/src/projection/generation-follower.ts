import type {
  EventFilter,
  EventStore,
  Position,
  RecordedEvent,
  Subscription,
} from '@org/event-store';

import { ORGANIZATION_STREAM_PREFIX } from '../organization/organization-view.js';
import { reasonOf } from '../shared/errors.js';
import { isAfter } from '../shared/positions.js';
import type { ProjectionLogger } from './projection-logger.js';
import {
  ProjectionApplyError,
  type Projection,
  type ProjectionFailure,
} from './projection.port.js';

/** The events every organization projection follows. */
export const ORGANIZATION_EVENTS: EventFilter = {
  streamPrefixes: [ORGANIZATION_STREAM_PREFIX],
};

/** How a {@link GenerationFollower} works and whom it tells. */
export interface FollowerOptions {
  readonly events: EventStore;
  readonly projection: Projection;
  readonly generation: number;
  readonly batchSize: number;
  readonly retryDelayMs: number;
  readonly now: () => Date;
  readonly logger: ProjectionLogger;
  /** Called whenever the checkpoint or the state changed. */
  readonly onChange: () => void;
}

export type FollowerState = 'idle' | 'catching-up' | 'live' | 'stopped';

type FlushMode = 'full' | 'idle' | 'caught-up';

const MAX_RETRY_DELAY_MS = 30_000;

/**
 * Applies the log to one generation of a read model: subscribes after the
 * stored checkpoint, collects events into batches and hands each to the
 * projection, which stores it with its checkpoint atomically. A batch is
 * applied when it is full or when the subscription has nothing more to
 * deliver at the moment.
 *
 * An event the projection cannot apply stops the follower with that event
 * as its failure. A storage or subscription failure drops what is
 * collected and subscribes again from the stored checkpoint after a
 * growing delay.
 */
export class GenerationFollower {
  state: FollowerState = 'idle';
  checkpoint: Position | null = null;
  failure: ProjectionFailure | undefined;
  retrying: { readonly reason: string; readonly attempts: number } | undefined;
  /** Events applied since the follower was made. */
  applied = 0;

  private buffer: RecordedEvent[] = [];
  private subscription: Subscription | undefined;
  // Bumped whenever a subscription is abandoned, so that its late events
  // and flushes are ignored.
  private session = 0;
  private flushes: Promise<void> = Promise.resolve();
  private flushesInFlight = 0;
  private idleFlushScheduled = false;
  private indexed = false;
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: FollowerOptions) {}

  get generation(): number {
    return this.options.generation;
  }

  /** Whether everything delivered is applied and the subscription is live. */
  isIdle(): boolean {
    return (
      this.state === 'live' &&
      this.buffer.length === 0 &&
      this.flushesInFlight === 0
    );
  }

  /** The oldest event delivered but not yet applied. */
  firstPending(): RecordedEvent | undefined {
    return this.buffer[0];
  }

  async start(): Promise<void> {
    this.failure = undefined;
    this.retrying = undefined;
    this.checkpoint = await this.store.readCheckpoint(this.generation);
    this.subscribe();
  }

  /** Stops after applying what was delivered; a failure stays reported. */
  async stop(): Promise<void> {
    clearTimeout(this.retryTimer);
    const subscription = this.subscription;
    this.subscription = undefined;
    await subscription?.stop();
    await this.flush(this.session, 'idle');
    this.session += 1;
    this.buffer = [];
    this.state = 'stopped';
    this.options.onChange();
  }

  private get store() {
    return this.options.projection.store;
  }

  private subscribe(): void {
    const session = (this.session += 1);
    this.state = 'catching-up';
    this.subscription = this.options.events.subscribeToAll(
      { after: this.checkpoint ?? undefined, filter: ORGANIZATION_EVENTS },
      {
        onEvent: (event) => this.receive(session, event),
        onCaughtUp: () => {
          this.caughtUp(session);
        },
        onError: (error) => {
          this.retry(session, error);
        },
      },
    );
    this.options.onChange();
  }

  private async receive(session: number, event: RecordedEvent): Promise<void> {
    if (session !== this.session) return;
    const last = this.buffer.at(-1)?.position ?? this.checkpoint;
    if (last !== null && !isAfter(event.position, last)) return;
    this.buffer.push(event);
    if (this.buffer.length >= this.options.batchSize) {
      await this.flush(session, 'full');
    } else {
      this.scheduleIdleFlush(session);
    }
  }

  // Live once what was delivered is applied and the generation has the
  // indexes a bulk load leaves out (built once per follower).
  private caughtUp(session: number): void {
    if (session !== this.session) return;
    void this.flush(session, 'caught-up');
  }

  // Runs once the events delivered in this turn of the event loop are in.
  private scheduleIdleFlush(session: number): void {
    if (this.idleFlushScheduled) return;
    this.idleFlushScheduled = true;
    setImmediate(() => {
      this.idleFlushScheduled = false;
      void this.flush(session, 'idle');
    });
  }

  private flush(session: number, mode: FlushMode): Promise<void> {
    this.flushesInFlight += 1;
    this.flushes = this.flushes
      .then(() => this.flushNow(session, mode))
      .finally(() => {
        this.flushesInFlight -= 1;
        this.options.onChange();
      });
    return this.flushes;
  }

  private async flushNow(session: number, mode: FlushMode): Promise<void> {
    if (session !== this.session || this.failure !== undefined) return;
    const events = this.take(mode);
    try {
      if (events.length > 0) await this.apply(events);
      if (mode === 'caught-up') await this.goLive(session);
    } catch (error: unknown) {
      if (!(error instanceof ProjectionApplyError)) {
        this.retry(session, error);
        return;
      }
      this.advance(error.committed, error.applied);
      this.halt(error);
    }
  }

  private async apply(events: RecordedEvent[]): Promise<void> {
    const { projection, generation } = this.options;
    const next = await projection.applyBatch(
      generation,
      events,
      this.checkpoint,
    );
    this.advance(next, events.length);
  }

  private async goLive(session: number): Promise<void> {
    if (!this.indexed) {
      await this.store.indexGeneration?.(this.generation);
      this.indexed = true;
    }
    if (session !== this.session) return;
    this.state = 'live';
    this.log('caught up, live');
  }

  // A full batch keeps back its last events that share a commit position:
  // they may be one transaction (EventStoreDB) with more of it to come,
  // and a checkpoint must not fall inside a transaction.
  private take(mode: FlushMode): RecordedEvent[] {
    let count = this.buffer.length;
    const lastCommit = this.buffer.at(-1)?.position.commit;
    if (mode === 'full') {
      while (
        count > 0 &&
        this.buffer[count - 1]?.position.commit === lastCommit
      )
        count -= 1;
      if (count === 0) count = this.buffer.length;
    }
    return this.buffer.splice(0, count);
  }

  private advance(checkpoint: Position | null, applied: number): void {
    this.checkpoint = checkpoint;
    this.applied += applied;
    this.retrying = undefined;
  }

  private halt(error: ProjectionApplyError): void {
    this.failure = error.failure(this.options.now());
    this.abandon();
    this.state = 'stopped';
    this.options.logger.error(
      'projection stopped at an event it cannot apply',
      {
        ...this.fields(),
        eventId: error.event.id,
        eventType: error.event.type,
        position: error.event.position.commit.toString(),
        reason: error.reason,
      },
    );
  }

  private retry(session: number, error: unknown): void {
    if (session !== this.session || this.state === 'stopped') return;
    const attempts = (this.retrying?.attempts ?? 0) + 1;
    this.retrying = { reason: reasonOf(error), attempts };
    this.abandon();
    this.state = 'catching-up';
    const delay = Math.min(
      this.options.retryDelayMs * 2 ** (attempts - 1),
      MAX_RETRY_DELAY_MS,
    );
    this.options.logger.warn('projection failed; retrying', {
      ...this.fields(),
      reason: reasonOf(error),
      attempts,
      delayMs: delay,
    });
    this.retryTimer = setTimeout(() => {
      void this.resubscribe();
    }, delay);
  }

  private async resubscribe(): Promise<void> {
    const session = this.session;
    try {
      this.checkpoint = await this.store.readCheckpoint(this.generation);
      if (session === this.session && this.state !== 'stopped') {
        this.subscribe();
      }
    } catch (error: unknown) {
      this.retry(session, error);
    }
  }

  private abandon(): void {
    this.session += 1;
    this.buffer = [];
    const subscription = this.subscription;
    this.subscription = undefined;
    // Not awaited: this may run inside the subscription's own handler.
    void subscription?.stop();
  }

  private log(message: string): void {
    this.options.logger.log(message, this.fields());
  }

  private fields(): Record<string, unknown> {
    return {
      projection: this.options.projection.name,
      generation: this.generation,
    };
  }
}
