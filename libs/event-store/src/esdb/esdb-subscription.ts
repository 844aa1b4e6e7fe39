import type {
  AllStreamRecordedEvent,
  AllStreamResolvedEvent,
  AllStreamSubscription,
} from '@eventstore/db-client';

import type {
  Position,
  RecordedEvent,
  Subscription,
  SubscriptionHandler,
} from '../event-store.port.js';
import { isTransient, translateEsdbError } from './esdb-errors.js';

/** How a dropped subscription waits before it subscribes again. */
export interface ResubscribeOptions {
  /** The first wait, doubled after every attempt that got nowhere. Defaults to 100 ms. */
  readonly initialDelayMs?: number;
  /** The longest wait. Defaults to 5000 ms. */
  readonly maxDelayMs?: number;
}

/** Where the adapter reports subscriptions starting, catching up and dropping. */
export interface EventStoreDbLogger {
  log(message: string, fields: Readonly<Record<string, unknown>>): void;
  warn(message: string, fields: Readonly<Record<string, unknown>>): void;
}

/** What a subscription needs of the store it reads. */
export interface SubscriptionSource {
  /** A server subscription to `$all` after `after` (exclusive), or from the start. */
  open(after: Position | undefined): AllStreamSubscription;
  /** The event for the handler, or undefined when the port's reader does not want it. */
  accept(event: AllStreamRecordedEvent): RecordedEvent | undefined;
}

/** Options of {@link EsdbSubscription}. */
export interface EsdbSubscriptionOptions {
  readonly after: Position | undefined;
  readonly resubscribe: Required<ResubscribeOptions>;
  readonly logger: EventStoreDbLogger | undefined;
}

/** A handler's own failure, which ends the subscription instead of a retry. */
class HandlerFailure extends Error {
  constructor(readonly error: unknown) {
    super('the subscription handler failed', { cause: error });
  }
}

/**
 * A subscription to `$all` that survives the server dropping it: after a
 * CancelledError, UnavailableError or another transient failure it
 * subscribes again, with a growing wait, from the position of the last
 * event it received and handled. The server delivers only events after
 * that position, so no event is missed and none is delivered twice.
 */
export class EsdbSubscription implements Subscription {
  private resumeAfter: Position | undefined;
  private current: AllStreamSubscription | undefined;
  private stopped = false;
  private caughtUp = false;
  private wakeFromBackoff: (() => void) | undefined;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly source: SubscriptionSource,
    private readonly handler: SubscriptionHandler,
    private readonly options: EsdbSubscriptionOptions,
    private readonly onEnd: (subscription: EsdbSubscription) => void,
  ) {
    this.resumeAfter = options.after;
  }

  start(): void {
    this.running = this.run();
  }

  readonly stop = async (): Promise<void> => {
    this.stopped = true;
    this.wakeFromBackoff?.();
    const current = this.current;
    current?.destroy();
    await current?.unsubscribe();
    await this.running;
  };

  private async run(): Promise<void> {
    try {
      await this.follow();
    } catch (error: unknown) {
      this.fail(error instanceof HandlerFailure ? error.error : error);
    } finally {
      this.stopped = true;
      this.onEnd(this);
    }
  }

  private async follow(): Promise<void> {
    let failedAttempts = 0;
    while (!this.isStopped()) {
      const progressed = await this.attempt();
      if (this.isStopped()) return;
      failedAttempts = progressed ? 0 : failedAttempts + 1;
      await this.backoff(failedAttempts);
    }
  }

  // A method, so that the compiler does not assume the flag unchanged
  // across the awaits in between.
  private isStopped(): boolean {
    return this.stopped;
  }

  /** One server subscription, until it drops; whether it got anywhere. */
  private async attempt(): Promise<boolean> {
    const subscription = this.source.open(this.resumeAfter);
    this.current = subscription;
    const progress = { made: false };
    try {
      await this.consume(subscription, progress);
      if (!this.stopped) this.report('ended by the server', undefined);
    } catch (error: unknown) {
      if (this.stopped || error instanceof HandlerFailure) throw error;
      if (!isTransient(error)) throw translateEsdbError(error);
      this.report('dropped', error);
    } finally {
      this.current = undefined;
      await subscription.unsubscribe();
    }
    return progress.made;
  }

  // The client announces caught-up as soon as the message arrives, while
  // events received before it may still wait in its buffer. The handler
  // hears of it once every event received before it has been handled.
  private async consume(
    subscription: AllStreamSubscription,
    progress: { made: boolean },
  ): Promise<void> {
    let received = 0;
    let handled = 0;
    let caughtUpAfter: number | undefined;
    const announce = (): void => {
      if (caughtUpAfter !== undefined && handled >= caughtUpAfter) {
        progress.made = true;
        this.announceCaughtUp();
      }
    };
    subscription.on('caughtUp', () => {
      caughtUpAfter = received + subscription.readableLength;
      announce();
    });
    for await (const resolved of subscription) {
      if (this.stopped) return;
      received += 1;
      await this.handle(resolved);
      progress.made = true;
      handled += 1;
      announce();
    }
  }

  private async handle(resolved: AllStreamResolvedEvent): Promise<void> {
    const { event } = resolved;
    if (!event) return;
    const recorded = this.source.accept(event);
    if (recorded) {
      try {
        await this.handler.onEvent(recorded);
      } catch (error: unknown) {
        throw new HandlerFailure(error);
      }
    }
    this.resumeAfter = event.position;
  }

  private backoff(failedAttempts: number): Promise<void> {
    const { initialDelayMs, maxDelayMs } = this.options.resubscribe;
    const delay = Math.min(maxDelayMs, initialDelayMs * 2 ** failedAttempts);
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.wakeFromBackoff = undefined;
        resolve();
      };
      const timer = setTimeout(wake, delay);
      this.wakeFromBackoff = wake;
    });
  }

  private announceCaughtUp(): void {
    if (this.caughtUp || this.stopped) return;
    this.caughtUp = true;
    this.options.logger?.log('subscription to $all caught up', {
      position: describe(this.resumeAfter),
    });
    this.handler.onCaughtUp?.();
  }

  private report(what: string, error: unknown): void {
    this.options.logger?.warn(`subscription to $all ${what}; resubscribing`, {
      after: describe(this.resumeAfter),
      error: error instanceof Error ? error.message : undefined,
    });
  }

  private fail(error: unknown): void {
    if (this.stopped) return;
    this.stopped = true;
    this.handler.onError?.(
      error instanceof Error ? error : new Error(String(error)),
    );
  }
}

function describe(position: Position | undefined): string {
  return position === undefined
    ? 'start'
    : `${position.commit.toString()}/${position.prepare.toString()}`;
}
