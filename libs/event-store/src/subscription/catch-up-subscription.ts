import type {
  Position,
  RecordedEvent,
  Subscription,
  SubscriptionHandler,
} from '../event-store.port.js';
import { WakeSignal } from './wake-signal.js';

/** One page of the log as a subscription reads it. */
export interface LogPage {
  readonly events: readonly RecordedEvent[];
  /**
   * How far the read looked, matching or not; a filtered subscription
   * continues from here instead of scanning the skipped events again.
   */
  readonly scannedTo: Position | undefined;
  /**
   * Whether the read stopped short of the head for another reason than a
   * full page (a bounded scan): the subscription has not caught up yet.
   */
  readonly behind?: boolean;
}

/** Reads the events after `after` (exclusive) that the subscription wants. */
export type PageReader = (
  after: Position | undefined,
  maxCount: number,
) => Promise<LogPage>;

/** How a subscription reads and waits. */
export interface CatchUpOptions {
  readonly after: Position | undefined;
  readonly pageSize: number;
  /**
   * How long to wait for a notification before looking again; undefined
   * waits for notifications only.
   */
  readonly pollIntervalMs: number | undefined;
}

/**
 * Delivers pages of the log one event at a time, waits when it has caught
 * up, and reads again when notified of an append or when the poll interval
 * has passed. Shared by the embedded adapters.
 */
export class CatchUpSubscription implements Subscription {
  private readonly signal = new WakeSignal();
  private after: Position | undefined;
  private stopped = false;
  private caughtUp = false;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly readPage: PageReader,
    private readonly handler: SubscriptionHandler,
    private readonly options: CatchUpOptions,
    private readonly onEnd: (subscription: CatchUpSubscription) => void,
  ) {
    this.after = options.after;
  }

  start(): void {
    this.running = this.run();
  }

  /** Tells the subscription that the log may have grown. */
  notify(): void {
    this.signal.notify();
  }

  readonly stop = async (): Promise<void> => {
    this.stopped = true;
    this.signal.notify();
    await this.running;
  };

  private async run(): Promise<void> {
    try {
      await this.follow();
    } catch (error: unknown) {
      this.fail(error);
    } finally {
      this.stopped = true;
      this.onEnd(this);
    }
  }

  private async follow(): Promise<void> {
    while (!this.stopped) {
      const page = await this.readPage(this.after, this.options.pageSize);
      await this.deliver(page);
      const short = page.events.length < this.options.pageSize;
      if (short && page.behind !== true) {
        this.announceCaughtUp();
        await this.signal.wait(this.options.pollIntervalMs);
      } else {
        await nextTurn();
      }
    }
  }

  private async deliver(page: LogPage): Promise<void> {
    for (const event of page.events) {
      if (this.stopped) return;
      await this.handler.onEvent(event);
      this.after = event.position;
    }
    if (!this.stopped) this.after = page.scannedTo ?? this.after;
  }

  private announceCaughtUp(): void {
    if (this.caughtUp || this.stopped) return;
    this.caughtUp = true;
    this.handler.onCaughtUp?.();
  }

  private fail(error: unknown): void {
    if (this.stopped) return;
    this.handler.onError?.(
      error instanceof Error ? error : new Error(String(error)),
    );
  }
}

// The embedded stores read and deliver without I/O, so a catch-up is one
// long chain of promise reactions; without a turn of the event loop
// between pages it would hold off HTTP requests and timers until the
// subscription caught up with the whole log.
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
