import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';

import { EventStoreDBClient } from '@eventstore/db-client';
import {
  EventStoreUnavailableError,
  WrongExpectedRevisionError,
} from '@org/event-store';
import type { NewEvent, RecordedEvent } from '@org/event-store';
import { EventStoreDbEventStore } from '@org/event-store/esdb';

import { EsdbWireEmulator } from '../esdb-emulator/esdb-wire-emulator.js';
import { waitFor } from '../support/wait-for.js';

function newEvent(overrides: Partial<NewEvent> = {}): NewEvent {
  return {
    id: randomUUID(),
    type: 'AdapterTested',
    schemaVersion: 1,
    data: { ok: true },
    metadata: { commandId: randomUUID() },
    ...overrides,
  };
}

const category = (): string => `adapter${randomUUID().replaceAll('-', '')}`;

describe('EventStoreDB adapter on the wire emulator (wire emulator tests)', () => {
  let emulator: EsdbWireEmulator;
  let store: EventStoreDbEventStore;
  let raw: EventStoreDBClient;

  beforeAll(async () => {
    emulator = await EsdbWireEmulator.start({ maxAppendSize: 32 * 1024 });
    store = EventStoreDbEventStore.connect(emulator.connectionString);
    raw = EventStoreDBClient.connectionString(emulator.connectionString);
  });

  afterAll(async () => {
    await store.close();
    await raw.dispose();
    await emulator.stop();
  });

  describe('the stored form', () => {
    it('keeps the schema version in the event metadata under $schemaVersion', async () => {
      const streamId = `${category()}-1`;
      await store.append(
        streamId,
        [newEvent({ schemaVersion: 4, metadata: { actor: 'a-1' } })],
        'no_stream',
      );

      const [stored] = await collect(raw.readStream(streamId));
      const [read] = await store.readStream(streamId);

      expect(stored?.event?.isJson).toBe(true);
      expect(stored?.event?.metadata).toEqual({
        actor: 'a-1',
        $schemaVersion: 4,
        $prevHash: '0'.repeat(64),
        $hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
      expect(read).toMatchObject({
        schemaVersion: 4,
        metadata: { actor: 'a-1' },
      });
    });

    it('reads events written without a schema version as version 1', async () => {
      const streamId = `${category()}-1`;
      await raw.appendToStream(streamId, {
        id: randomUUID(),
        contentType: 'application/json',
        type: 'Foreign',
        data: { a: 1 },
        metadata: { source: 'elsewhere' },
      });

      const [read] = await store.readStream(streamId);

      expect(read).toMatchObject({
        schemaVersion: 1,
        metadata: { source: 'elsewhere' },
      });
    });

    it('refuses ids that are not UUIDs and metadata that uses $schemaVersion', async () => {
      const streamId = `${category()}-1`;

      await expect(
        store.append(streamId, [newEvent({ id: 'not-a-uuid' })], 'any'),
      ).rejects.toThrow(TypeError);
      await expect(
        store.append(
          streamId,
          [newEvent({ metadata: { $schemaVersion: 2 } })],
          'any',
        ),
      ).rejects.toThrow(/\$schemaVersion/);
    });

    it('upcasts through the shared upcasters, on reads and subscriptions', async () => {
      const fixtures = new URL(
        '../../libs/event-store/src/upcasting/fixtures/',
        import.meta.url,
      );
      const stored = JSON.parse(
        readFileSync(new URL('fixture-renamed.stored.json', fixtures), 'utf8'),
      ) as {
        events: {
          type: string;
          schemaVersion: number;
          data: string;
          metadata: string;
        }[];
      };
      const current = JSON.parse(
        readFileSync(new URL('fixture-renamed.current.json', fixtures), 'utf8'),
      ) as { schemaVersion: number; data: unknown[] };
      const upcasting = EventStoreDbEventStore.connect(
        emulator.connectionString,
        {
          currentVersions: { FixtureRenamed: 3 },
          upcasters: {
            FixtureRenamed: {
              1: (data) => ({ displayName: (data as { name: string }).name }),
              2: (data, metadata) => ({
                ...(data as object),
                renamedBy: (metadata.actor as { id: string }).id,
              }),
            },
          },
        },
      );
      const streamId = `${category()}-fixture`;
      await upcasting.append(
        streamId,
        stored.events.map((row) =>
          newEvent({
            type: row.type,
            schemaVersion: row.schemaVersion,
            data: JSON.parse(row.data) as unknown,
            metadata: JSON.parse(row.metadata) as Record<string, unknown>,
          }),
        ),
        'no_stream',
      );

      const read = await upcasting.readStream(streamId);
      const delivered: RecordedEvent[] = [];
      upcasting.subscribeToAll(
        { filter: { streamPrefixes: [streamId] } },
        { onEvent: (event) => Promise.resolve(void delivered.push(event)) },
      );
      await waitFor(() => delivered.length === 3);
      await upcasting.close();

      for (const events of [read, delivered]) {
        expect(events.map((event) => event.data)).toEqual(current.data);
        expect(events.map((event) => event.schemaVersion)).toEqual([3, 3, 3]);
      }
    });
  });

  describe('system events and snapshot streams', () => {
    it('are left out of readAll and of subscriptions without a filter', async () => {
      const streamId = `${category()}-1`;
      await store.append(streamId, [newEvent()], 'no_stream');
      await raw.setStreamMetadata(streamId, { maxCount: 10 });
      const tombstoned = `${category()}-2`;
      await store.append(tombstoned, [newEvent()], 'no_stream');
      await raw.tombstoneStream(tombstoned);
      await raw.appendToStream(`snapshot-${streamId}`, {
        id: randomUUID(),
        contentType: 'application/json',
        type: 'Snapshot',
        data: {},
        metadata: undefined,
      });
      emulator.writeSystemEvent();
      const everything = await collect(raw.readAll());

      const all = await store.readAll();
      const delivered: RecordedEvent[] = [];
      let caughtUp = false;
      const subscription = store.subscribeToAll(
        {},
        {
          onEvent: (event) => Promise.resolve(void delivered.push(event)),
          onCaughtUp: () => (caughtUp = true),
        },
      );
      await waitFor(() => caughtUp);
      await subscription.stop();

      const leftOut = everything.filter(({ event }) =>
        [event?.streamId ?? '', event?.type ?? ''].some(
          (name) => name.startsWith('$') || name.startsWith('snapshot-'),
        ),
      );
      expect(leftOut.map(({ event }) => event?.type)).toEqual(
        expect.arrayContaining([
          '$metadata',
          '$streamDeleted',
          '$statsCollected',
          'Snapshot',
        ]),
      );
      for (const events of [all, delivered]) {
        expect(events).toHaveLength(everything.length - leftOut.length);
        expect(
          events.some(
            (e) => e.type.startsWith('$') || e.streamId.startsWith('$'),
          ),
        ).toBe(false);
      }
    });
  });

  describe('errors at the boundary', () => {
    it('names the actual revision, -1 for a missing stream', async () => {
      const attempt = store.append(`${category()}-1`, [newEvent()], 5);

      await expect(attempt).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      await expect(attempt).rejects.toMatchObject({ expected: 5, actual: -1 });
    });

    it('treats -1 as no_stream', async () => {
      const streamId = `${category()}-1`;

      const result = await store.append(streamId, [newEvent()], -1);
      const again = store.append(streamId, [newEvent()], -1);

      expect(result.nextRevision).toBe(0);
      await expect(again).rejects.toMatchObject({ expected: -1, actual: 0 });
    });

    it('turns an append over the maximum size into a RangeError', async () => {
      const attempt = store.append(
        `${category()}-1`,
        [newEvent({ data: { text: 'x'.repeat(40 * 1024) } })],
        'any',
      );

      await expect(attempt).rejects.toThrow(RangeError);
      await expect(attempt).rejects.toThrow(/32768 bytes/);
    });

    it('refuses a connection string it cannot parse without repeating it', () => {
      const connect = () =>
        EventStoreDbEventStore.connect('esdb://admin:s3cret@host:notaport');

      expect(connect).toThrow(TypeError);
      expect(connect).not.toThrow(/s3cret/);
    });

    it('pings a running node and reports a stopped one as unavailable', async () => {
      await expect(store.ping()).resolves.toBeUndefined();

      await emulator.stop();
      const down = store.ping();
      const append = store.append(`${category()}-1`, [newEvent()], 'any');
      await expect(down).rejects.toBeInstanceOf(EventStoreUnavailableError);
      await expect(append).rejects.toBeInstanceOf(EventStoreUnavailableError);
      await emulator.start();

      await waitFor(async () => {
        try {
          await store.ping();
          return true;
        } catch {
          return false;
        }
      });
    });

    it('answers a ping when the newest event of $all is a system event', async () => {
      await store.append(`${category()}-1`, [newEvent()], 'any');
      emulator.writeSystemEvent();

      await expect(store.ping()).resolves.toBeUndefined();
    });

    it('is unavailable once closed', async () => {
      const closing = EventStoreDbEventStore.connect(emulator.connectionString);
      await closing.close();

      await expect(closing.readStream('any-stream')).rejects.toBeInstanceOf(
        EventStoreUnavailableError,
      );
    });
  });
});

async function collect<T>(read: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of read) items.push(item);
  return items;
}
