import type { EventStore, Position } from '@org/event-store';

import {
  RebuildFailedError,
  RebuildInProgressError,
} from '../shared/errors.js';
import { positionToJson, type PositionJson } from '../shared/positions.js';
import type { EventLogMeter } from './event-log-meter.js';
import {
  GenerationFollower,
  ORGANIZATION_EVENTS,
} from './generation-follower.js';
import { type ProjectionLogger, SILENT_LOGGER } from './projection-logger.js';
import type { Projection, ProjectionFailure } from './projection.port.js';

/** Options of {@link ProjectionRunner}. */
export interface ProjectionRunnerOptions {
  readonly events: EventStore;
  readonly projection: Projection;
  /**
   * Measures lag and rebuild progress: {@link denseEventLogMeter} for the
   * embedded stores, {@link countingEventLogMeter} for EventStoreDB.
   */
  readonly meter: EventLogMeter;
  /** Most events applied in one atomic step. Defaults to 500. */
  readonly batchSize?: number;
  /**
   * How long the generation a rebuild replaced is kept before it is
   * deleted, so that queries that read the old generation's pointer just
   * before the switch can finish. Defaults to 10,000 ms.
   */
  readonly retireAfterMs?: number;
  /** The first delay before retrying after a storage failure; doubles up to 30 s. Defaults to 500 ms. */
  readonly retryDelayMs?: number;
  readonly now?: () => Date;
  readonly logger?: ProjectionLogger;
}

/** What a projection is doing. */
export type ProjectionState = 'catching-up' | 'live' | 'stopped' | 'rebuilding';

/** How far a rebuild has come. */
export interface RebuildProgress {
  /** The generation being built; `null` while it is being created. */
  readonly generation: number | null;
  /** Events applied to it so far. */
  readonly done: number;
  /** `done` plus the events still behind (see the meter for what counts). */
  readonly total: number;
  readonly eventsPerSecond: number;
  /** `null` until the rate is known. */
  readonly secondsLeft: number | null;
  readonly startedAt: string;
}

/** A projection's health, for `/health` and the metrics. JSON as it is. */
export interface ProjectionStatus {
  readonly name: string;
  /** `rebuilding` while a rebuild runs; the active generation keeps serving. */
  readonly state: ProjectionState;
  /** The generation queries read. */
  readonly generation: number | null;
  /** The last event applied to it. */
  readonly checkpoint: PositionJson | null;
  /** Events behind the head of the log; 0 when live with nothing pending. */
  readonly lagEvents: number;
  /**
   * How long the oldest event not yet applied has waited (now − its
   * `recordedAt`), in seconds; 0 when nothing is pending.
   */
  readonly lagSeconds: number;
  /** The event the projection stopped at. */
  readonly error?: ProjectionFailure;
  /** A storage failure it is retrying after. */
  readonly retrying?: { readonly reason: string; readonly attempts: number };
  readonly rebuild?: RebuildProgress;
}

/** What a finished rebuild did. */
export interface RebuildOutcome {
  readonly generation: number;
  readonly replaced: number;
  readonly events: number;
  readonly seconds: number;
}

interface Waiter {
  readonly position: Position;
  readonly resolve: (reached: boolean) => void;
  readonly timer: NodeJS.Timeout;
}

interface Rebuild {
  readonly startedAt: Date;
  /** Once the new generation exists. */
  follower?: GenerationFollower;
}

/**
 * Runs one projection: follows the log into the active generation of its
 * read model, reports status and lag, lets queries wait for a position, and
 * rebuilds the read model into a new generation without downtime.
 */
export class ProjectionRunner {
  private active: GenerationFollower | undefined;
  private rebuilding: Rebuild | undefined;
  private readonly waiters = new Set<Waiter>();
  private readonly listeners = new Map<GenerationFollower, () => void>();
  private retiring: { generation: number; timer: NodeJS.Timeout } | undefined;
  private readonly now: () => Date;
  private readonly logger: ProjectionLogger;
  private stopping = false;

  constructor(private readonly options: ProjectionRunnerOptions) {
    this.now = options.now ?? (() => new Date());
    this.logger = options.logger ?? SILENT_LOGGER;
  }

  get name(): string {
    return this.options.projection.name;
  }

  /** Starts following the log from the active generation's checkpoint. */
  async start(): Promise<void> {
    if (this.active !== undefined && this.active.state !== 'stopped') return;
    this.stopping = false;
    const generation = await this.options.projection.store.activeGeneration();
    this.active = this.follower(generation);
    await this.active.start();
    this.logger.log('projection started', {
      projection: this.name,
      generation,
      checkpoint: this.active.checkpoint?.commit.toString() ?? null,
    });
  }

  /** Stops after applying what was delivered; pending waits answer `false`. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.rebuilding?.follower?.stop();
    await this.active?.stop();
    await this.retireNow();
    for (const waiter of this.waiters) this.settle(waiter, false);
  }

  /**
   * Resolves `true` once the projection has applied the event at
   * `position` (its checkpoint's commit position is at or past it), or
   * `false` after `timeoutMs` or as soon as the projection is stopped by an
   * event it cannot apply.
   */
  waitUntil(position: Position, timeoutMs: number): Promise<boolean> {
    if (this.reached(position)) return Promise.resolve(true);
    if (this.active?.failure !== undefined) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.settle(waiter, false);
      }, timeoutMs);
      const waiter: Waiter = { position, resolve, timer };
      this.waiters.add(waiter);
    });
  }

  async status(): Promise<ProjectionStatus> {
    const active = this.active;
    const [lagEvents, lagSeconds, rebuild] = await Promise.all([
      this.lagEvents(active),
      this.lagSeconds(active),
      this.rebuildProgress(),
    ]);
    return {
      name: this.name,
      state: this.state(active),
      generation: active?.generation ?? null,
      checkpoint: checkpointJson(active),
      lagEvents,
      lagSeconds,
      ...(active?.failure === undefined ? {} : { error: active.failure }),
      ...(active?.retrying === undefined ? {} : { retrying: active.retrying }),
      ...(rebuild === undefined ? {} : { rebuild }),
    };
  }

  /**
   * Rebuilds the read model from the start of the log into a new
   * generation while the active one keeps serving. Once the new one has
   * caught up, the active one stops, the new one catches up to it, and the
   * active pointer switches to the new one in one atomic step; the old
   * generation is deleted after `retireAfterMs`. If the new generation
   * stops at an event, it is deleted and the active one goes on.
   */
  async rebuild(): Promise<RebuildOutcome> {
    const old = this.active;
    if (old === undefined) throw new Error('start the projection first');
    if (this.rebuilding !== undefined) {
      throw new RebuildInProgressError(`${this.name} is being rebuilt already`);
    }
    const store = this.options.projection.store;
    const startedAt = this.now();
    const rebuild: Rebuild = { startedAt };
    this.rebuilding = rebuild;
    try {
      await this.dropLeftovers();
      const follower = this.follower(await store.createGeneration());
      rebuild.follower = follower;
      await this.switchTo(follower, old);
      return {
        generation: follower.generation,
        replaced: old.generation,
        events: follower.applied,
        seconds: (this.now().getTime() - startedAt.getTime()) / 1000,
      };
    } finally {
      this.rebuilding = undefined;
    }
  }

  private async switchTo(
    follower: GenerationFollower,
    old: GenerationFollower,
  ): Promise<void> {
    const store = this.options.projection.store;
    this.log('rebuild started', follower.generation);
    try {
      await follower.start();
      if (this.stopping) await follower.stop();
      await this.until(follower, () => follower.isIdle());
      await old.stop();
      const target = old.checkpoint;
      await this.until(follower, () => covers(follower.checkpoint, target));
      if (this.stopping) throw new Error('the projection was stopped');
      await store.activateGeneration(follower.generation);
    } catch (error: unknown) {
      await follower.stop();
      await store.dropGeneration(follower.generation);
      const stoppedHere = old.state === 'stopped' && old.failure === undefined;
      if (stoppedHere && !this.stopping) await old.start();
      throw error;
    }
    this.active = follower;
    this.log('rebuild switched generations', follower.generation);
    this.checkWaiters();
    await this.retire(old.generation);
  }

  // Resolves when the condition holds, checked on every change of the
  // follower; rejects when the follower stops, at an event or by stop().
  private until(
    follower: GenerationFollower,
    condition: () => boolean,
  ): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const { failure, state } = follower;
        const stopped = state === 'stopped';
        if (!stopped && !condition()) return;
        this.listeners.delete(follower);
        if (failure !== undefined) reject(new RebuildFailedError(failure));
        else if (stopped) reject(new Error('the projection was stopped'));
        else resolve();
      };
      this.listeners.set(follower, check);
      check();
    });
  }

  private follower(generation: number): GenerationFollower {
    const follower: GenerationFollower = new GenerationFollower({
      events: this.options.events,
      projection: this.options.projection,
      generation,
      batchSize: this.options.batchSize ?? 500,
      retryDelayMs: this.options.retryDelayMs ?? 500,
      now: this.now,
      logger: this.logger,
      onChange: () => {
        this.listeners.get(follower)?.();
        if (follower === this.active) this.checkWaiters();
      },
    });
    return follower;
  }

  private async dropLeftovers(): Promise<void> {
    const store = this.options.projection.store;
    await this.retireNow();
    for (const generation of await store.inactiveGenerations()) {
      await store.dropGeneration(generation);
    }
  }

  private async retire(generation: number): Promise<void> {
    const delay = this.options.retireAfterMs ?? 10_000;
    const timer = setTimeout(() => {
      void this.retireNow();
    }, delay);
    timer.unref();
    this.retiring = { generation, timer };
    if (delay <= 0) await this.retireNow();
  }

  private async retireNow(): Promise<void> {
    const retiring = this.retiring;
    if (retiring === undefined) return;
    this.retiring = undefined;
    clearTimeout(retiring.timer);
    try {
      await this.options.projection.store.dropGeneration(retiring.generation);
      this.log('old generation deleted', retiring.generation);
    } catch (error: unknown) {
      this.logger.warn('could not delete an old generation', {
        projection: this.name,
        generation: retiring.generation,
        reason: error instanceof Error ? error.message : String(error),
      });
    }
  }

  private reached(position: Position): boolean {
    const checkpoint = this.active?.checkpoint ?? null;
    return checkpoint !== null && checkpoint.commit >= position.commit;
  }

  private checkWaiters(): void {
    const failed = this.active?.failure !== undefined;
    for (const waiter of this.waiters) {
      if (this.reached(waiter.position)) this.settle(waiter, true);
      else if (failed) this.settle(waiter, false);
    }
  }

  private settle(waiter: Waiter, reached: boolean): void {
    clearTimeout(waiter.timer);
    this.waiters.delete(waiter);
    waiter.resolve(reached);
  }

  private state(active: GenerationFollower | undefined): ProjectionState {
    if (this.rebuilding !== undefined) return 'rebuilding';
    if (active === undefined || active.state === 'idle') return 'stopped';
    return active.state;
  }

  private async lagEvents(
    follower: GenerationFollower | undefined,
  ): Promise<number> {
    if (follower === undefined || follower.isIdle()) return 0;
    return this.options.meter.eventsAfter(follower.checkpoint);
  }

  private async lagSeconds(
    follower: GenerationFollower | undefined,
  ): Promise<number> {
    if (follower === undefined || follower.isIdle()) return 0;
    const pending =
      follower.firstPending() ??
      (
        await this.options.events.readAll({
          after: follower.checkpoint ?? undefined,
          maxCount: 1,
          filter: ORGANIZATION_EVENTS,
        })
      )[0];
    if (pending === undefined) return 0;
    const waited = this.now().getTime() - Date.parse(pending.recordedAt);
    return Math.max(0, Math.round(waited) / 1000);
  }

  private async rebuildProgress(): Promise<RebuildProgress | undefined> {
    const rebuild = this.rebuilding;
    if (rebuild === undefined) return undefined;
    const { follower, startedAt } = rebuild;
    const done = follower?.applied ?? 0;
    const behind = follower?.isIdle()
      ? 0
      : await this.options.meter.eventsAfter(follower?.checkpoint ?? null);
    const seconds = (this.now().getTime() - startedAt.getTime()) / 1000;
    const rate = seconds > 0 ? done / seconds : 0;
    return {
      generation: follower?.generation ?? null,
      done,
      total: done + behind,
      eventsPerSecond: Math.round(rate),
      secondsLeft: rate > 0 ? Math.ceil(behind / rate) : null,
      startedAt: startedAt.toISOString(),
    };
  }

  private log(message: string, generation: number): void {
    this.logger.log(message, { projection: this.name, generation });
  }
}

function checkpointJson(
  follower: GenerationFollower | undefined,
): PositionJson | null {
  const checkpoint = follower?.checkpoint ?? null;
  return checkpoint === null ? null : positionToJson(checkpoint);
}

/** Whether a checkpoint is at or past another; nothing is covered by `null`. */
function covers(checkpoint: Position | null, target: Position | null): boolean {
  if (target === null) return true;
  return checkpoint !== null && checkpoint.commit >= target.commit;
}
