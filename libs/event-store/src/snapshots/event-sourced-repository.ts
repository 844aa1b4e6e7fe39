import type {
  AppendResult,
  EventStore,
  ExpectedRevision,
  NewEvent,
  RecordedEvent,
} from '../event-store.port.js';
import type { SnapshotStore } from './snapshot-store.port.js';

/** A stream's state and the revision it was folded up to (-1: no stream). */
export interface LoadedState<State> {
  readonly state: State;
  readonly revision: number;
}

/** Where the repository reports snapshot trouble it recovered from. */
export interface RepositoryLogger {
  warn(message: string, fields: Readonly<Record<string, unknown>>): void;
}

/** Options of {@link EventSourcedRepository}. */
export interface EventSourcedRepositoryOptions<State, Event> {
  readonly events: EventStore;
  readonly snapshots: SnapshotStore;
  readonly evolve: (state: State, event: Event) => State;
  readonly initialState: State;
  /**
   * The shape version of `State`. Snapshots of any other version are
   * ignored and rebuilt from events.
   */
  readonly stateVersion: number;
  /** Turns a recorded event into the event `evolve` takes. */
  readonly toEvent: (recorded: RecordedEvent) => Event;
  /** Snapshot failures are logged here, never thrown. */
  readonly logger: RepositoryLogger;
  /**
   * A snapshot is saved when an append takes the stream across a multiple
   * of this many events, or when a load had to fold this many. Defaults to
   * 100.
   */
  readonly snapshotEvery?: number;
  /** Events per read while folding. Defaults to 1000. */
  readonly pageSize?: number;
}

interface Folded<State> extends LoadedState<State> {
  /** How many events the fold read. */
  readonly read: number;
}

/**
 * Loads a stream's state from its newest usable snapshot plus the events
 * after it, and appends with snapshots every `snapshotEvery` events.
 */
export class EventSourcedRepository<State, Event> {
  private readonly snapshotEvery: number;
  private readonly pageSize: number;

  constructor(
    private readonly options: EventSourcedRepositoryOptions<State, Event>,
  ) {
    this.snapshotEvery = options.snapshotEvery ?? 100;
    this.pageSize = options.pageSize ?? 1000;
    if (!Number.isSafeInteger(this.snapshotEvery) || this.snapshotEvery < 1) {
      throw new RangeError('snapshotEvery must be a positive integer');
    }
  }

  /** The current state; `initialState` at revision -1 for a missing stream. */
  async load(streamId: string): Promise<LoadedState<State>> {
    const snapshot = await this.usableSnapshot(streamId);
    const folded = await this.foldFrom(streamId, snapshot.loaded);
    const worthSaving = folded.read >= this.snapshotEvery;
    if (worthSaving || (snapshot.discarded && folded.revision >= 0)) {
      await this.saveSnapshot(streamId, folded);
    }
    return { state: folded.state, revision: folded.revision };
  }

  /**
   * Appends like {@link EventStore.append}. When the stream crosses a
   * multiple of `snapshotEvery`, saves a snapshot of the new state, folded
   * from `decidedOn` (the state the events were decided on) plus the
   * appended events; without it, or when others appended in between, from
   * a fresh load.
   */
  async append(
    streamId: string,
    events: readonly NewEvent[],
    expected: ExpectedRevision,
    decidedOn?: LoadedState<State>,
  ): Promise<AppendResult> {
    const result = await this.options.events.append(streamId, events, expected);
    if (this.crossesSnapshot(result.nextRevision, events.length)) {
      await this.snapshotAfter(
        streamId,
        result.nextRevision - events.length,
        decidedOn,
      );
    }
    return result;
  }

  private crossesSnapshot(nextRevision: number, appended: number): boolean {
    const after = Math.floor((nextRevision + 1) / this.snapshotEvery);
    const before = Math.floor(
      (nextRevision + 1 - appended) / this.snapshotEvery,
    );
    return after > before;
  }

  private async snapshotAfter(
    streamId: string,
    base: number,
    decidedOn: LoadedState<State> | undefined,
  ): Promise<void> {
    try {
      const start =
        decidedOn?.revision === base
          ? decidedOn
          : (await this.usableSnapshot(streamId)).loaded;
      await this.saveSnapshot(streamId, await this.foldFrom(streamId, start));
    } catch (error: unknown) {
      this.warn('snapshot not saved after append', streamId, error);
    }
  }

  private async usableSnapshot(
    streamId: string,
  ): Promise<{ loaded: LoadedState<State>; discarded: boolean }> {
    const initial = { state: this.options.initialState, revision: -1 };
    try {
      const snapshot = await this.options.snapshots.load(streamId);
      if (!snapshot) return { loaded: initial, discarded: false };
      if (snapshot.stateVersion !== this.options.stateVersion) {
        return { loaded: initial, discarded: true };
      }
      // The version matches, so the stored state has the shape of State.
      const state = snapshot.state as State;
      return {
        loaded: { state, revision: snapshot.revision },
        discarded: false,
      };
    } catch (error: unknown) {
      this.warn('snapshot unreadable, folding from events', streamId, error);
      return { loaded: initial, discarded: true };
    }
  }

  private async foldFrom(
    streamId: string,
    start: LoadedState<State>,
  ): Promise<Folded<State>> {
    let { state, revision } = start;
    let read = 0;
    for (;;) {
      const page = await this.options.events.readStream(streamId, {
        fromRevision: revision + 1,
        maxCount: this.pageSize,
      });
      for (const recorded of page) {
        state = this.options.evolve(state, this.options.toEvent(recorded));
        revision = recorded.revision;
      }
      read += page.length;
      if (page.length < this.pageSize) return { state, revision, read };
    }
  }

  private async saveSnapshot(
    streamId: string,
    folded: LoadedState<State>,
  ): Promise<void> {
    try {
      await this.options.snapshots.save(streamId, {
        revision: folded.revision,
        stateVersion: this.options.stateVersion,
        state: folded.state,
      });
    } catch (error: unknown) {
      this.warn('snapshot not saved', streamId, error);
    }
  }

  private warn(message: string, streamId: string, error: unknown): void {
    this.options.logger.warn(message, { streamId, error });
  }
}
