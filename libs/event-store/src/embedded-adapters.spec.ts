import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';

import { makeTempDir, removeTempDir } from '../../../test/support/temp-dir.js';
import { waitFor } from '../../../test/support/wait-for.js';
import {
  DuplicateEventIdError,
  EventStoreUnavailableError,
  WrongExpectedRevisionError,
} from './event-store.port.js';
import type { EventStore, NewEvent } from './event-store.port.js';
import { InMemoryEventStore } from './in-memory/in-memory-event-store.js';
import { SqliteEventStore } from './sqlite/sqlite-event-store.js';

function newEvents(count: number): NewEvent[] {
  return Array.from({ length: count }, (_, index) => ({
    id: randomUUID(),
    type: 'EmbeddedTested',
    schemaVersion: 1,
    data: { index },
    metadata: {},
  }));
}

const stream = (): string => `embedded-${randomUUID()}`;

let folder: string;

beforeAll(async () => {
  folder = await makeTempDir('event-store-embedded');
});

afterAll(async () => {
  await removeTempDir(folder);
});

const adapters: [string, () => EventStore][] = [
  ['in-memory', () => new InMemoryEventStore()],
  [
    'SQLite',
    () => SqliteEventStore.open({ path: join(folder, `${randomUUID()}.db`) }),
  ],
];

describe.each(adapters)('%s event store, beyond the contract', (_, open) => {
  let store: EventStore;

  beforeAll(() => {
    store = open();
  });

  afterAll(async () => {
    await store.close();
  });

  it('refuses event ids stored in another stream', async () => {
    const events = newEvents(2);
    const elsewhere = stream();
    await store.append(elsewhere, events, 'no_stream');
    const streamId = stream();

    const attempt = store.append(streamId, events, 'no_stream');

    await expect(attempt).rejects.toBeInstanceOf(DuplicateEventIdError);
    await expect(attempt).rejects.toMatchObject({ storedIn: elsewhere });
    expect(await store.readStream(streamId)).toEqual([]);
  });

  it('refuses a retry that is only partly stored, storing nothing', async () => {
    const streamId = stream();
    const [first, second] = newEvents(2);
    await store.append(streamId, [first!], 'no_stream');

    const attempt = store.append(streamId, [first!, second!], 'no_stream');

    await expect(attempt).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    expect(await store.readStream(streamId)).toHaveLength(1);
  });

  it('refuses a retry whose ids sit elsewhere in the stream', async () => {
    const streamId = stream();
    const events = newEvents(1);
    await store.append(streamId, newEvents(1), 'no_stream');
    await store.append(streamId, events, 0);

    const attempt = store.append(streamId, events, 'no_stream');

    await expect(attempt).rejects.toMatchObject({ actual: 1 });
  });

  it('refuses a batch that repeats an id, storing nothing', async () => {
    const streamId = stream();
    const [event] = newEvents(1);

    const attempt = store.append(streamId, [event!, event!], 'any');

    await expect(attempt).rejects.toBeInstanceOf(DuplicateEventIdError);
    expect(await store.readStream(streamId)).toEqual([]);
  });

  it('takes -1 as no_stream', async () => {
    const streamId = stream();

    await store.append(streamId, newEvents(1), -1);

    await expect(
      store.append(streamId, newEvents(1), -1),
    ).rejects.toMatchObject({ actual: 0 });
  });

  it('refuses invalid arguments with a rejection, not a throw', async () => {
    await expect(store.append(stream(), newEvents(1), -2)).rejects.toThrow(
      RangeError,
    );
    await expect(
      store.append(stream(), [{ ...newEvents(1)[0]!, data: undefined }], 'any'),
    ).rejects.toThrow(TypeError);
  });

  it('checks the expectation of an empty append', async () => {
    const streamId = stream();
    await store.append(streamId, newEvents(2), 'no_stream');

    const result = await store.append(streamId, [], 1);

    expect(result.nextRevision).toBe(1);
    await expect(store.append(streamId, [], 0)).rejects.toBeInstanceOf(
      WrongExpectedRevisionError,
    );
  });

  it('ends a subscription whose handler fails, through onError', async () => {
    const streamId = stream();
    await store.append(streamId, newEvents(3), 'no_stream');
    const errors: Error[] = [];
    let calls = 0;

    store.subscribeToAll(
      { filter: { streamPrefixes: [streamId] } },
      {
        onEvent: () => {
          calls += 1;
          return Promise.reject(new Error('projection broke'));
        },
        onError: (error) => errors.push(error),
      },
    );
    await waitFor(() => errors.length > 0);

    expect(errors.map((error) => error.message)).toEqual(['projection broke']);
    expect(calls).toBe(1);
  });

  it('answers ping while open', async () => {
    await expect(store.ping()).resolves.toBeUndefined();
  });
});

describe.each(adapters)('%s event store once closed', (_, open) => {
  it('refuses every call as unavailable', async () => {
    const store = open();
    await store.close();

    await expect(store.ping()).rejects.toBeInstanceOf(
      EventStoreUnavailableError,
    );
    await expect(
      store.append(stream(), newEvents(1), 'any'),
    ).rejects.toBeInstanceOf(EventStoreUnavailableError);
    await expect(store.readAll()).rejects.toBeInstanceOf(
      EventStoreUnavailableError,
    );
  });
});
