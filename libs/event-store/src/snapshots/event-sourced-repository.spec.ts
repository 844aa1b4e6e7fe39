import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';

import {
  makeTempDir,
  removeTempDir,
} from '../../../../test/support/temp-dir.js';
import type {
  EventStore,
  NewEvent,
  ReadStreamOptions,
  RecordedEvent,
} from '../event-store.port.js';
import { InMemoryEventStore } from '../in-memory/in-memory-event-store.js';
import { SqliteEventStore } from '../sqlite/sqlite-event-store.js';
import { EventSourcedRepository } from './event-sourced-repository.js';
import type {
  LoadedState,
  RepositoryLogger,
} from './event-sourced-repository.js';
import { InMemorySnapshotStore } from './in-memory-snapshot-store.js';
import type { SnapshotStore } from './snapshot-store.port.js';
import { SqliteSnapshotStore } from './sqlite-snapshot-store.js';

interface Tally {
  readonly count: number;
  readonly sum: number;
}

interface Added {
  readonly amount: number;
}

const initialState: Tally = { count: 0, sum: 0 };
const evolve = (state: Tally, event: Added): Tally => ({
  count: state.count + 1,
  sum: state.sum + event.amount,
});
const toEvent = (recorded: RecordedEvent): Added => recorded.data as Added;

function added(amounts: readonly number[]): NewEvent[] {
  return amounts.map((amount) => ({
    id: randomUUID(),
    type: 'Added',
    schemaVersion: 1,
    data: { amount },
    metadata: {},
  }));
}

/** Counts the events the repository reads, whatever the store behind. */
class CountingEventStore implements EventStore {
  eventsRead = 0;

  constructor(private readonly inner: EventStore) {}

  append: EventStore['append'] = (...args) => this.inner.append(...args);
  readAll: EventStore['readAll'] = (...args) => this.inner.readAll(...args);
  subscribeToAll: EventStore['subscribeToAll'] = (...args) =>
    this.inner.subscribeToAll(...args);
  ping: EventStore['ping'] = () => this.inner.ping();
  close: EventStore['close'] = () => this.inner.close();

  async readStream(
    streamId: string,
    options?: ReadStreamOptions,
  ): Promise<RecordedEvent[]> {
    const events = await this.inner.readStream(streamId, options);
    this.eventsRead += events.length;
    return events;
  }
}

class CollectingLogger implements RepositoryLogger {
  readonly warnings: string[] = [];

  warn(message: string): void {
    this.warnings.push(message);
  }
}

interface Stores {
  readonly events: EventStore;
  readonly snapshots: SnapshotStore;
  close(): Promise<void>;
}

let folder: string;

beforeAll(async () => {
  folder = await makeTempDir('event-sourced-repository');
});

afterAll(async () => {
  await removeTempDir(folder);
});

const adapters: [string, () => Stores][] = [
  [
    'in-memory',
    () => ({
      events: new InMemoryEventStore(),
      snapshots: new InMemorySnapshotStore(),
      close: () => Promise.resolve(),
    }),
  ],
  [
    'SQLite',
    () => {
      const path = join(folder, `${randomUUID()}.sqlite`);
      const events = SqliteEventStore.open({ path, durability: 'normal' });
      const snapshots = SqliteSnapshotStore.open({ path });
      return {
        events,
        snapshots,
        close: async () => {
          await events.close();
          await snapshots.close();
        },
      };
    },
  ],
];

describe.each(adapters)('EventSourcedRepository on %s', (_, open) => {
  let stores: Stores;
  let counting: CountingEventStore;
  let logger: CollectingLogger;

  beforeAll(() => {
    stores = open();
    counting = new CountingEventStore(stores.events);
    logger = new CollectingLogger();
  });

  afterAll(async () => {
    await stores.close();
  });

  const repository = (
    snapshots: SnapshotStore = stores.snapshots,
    stateVersion = 1,
  ): EventSourcedRepository<Tally, Added> =>
    new EventSourcedRepository({
      events: counting,
      snapshots,
      evolve,
      initialState,
      stateVersion,
      toEvent,
      logger,
      snapshotEvery: 100,
    });

  it('loads a missing stream as the initial state at revision -1', async () => {
    expect(await repository().load(`tally-${randomUUID()}`)).toEqual({
      state: initialState,
      revision: -1,
    });
  });

  it('loads 10,000 events reading at most snapshotEvery of them', async () => {
    const repo = repository();
    const streamId = `tally-${randomUUID()}`;
    let loaded: LoadedState<Tally> = await repo.load(streamId);
    for (let appended = 0; appended < 10_000; appended += 37) {
      const amounts = Array.from(
        { length: Math.min(37, 10_000 - appended) },
        (_, offset) => appended + offset,
      );
      const result = await repo.append(
        streamId,
        added(amounts),
        loaded.revision,
        loaded,
      );
      const state = amounts.reduce(
        (s, amount) => evolve(s, { amount }),
        loaded.state,
      );
      loaded = { state, revision: result.nextRevision };
    }
    counting.eventsRead = 0;

    const fresh = await repo.load(streamId);

    expect(fresh).toEqual({
      state: { count: 10_000, sum: (9_999 * 10_000) / 2 },
      revision: 9_999,
    });
    expect(counting.eventsRead).toBeLessThanOrEqual(100);
    expect(logger.warnings).toEqual([]);
  });

  it('reads only the events after the snapshot', async () => {
    const repo = repository();
    const streamId = `tally-${randomUUID()}`;
    await stores.events.append(streamId, added(Array(10_000).fill(1)), -1);
    await repo.load(streamId);
    await stores.events.append(streamId, added(Array(99).fill(1)), 9_999);
    counting.eventsRead = 0;

    const loaded = await repo.load(streamId);

    expect(loaded.state).toEqual({ count: 10_099, sum: 10_099 });
    expect(counting.eventsRead).toBe(99);
  });

  it('ignores a snapshot of a stale state version and replaces it', async () => {
    const streamId = `tally-${randomUUID()}`;
    await stores.events.append(
      streamId,
      added(Array(250).fill(2)),
      'no_stream',
    );
    await stores.snapshots.save(streamId, {
      revision: 249,
      stateVersion: 0,
      state: { count: -1, sum: -1 },
    });
    counting.eventsRead = 0;

    const loaded = await repository().load(streamId);

    expect(loaded).toEqual({ state: { count: 250, sum: 500 }, revision: 249 });
    expect(counting.eventsRead).toBe(250);
    expect(await stores.snapshots.load(streamId)).toEqual({
      revision: 249,
      stateVersion: 1,
      state: { count: 250, sum: 500 },
    });
  });

  it('snapshots from a fresh load when the caller passes no state', async () => {
    const repo = repository();
    const streamId = `tally-${randomUUID()}`;
    await repo.append(streamId, added(Array(60).fill(1)), 'no_stream');

    await repo.append(streamId, added(Array(60).fill(1)), 'any');

    expect(await stores.snapshots.load(streamId)).toEqual({
      revision: 119,
      stateVersion: 1,
      state: { count: 120, sum: 120 },
    });
  });
});

describe('EventSourcedRepository when snapshots fail', () => {
  const failing = (load: SnapshotStore['load']): SnapshotStore => ({
    load,
    save: () => Promise.reject(new Error('disk full')),
  });

  const repository = (
    events: EventStore,
    snapshots: SnapshotStore,
    logger: RepositoryLogger,
  ): EventSourcedRepository<Tally, Added> =>
    new EventSourcedRepository({
      events,
      snapshots,
      evolve,
      initialState,
      stateVersion: 1,
      toEvent,
      logger,
      snapshotEvery: 10,
    });

  it('logs a failed save and still appends', async () => {
    const events = new InMemoryEventStore();
    const logger = new CollectingLogger();
    const repo = repository(
      events,
      failing(() => Promise.resolve(null)),
      logger,
    );

    const result = await repo.append('tally-a', added(Array(12).fill(1)), -1);

    expect(result.nextRevision).toBe(11);
    expect(logger.warnings).toEqual(['snapshot not saved']);
  });

  it('folds from events when the snapshot cannot be read', async () => {
    const events = new InMemoryEventStore();
    const snapshots = new InMemorySnapshotStore();
    snapshots.saveRaw('tally-b', {
      revision: 3,
      stateVersion: 1,
      state: '{not json',
    });
    await events.append('tally-b', added([1, 2, 3, 4]), 'no_stream');
    const logger = new CollectingLogger();

    const loaded = await repository(events, snapshots, logger).load('tally-b');

    expect(loaded).toEqual({ state: { count: 4, sum: 10 }, revision: 3 });
    expect(logger.warnings).toEqual([
      'snapshot unreadable, folding from events',
    ]);
    expect(await snapshots.load('tally-b')).toMatchObject({
      state: { count: 4, sum: 10 },
    });
  });
});
