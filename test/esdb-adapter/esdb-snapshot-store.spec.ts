import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';

import { EventStoreDBClient } from '@eventstore/db-client';
import {
  EventSourcedRepository,
  UnreadableSnapshotError,
} from '@org/event-store';
import type { NewEvent } from '@org/event-store';
import {
  EventStoreDbEventStore,
  EventStoreDbSnapshotStore,
} from '@org/event-store/esdb';

import { EsdbWireEmulator } from '../esdb-emulator/esdb-wire-emulator.js';

describe('EventStoreDbSnapshotStore on the wire emulator (wire emulator tests)', () => {
  let emulator: EsdbWireEmulator;
  let snapshots: EventStoreDbSnapshotStore;
  let raw: EventStoreDBClient;

  beforeAll(async () => {
    emulator = await EsdbWireEmulator.start();
    snapshots = EventStoreDbSnapshotStore.connect(emulator.connectionString);
    raw = EventStoreDBClient.connectionString(emulator.connectionString);
  });

  afterAll(async () => {
    await snapshots.close();
    await raw.dispose();
    await emulator.stop();
  });

  const stream = (): string => `organization-${randomUUID()}`;

  const snapshotEvents = async (streamId: string) => {
    const events = [];
    for await (const { event } of raw.readStream(`snapshot-${streamId}`)) {
      events.push(event);
    }
    return events;
  };

  it('reads null for a stream without a snapshot', async () => {
    expect(await snapshots.load(stream())).toBeNull();
  });

  it('keeps the snapshot in its own stream, whose $maxCount of 1 leaves only the newest', async () => {
    const streamId = stream();
    await snapshots.save(streamId, {
      revision: 9,
      stateVersion: 1,
      state: { n: 1 },
    });
    await snapshots.save(streamId, {
      revision: 19,
      stateVersion: 1,
      state: { n: 2 },
    });

    const metadata = await raw.getStreamMetadata(`snapshot-${streamId}`);

    expect(metadata.metadata).toEqual({ maxCount: 1 });
    expect(await snapshotEvents(streamId)).toHaveLength(1);
    expect(await snapshots.load(streamId)).toEqual({
      revision: 19,
      stateVersion: 1,
      state: { n: 2 },
    });
  });

  it('keeps the newest of a version, and replaces one of another version', async () => {
    const streamId = stream();
    await snapshots.save(streamId, {
      revision: 199,
      stateVersion: 1,
      state: 'b',
    });

    await snapshots.save(streamId, {
      revision: 99,
      stateVersion: 1,
      state: 'a',
    });
    const kept = await snapshots.load(streamId);
    await snapshots.save(streamId, {
      revision: 99,
      stateVersion: 2,
      state: 'c',
    });

    expect(kept).toEqual({ revision: 199, stateVersion: 1, state: 'b' });
    expect(await snapshots.load(streamId)).toEqual({
      revision: 99,
      stateVersion: 2,
      state: 'c',
    });
  });

  it('lets concurrent saves race without failing', async () => {
    const streamId = stream();

    await Promise.all(
      [1, 2, 3].map((revision) =>
        snapshots.save(streamId, {
          revision,
          stateVersion: 1,
          state: revision,
        }),
      ),
    );

    expect(await snapshots.load(streamId)).not.toBeNull();
  });

  it('refuses a snapshot event it cannot read back', async () => {
    const streamId = stream();
    await raw.appendToStream(`snapshot-${streamId}`, {
      id: randomUUID(),
      contentType: 'application/json',
      type: 'Snapshot',
      data: { unexpected: true },
      metadata: undefined,
    });

    await expect(snapshots.load(streamId)).rejects.toBeInstanceOf(
      UnreadableSnapshotError,
    );
  });

  it('never gives the event stream itself $maxAge, $maxCount or a truncate-before', async () => {
    const events = EventStoreDbEventStore.connect(emulator.connectionString);
    const repository = new EventSourcedRepository<number, unknown>({
      events,
      snapshots,
      evolve: (count) => count + 1,
      initialState: 0,
      stateVersion: 1,
      toEvent: (recorded) => recorded,
      logger: { warn: () => undefined },
      snapshotEvery: 2,
    });
    const streamId = stream();
    const newEvent = (): NewEvent => ({
      id: randomUUID(),
      type: 'Counted',
      schemaVersion: 1,
      data: {},
      metadata: {},
    });

    for (let revision = 0; revision < 6; revision++) {
      await repository.append(streamId, [newEvent()], revision - 1);
    }
    const loaded = await repository.load(streamId);
    await events.close();

    expect(loaded).toEqual({ state: 6, revision: 5 });
    expect(await snapshots.load(streamId)).toMatchObject({
      revision: 5,
      state: 6,
    });
    expect(await raw.getStreamMetadata(streamId)).toEqual({
      streamName: streamId,
    });
    const stored = [];
    for await (const { event } of raw.readStream(streamId)) stored.push(event);
    expect(stored).toHaveLength(6);
  });
});
