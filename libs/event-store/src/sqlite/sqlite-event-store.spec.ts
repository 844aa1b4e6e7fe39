import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';

import {
  makeTempDir,
  removeTempDir,
} from '../../../../test/support/temp-dir.js';
import { waitFor } from '../../../../test/support/wait-for.js';
import {
  EventStoreUnavailableError,
  WrongExpectedRevisionError,
} from '../event-store.port.js';
import type { NewEvent, RecordedEvent } from '../event-store.port.js';
import { openDatabase, SCHEMA_VERSION } from './sqlite-database.js';
import { SqliteEventStore } from './sqlite-event-store.js';
import type { SqliteEventStoreOptions } from './sqlite-event-store.js';

function newEvents(count: number): NewEvent[] {
  return Array.from({ length: count }, (_, index) => ({
    id: randomUUID(),
    type: 'SqliteTested',
    schemaVersion: 1,
    data: { index },
    metadata: {},
  }));
}

const stream = (): string => `sqlite-${randomUUID()}`;

let folder: string;
const newPath = (): string => join(folder, `${randomUUID()}.sqlite`);

beforeAll(async () => {
  folder = await makeTempDir('sqlite-event-store');
});

afterAll(async () => {
  await removeTempDir(folder);
});

async function withStore(
  options: Partial<SqliteEventStoreOptions>,
  test: (store: SqliteEventStore, path: string) => Promise<void>,
): Promise<void> {
  const path = newPath();
  const store = SqliteEventStore.open({ path, ...options });
  try {
    await test(store, path);
  } finally {
    await store.close();
  }
}

describe('SqliteEventStore group commit', () => {
  it('commits concurrent appends to many streams in fewer transactions', () =>
    withStore({}, async (store) => {
      const before = store.stats().commits;

      const results = await Promise.all(
        Array.from({ length: 100 }, () =>
          store.append(stream(), newEvents(2), 'no_stream'),
        ),
      );

      const commits = store.stats().commits - before;
      expect(results).toHaveLength(100);
      expect(commits).toBeLessThan(100);
      expect(commits).toBe(1);
    }));

  it('refuses one append of a group and commits the others', () =>
    withStore({}, async (store) => {
      const taken = stream();
      await store.append(taken, newEvents(1), 'no_stream');
      const [fresh, other] = [stream(), stream()];
      const before = store.stats().commits;

      const outcomes = await Promise.allSettled([
        store.append(fresh, newEvents(1), 'no_stream'),
        store.append(taken, newEvents(1), 'no_stream'),
        store.append(other, newEvents(1), 'no_stream'),
      ]);

      expect(outcomes.map(({ status }) => status)).toEqual([
        'fulfilled',
        'rejected',
        'fulfilled',
      ]);
      expect(outcomes[1]).toMatchObject({
        reason: expect.any(WrongExpectedRevisionError),
      });
      expect(store.stats().commits - before).toBe(1);
      expect(await store.readStream(taken)).toHaveLength(1);
      expect(await store.readStream(other)).toHaveLength(1);
    }));

  it('caps a group at maxGroupSize appends', () =>
    withStore({ maxGroupSize: 4 }, async (store) => {
      const before = store.stats().commits;

      await Promise.all(
        Array.from({ length: 10 }, () =>
          store.append(stream(), newEvents(1), 'any'),
        ),
      );

      expect(store.stats().commits - before).toBe(3);
    }));

  it('commits queued appends when closed', async () => {
    const path = newPath();
    const store = SqliteEventStore.open({ path });
    const streamId = stream();

    const pending = store.append(streamId, newEvents(3), 'no_stream');
    await store.close();

    await expect(pending).resolves.toMatchObject({ nextRevision: 2 });
    const reopened = SqliteEventStore.open({ path });
    expect(await reopened.readStream(streamId)).toHaveLength(3);
    await reopened.close();
  });

  it('rejects the group as unavailable while another writer holds the lock', () =>
    withStore({ busyTimeoutMs: 20 }, async (store, path) => {
      const other = new Database(path);
      other.exec('BEGIN IMMEDIATE');
      try {
        await expect(
          store.append(stream(), newEvents(1), 'any'),
        ).rejects.toBeInstanceOf(EventStoreUnavailableError);
      } finally {
        other.exec('ROLLBACK');
        other.close();
      }
    }));
});

describe('SqliteEventStore file', () => {
  it('runs in WAL mode, synchronous FULL by default and NORMAL on request', () => {
    const path = newPath();
    const safe = openDatabase({ path });
    const fast = openDatabase({ path, durability: 'normal' });

    expect(safe.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(safe.pragma('synchronous', { simple: true })).toBe(2);
    expect(fast.pragma('synchronous', { simple: true })).toBe(1);
    safe.close();
    fast.close();
  });

  it('records the schema version and keeps events across a reopen', async () => {
    const path = newPath();
    const streamId = stream();
    const first = SqliteEventStore.open({ path });
    await first.append(streamId, newEvents(2), 'no_stream');
    await first.close();

    const second = SqliteEventStore.open({ path });
    const events = await second.readStream(streamId);
    await second.close();

    const raw = new Database(path, { readonly: true });
    expect(raw.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    raw.close();
    expect(events).toHaveLength(2);
  });

  it('refuses a file of a newer schema version', () => {
    const path = newPath();
    const raw = new Database(path);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();

    expect(() => SqliteEventStore.open({ path })).toThrow(/newer/);
  });

  it('refuses a path it cannot open as unavailable', () => {
    const path = join(folder, 'missing-folder', 'events.sqlite');

    expect(() => SqliteEventStore.open({ path })).toThrow(
      EventStoreUnavailableError,
    );
  });
});

describe('SqliteEventStore subscriptions', () => {
  it('sees appends of another connection to the same file by polling', async () => {
    const path = newPath();
    const reader = SqliteEventStore.open({ path, pollIntervalMs: 20 });
    const writer = SqliteEventStore.open({ path });
    const streamId = stream();
    const delivered: RecordedEvent[] = [];
    let caughtUp = false;
    const subscription = reader.subscribeToAll(
      { filter: { streamPrefixes: [streamId] } },
      {
        onEvent: (event) => {
          delivered.push(event);
          return Promise.resolve();
        },
        onCaughtUp: () => {
          caughtUp = true;
        },
      },
    );
    await waitFor(() => caughtUp);

    await writer.append(streamId, newEvents(3), 'no_stream');
    await waitFor(() => delivered.length === 3);

    await subscription.stop();
    await Promise.all([reader.close(), writer.close()]);
    expect(delivered.map((event) => event.revision)).toEqual([0, 1, 2]);
  });

  it('scans a long run of events its filter skips a window at a time, letting the event loop turn', () =>
    withStore({ scanWindow: 5 }, async (store) => {
      const streamId = stream();
      const kept = (type: string): NewEvent => ({ ...newEvents(1)[0]!, type });
      await store.append(
        streamId,
        [kept('Wanted'), ...newEvents(30), kept('Wanted')],
        'no_stream',
      );
      const seen: string[] = [];
      let turns = 0;
      let counting = true;
      const count = (): void => {
        if (!counting) return;
        turns += 1;
        setImmediate(count);
      };
      setImmediate(count);

      const subscription = store.subscribeToAll(
        { filter: { eventTypes: ['Wanted'] } },
        {
          onEvent: (event) => {
            seen.push(`${event.type} ${event.revision}`);
            return Promise.resolve();
          },
          onCaughtUp: () => {
            seen.push(
              `caught up after ${turns >= 6 ? 'six turns or more' : `${turns} turns`}`,
            );
          },
        },
      );
      await waitFor(() => seen.length === 3);
      counting = false;
      await subscription.stop();

      expect(seen).toEqual([
        'Wanted 0',
        'Wanted 31',
        'caught up after six turns or more',
      ]);
    }));

  it('stops its subscriptions when closed', async () => {
    const store = SqliteEventStore.open({ path: newPath() });
    const errors: Error[] = [];
    store.subscribeToAll(
      {},
      { onEvent: () => Promise.resolve(), onError: (e) => errors.push(e) },
    );

    await store.close();

    expect(errors).toEqual([]);
  });
});
