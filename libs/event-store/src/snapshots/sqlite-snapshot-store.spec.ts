import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';

import {
  makeTempDir,
  removeTempDir,
} from '../../../../test/support/temp-dir.js';
import { SqliteEventStore } from '../sqlite/sqlite-event-store.js';
import { UnreadableSnapshotError } from './snapshot-store.port.js';
import { SqliteSnapshotStore } from './sqlite-snapshot-store.js';

describe('SqliteSnapshotStore', () => {
  let folder: string;
  let path: string;
  let store: SqliteSnapshotStore;

  beforeAll(async () => {
    folder = await makeTempDir('sqlite-snapshot-store');
    path = join(folder, 'events.sqlite');
    store = SqliteSnapshotStore.open({ path });
  });

  afterAll(async () => {
    await store.close();
    await removeTempDir(folder);
  });

  const stream = (): string => `snapshot-${randomUUID()}`;

  it('reads null for a stream without a snapshot', async () => {
    expect(await store.load(stream())).toBeNull();
  });

  it('keeps one snapshot per stream, the newest of a version', async () => {
    const streamId = stream();
    await store.save(streamId, { revision: 199, stateVersion: 1, state: 'b' });

    await store.save(streamId, { revision: 99, stateVersion: 1, state: 'a' });

    expect(await store.load(streamId)).toEqual({
      revision: 199,
      stateVersion: 1,
      state: 'b',
    });
  });

  it('replaces a snapshot of another version, even an older revision', async () => {
    const streamId = stream();
    await store.save(streamId, { revision: 199, stateVersion: 1, state: 'a' });

    await store.save(streamId, { revision: 99, stateVersion: 2, state: 'b' });

    expect(await store.load(streamId)).toEqual({
      revision: 99,
      stateVersion: 2,
      state: 'b',
    });
  });

  it('shares the file with the event store', async () => {
    const events = SqliteEventStore.open({ path });
    const streamId = stream();
    await events.append(
      streamId,
      [
        {
          id: randomUUID(),
          type: 'T',
          schemaVersion: 1,
          data: {},
          metadata: {},
        },
      ],
      'no_stream',
    );

    await store.save(streamId, { revision: 0, stateVersion: 1, state: [1] });

    expect(await events.readStream(streamId)).toHaveLength(1);
    expect(await store.load(streamId)).toMatchObject({ state: [1] });
    await events.close();
  });

  it('refuses to return a state it cannot parse', async () => {
    const streamId = stream();
    const raw = new Database(path);
    raw
      .prepare(
        `INSERT INTO snapshots VALUES (?, 0, 1, '{broken', '2025-01-01')`,
      )
      .run(streamId);
    raw.close();

    await expect(store.load(streamId)).rejects.toBeInstanceOf(
      UnreadableSnapshotError,
    );
  });
});
