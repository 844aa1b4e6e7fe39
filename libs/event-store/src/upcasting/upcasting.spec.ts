import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import {
  makeTempDir,
  removeTempDir,
} from '../../../../test/support/temp-dir.js';
import { waitFor } from '../../../../test/support/wait-for.js';
import type { EventStore, RecordedEvent } from '../event-store.port.js';
import { InMemoryEventStore } from '../in-memory/in-memory-event-store.js';
import type { SeedEvent } from '../in-memory/in-memory-event-store.js';
import { openDatabase } from '../sqlite/sqlite-database.js';
import { SqliteEventStore } from '../sqlite/sqlite-event-store.js';
import { MissingUpcasterError, Upcasting } from './upcasters.js';
import type { SchemaOptions, UpcasterRegistry } from './upcasters.js';

type FixtureRow = Omit<SeedEvent, 'streamId' | 'revision'>;

function fixture(name: string): unknown {
  const url = new URL(`./fixtures/${name}`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8'));
}

const stored = (
  fixture('fixture-renamed.stored.json') as { events: FixtureRow[] }
).events;
const current = fixture('fixture-renamed.current.json') as {
  schemaVersion: number;
  data: unknown[];
};

const upcasters: UpcasterRegistry = {
  FixtureRenamed: {
    1: (data) => ({ displayName: (data as { name: string }).name }),
    2: (data, metadata) => ({
      ...(data as object),
      renamedBy: (metadata.actor as { id: string }).id,
    }),
  },
};

const schema: SchemaOptions = {
  currentVersions: { FixtureRenamed: 3 },
  upcasters,
};

function rowsOf(streamId: string): SeedEvent[] {
  return stored.map((row, revision) => ({ ...row, streamId, revision }));
}

function writeRows(path: string, rows: readonly SeedEvent[]): void {
  const db = new Database(path);
  const insert = db.prepare(
    `INSERT INTO events (id, stream_id, revision, type, schema_version, data,
       metadata, recorded_at)
     VALUES (@id, @streamId, @revision, @type, @schemaVersion, @data,
       @metadata, @recordedAt)`,
  );
  db.transaction(() => {
    rows.forEach((row) => insert.run(row));
  })();
  db.close();
}

function expectUpgraded(events: readonly RecordedEvent[]): void {
  expect(events.map((event) => event.data)).toEqual(current.data);
  expect(events.map((event) => event.schemaVersion)).toEqual(
    current.data.map(() => current.schemaVersion),
  );
  expect(events.map((event) => event.recordedAt)).toEqual(
    stored.map((row) => row.recordedAt),
  );
}

async function subscribeAndCollect(
  store: EventStore,
  streamId: string,
): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  const subscription = store.subscribeToAll(
    { filter: { streamPrefixes: [streamId] } },
    {
      onEvent: (event) => {
        events.push(event);
        return Promise.resolve();
      },
    },
  );
  await waitFor(() => events.length === stored.length);
  await subscription.stop();
  return events;
}

describe('upcasting stored fixtures', () => {
  let folder: string;

  beforeAll(async () => {
    folder = await makeTempDir('event-store-upcasting');
  });

  afterAll(async () => {
    await removeTempDir(folder);
  });

  const adapters: [string, (streamId: string) => EventStore][] = [
    [
      'in-memory',
      (streamId) =>
        new InMemoryEventStore({ ...schema, seed: rowsOf(streamId) }),
    ],
    [
      'SQLite',
      (streamId) => {
        const path = join(folder, `${randomUUID()}.sqlite`);
        openDatabase({ path }).close();
        writeRows(path, rowsOf(streamId));
        return SqliteEventStore.open({ ...schema, path });
      },
    ],
  ];

  describe.each(adapters)('%s', (_name, open) => {
    const streamId = `fixture-${randomUUID()}`;
    let store: EventStore;

    beforeAll(() => {
      store = open(streamId);
    });

    afterAll(async () => {
      await store.close();
    });

    it('upgrades v1 and v2 events to v3 on readStream', async () => {
      expectUpgraded(await store.readStream(streamId));
    });

    it('upgrades on readAll', async () => {
      const events = await store.readAll({
        filter: { eventTypes: ['FixtureRenamed'] },
      });

      expectUpgraded(events);
    });

    it('upgrades what subscriptions deliver', async () => {
      expectUpgraded(await subscribeAndCollect(store, streamId));
    });

    it('reads backwards through the same upcasters', async () => {
      const events = await store.readStream(streamId, {
        direction: 'backwards',
      });

      expectUpgraded(events.reverse());
    });
  });
});

describe('Upcasting', () => {
  it('leaves data at the current version untouched', () => {
    const upcasting = new Upcasting(schema);
    const data = { displayName: 'x', renamedBy: 'y' };

    const result = upcasting.upgrade(
      'FixtureRenamed',
      { schemaVersion: 3, data },
      {},
    );

    expect(result).toEqual({ schemaVersion: 3, data });
  });

  it('refuses to skip a version it has no upcaster for', () => {
    const upcasting = new Upcasting({
      currentVersions: { FixtureRenamed: 3 },
      upcasters: { FixtureRenamed: { 2: (data) => data } },
    });

    expect(() =>
      upcasting.upgrade('FixtureRenamed', { schemaVersion: 1, data: {} }, {}),
    ).toThrow(MissingUpcasterError);
  });

  it('does not take Object.prototype members for event types', () => {
    const upcasting = new Upcasting({ currentVersions: {}, upcasters: {} });

    const result = upcasting.upgrade(
      'constructor',
      { schemaVersion: 1, data: { a: 1 } },
      {},
    );

    expect(result).toEqual({ schemaVersion: 1, data: { a: 1 } });
  });

  it('defaults to the organization events, all at version 1 today', () => {
    const upcasting = new Upcasting();
    const data = { name: 'Acme' };

    expect(
      upcasting.upgrade('OrganizationCreated', { schemaVersion: 1, data }, {}),
    ).toEqual({ schemaVersion: 1, data });
  });
});
