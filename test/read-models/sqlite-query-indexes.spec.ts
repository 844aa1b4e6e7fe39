import { afterEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';

import type { Actor } from '@org/domain';
import { InMemoryEventStore } from '@org/event-store';
import {
  AuditHistoryProjection,
  denseEventLogMeter,
  ProjectionRunner,
  SqliteReadModels,
  type SqliteAuditStore,
} from '@org/read-models';
import Database from 'better-sqlite3';

import { makeTempDir, removeTempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait-for.js';
import { OrganizationLog } from './support/organization-log.js';

/** An agent other than the one the log creates organizations as. */
const AGENT: Actor = { type: 'support', id: 'agent-42' };

// The SQLite read models leave their query indexes out while a generation
// is loaded in bulk (several times faster) and build them once it has
// caught up with the log, or at the latest when it is activated.

const AUDIT_INDEXES = ['_actor', '_org', '_time', '_type'];
const DIRECTORY_INDEXES = [
  '_business_unit',
  '_environment',
  '_region',
  '_status',
];

interface Fixture {
  readonly readModels: SqliteReadModels;
  readonly log: OrganizationLog;
  readonly events: InMemoryEventStore;
  /** A second connection, to look at the file as it is. */
  readonly inspect: Database.Database;
}

const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function fixture(): Promise<Fixture> {
  const folder = await makeTempDir('query-indexes');
  const path = join(folder, 'read-models.sqlite');
  const readModels = SqliteReadModels.open({ path });
  const inspect = new Database(path, { readonly: true });
  const events = new InMemoryEventStore();
  cleanups.push(async () => {
    inspect.close();
    await readModels.close();
    await events.close();
    await removeTempDir(folder);
  });
  return { readModels, log: new OrganizationLog(events), events, inspect };
}

/** The indexes of a table that were created by name, suffixes only. */
function indexesOf(db: Database.Database, table: string): string[] {
  return db
    .prepare<[string], { name: string }>(
      `SELECT name FROM sqlite_master
       WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL
       ORDER BY name`,
    )
    .all(table)
    .map((row) => row.name.slice(table.length));
}

function runner(
  f: Fixture,
  audit: SqliteAuditStore = f.readModels.audit,
): ProjectionRunner {
  const started = new ProjectionRunner({
    events: f.events,
    projection: new AuditHistoryProjection(audit),
    meter: denseEventLogMeter(f.events),
    retireAfterMs: 0,
    retryDelayMs: 20,
  });
  cleanups.push(() => started.stop());
  return started;
}

async function history(log: OrganizationLog): Promise<string> {
  const id = await log.create(`org-${randomUUID()}`);
  await log.run(
    id,
    { type: 'UpdateProfile', payload: { displayName: 'Renamed' } },
    { actor: AGENT },
  );
  return id;
}

describe('SQLite read models: query indexes', () => {
  it('creates a generation without its query indexes', async () => {
    const f = await fixture();

    const audit = await f.readModels.audit.createGeneration();
    const directory = await f.readModels.directory.createGeneration();

    expect(indexesOf(f.inspect, `audit_g${audit}`)).toEqual([]);
    expect(indexesOf(f.inspect, `directory_g${directory}`)).toEqual([]);
  });

  it('builds them before a generation is activated', async () => {
    const f = await fixture();
    const audit = await f.readModels.audit.createGeneration();
    const directory = await f.readModels.directory.createGeneration();

    await f.readModels.audit.activateGeneration(audit);
    await f.readModels.directory.activateGeneration(directory);

    expect(indexesOf(f.inspect, `audit_g${audit}`)).toEqual(AUDIT_INDEXES);
    expect(indexesOf(f.inspect, `directory_g${directory}`)).toEqual(
      DIRECTORY_INDEXES,
    );
    expect(indexesOf(f.inspect, `directory_labels_g${directory}`)).toEqual([
      '_value',
    ]);
  });

  it('builds one index at a time, letting the event loop turn between them', async () => {
    const f = await fixture();
    const generation = await f.readModels.audit.createGeneration();
    const table = `audit_g${generation}`;
    const seen = new Set<number>();
    let done = false;
    const watch = (): void => {
      if (done) return;
      seen.add(indexesOf(f.inspect, table).length);
      setImmediate(watch);
    };

    setImmediate(watch);
    await f.readModels.audit.indexGeneration(generation);
    done = true;

    const partly = [...seen].filter((count) => count < AUDIT_INDEXES.length);
    expect(partly.sort()).toEqual([1, 2, 3]);
    expect(indexesOf(f.inspect, table)).toEqual(AUDIT_INDEXES);
  });

  it('gives the first generation its indexes once it has caught up', async () => {
    const f = await fixture();
    const id = await history(f.log);
    const audit = runner(f);

    await audit.start();
    await waitFor(async () => (await audit.status()).state === 'live');

    expect(indexesOf(f.inspect, 'audit_g1')).toEqual(AUDIT_INDEXES);
    const plan = f.inspect
      .prepare(
        `EXPLAIN QUERY PLAN SELECT entry FROM audit_g1
         WHERE actor_type = ? AND actor_id = ?
         ORDER BY commit_position DESC, prepare_position DESC`,
      )
      .all(AGENT.type, AGENT.id) as { detail: string }[];
    expect(plan.map((row) => row.detail).join('\n')).toContain(
      'INDEX audit_g1_actor',
    );
    const page = await f.readModels.audit.list({ actor: AGENT });
    expect(page.items.map((entry) => [entry.orgId, entry.eventType])).toEqual([
      [id, 'ProfileUpdated'],
    ]);
  });

  it('is live only once the indexes are built, and retries a failed build', async () => {
    const f = await fixture();
    await history(f.log);
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let attempts = 0;
    const base = f.readModels.audit;
    const gated = Object.create(base, {
      indexGeneration: {
        value: async (generation: number) => {
          attempts += 1;
          if (attempts === 1) throw new Error('disk I/O error');
          await gate;
          return base.indexGeneration(generation);
        },
      },
    }) as SqliteAuditStore;
    const audit = runner(f, gated);

    await audit.start();
    expect(await audit.waitUntil(f.log.head, 5000)).toBe(true);
    await waitFor(() => attempts === 2);
    const waiting = await audit.status();
    release();
    await waitFor(async () => (await audit.status()).state === 'live');

    expect(waiting.state).toBe('catching-up');
    expect(indexesOf(f.inspect, 'audit_g1')).toEqual(AUDIT_INDEXES);
  });

  it('indexes the entries of an organization when it must erase them during a bulk load', async () => {
    const f = await fixture();
    const generation = await f.readModels.audit.createGeneration();

    const entries = await f.readModels.audit.entriesOf(
      generation,
      randomUUID(),
    );

    expect(entries).toEqual([]);
    expect(indexesOf(f.inspect, `audit_g${generation}`)).toEqual(['_org']);
  });
});
