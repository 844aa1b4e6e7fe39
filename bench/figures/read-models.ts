import { rm } from 'node:fs/promises';
import { join } from 'node:path';

import type { ActorType } from '@org/domain';
import {
  type AuditQuery,
  createProjectionRunners,
  denseEventLogMeter,
  type OrganizationReadModels,
  RedisReadModels,
  SqliteReadModels,
} from '@org/read-models';
import type Database from 'better-sqlite3';

import { startTestRedis } from '../../test/support/redis-server.js';
import { ownerOf } from '../support/organization-events.js';
import { alternate, compare, type FigureResult } from '../support/results.js';
import { generatedStore, openGenerated } from '../support/generated-store.js';
import { rawReader, type SeededStore } from '../support/seeded-store.js';
import { untilLive } from '../support/projections-live.js';
import { latencies, msSince, percentile } from '../support/stats.js';

export interface ReadModelSizes {
  readonly rounds: number;
  readonly organizations: number;
  readonly perOrganization: number;
  readonly queries: number;
  /** Queries per kind on a freshly opened file, per round. */
  readonly coldQueries: number;
}

/** Figures 5 and 6: rebuilds of both read models, then audit queries. */
export async function readModelFigures(
  dir: string,
  sizes: ReadModelSizes,
): Promise<FigureResult[]> {
  const seeded = openGenerated(
    await generatedStore(sizes.organizations, sizes.perOrganization),
  );
  const redis = await startTestRedis();
  const raw = rawReader(seeded.path);
  let latest: SqliteReadModels | undefined;
  let generation = 0;
  try {
    const values = await alternate(sizes.rounds, {
      raw: () => Promise.resolve(rawScan(raw)),
      sqlite: async () => {
        await latest?.close();
        await rm(join(dir, `read-models-${generation}.sqlite`), {
          force: true,
        });
        latest = SqliteReadModels.open({
          path: join(dir, `read-models-${++generation}.sqlite`),
        });
        return rebuildRate(seeded, latest);
      },
      redis: async () => {
        const client = redis.client();
        await client.flushall();
        const models = new RedisReadModels({ redis: client, keyPrefix: 'b:' });
        try {
          return await rebuildRate(seeded, models);
        } finally {
          await models.close();
        }
      },
    });
    if (latest === undefined) throw new Error('no read model was rebuilt');
    const path = join(dir, `read-models-${generation}.sqlite`);
    const queries = await auditQueryFigures(seeded, latest, path, sizes);
    const cold = await coldQueryFigures(seeded, path, sizes);
    return [...rebuildResults(values, seeded), ...queries, ...cold];
  } finally {
    await latest?.close();
    raw.close();
    await redis.stop();
    await seeded.store.close();
  }
}

function rebuildResults(
  values: Record<'raw' | 'sqlite' | 'redis', number[]>,
  seeded: SeededStore,
): FigureResult[] {
  const common = {
    sizes: `${seeded.events} events, ${seeded.orgIds.length} orgs`,
    unit: 'events/s',
    baselineName: 'raw sequential SELECT + JSON.parse',
    baseline: values.raw,
  };
  return [
    compare({
      ...common,
      figure: '5a. rebuild directory + audit into SQLite',
      service: values.sqlite,
      target: '≥ 0.5x',
      meets: (r) => r.ratio.median >= 0.5,
    }),
    compare({
      ...common,
      figure: '5b. rebuild directory + audit into Redis',
      service: values.redis,
      target: '≥ 50,000 events/s',
      meets: (r) => r.service.median >= 50_000,
    }),
  ];
}

function rawScan(raw: Database.Database): number {
  const start = process.hrtime.bigint();
  const rows = raw
    .prepare<[], { data: string; metadata: string }>(
      'SELECT data, metadata FROM events ORDER BY position',
    )
    .iterate();
  let count = 0;
  for (const row of rows) {
    JSON.parse(row.data);
    JSON.parse(row.metadata);
    count += 1;
  }
  return count / (msSince(start) / 1000);
}

/** Events per second of both projections following the log from its start. */
async function rebuildRate(
  seeded: SeededStore,
  readModels: OrganizationReadModels,
): Promise<number> {
  const runners = createProjectionRunners({
    events: seeded.store,
    readModels,
    meter: denseEventLogMeter(seeded.store),
  });
  const start = process.hrtime.bigint();
  await Promise.all([runners.directory.start(), runners.audit.start()]);
  const reached = await Promise.all([
    runners.directory.waitUntil(seeded.last, 600_000),
    runners.audit.waitUntil(seeded.last, 600_000),
  ]);
  // Live means the query indexes left out of the bulk load are built too.
  await Promise.all([untilLive(runners.directory), untilLive(runners.audit)]);
  const seconds = msSince(start) / 1000;
  await Promise.all([runners.directory.stop(), runners.audit.stop()]);
  if (!reached.every(Boolean)) throw new Error('a projection did not catch up');
  return seeded.events / seconds;
}

const KINDS = ['organization', 'actor', 'type', 'time range'] as const;
type Kind = (typeof KINDS)[number];

interface KindQuery {
  readonly query: AuditQuery;
  readonly where: string;
  readonly params: Record<string, unknown>;
}

async function auditQueryFigures(
  seeded: SeededStore,
  models: SqliteReadModels,
  path: string,
  sizes: ReadModelSizes,
): Promise<FigureResult[]> {
  const raw = rawReader(path);
  try {
    const table = auditTable(raw);
    const medians = new Map<string, number[]>();
    const phase =
      (kind: Kind, side: 'raw' | 'service', run: (q: KindQuery) => unknown) =>
      async () => {
        const sorted = await latencies(sizes.queries, () =>
          run(kindQuery(kind, seeded, sizes)),
        );
        const key = `${side} ${kind}`;
        medians.set(key, [...(medians.get(key) ?? []), percentile(sorted, 50)]);
        return percentile(sorted, 99);
      };
    const rawRun = rawQuery(raw, table);
    const serviceRun = (q: KindQuery): unknown => models.audit.list(q.query);
    const phases = Object.fromEntries(
      KINDS.flatMap((kind) => [
        [`raw ${kind}`, phase(kind, 'raw', rawRun)],
        [`service ${kind}`, phase(kind, 'service', serviceRun)],
      ]),
    ) as Record<string, () => Promise<number>>;
    const values = await alternate(sizes.rounds, phases);
    return KINDS.map((kind) =>
      compare({
        figure: `6. audit query by ${kind}, p99 warm`,
        sizes: `${seeded.events} entries, ${sizes.queries} queries/round`,
        unit: 'ms',
        service: values[`service ${kind}`] ?? [],
        baselineName: 'same index lookup in raw SQL, p99',
        baseline: values[`raw ${kind}`] ?? [],
        target: '≤ 2x raw + 0.2 ms',
        meets: (r) => r.service.median <= 2 * r.baseline.median + 0.2,
        note: `p50 ours ${median(medians.get(`service ${kind}`))} ms, raw ${median(medians.get(`raw ${kind}`))} ms`,
      }),
    );
  } finally {
    raw.close();
  }
}

/** The raw SQL a query of the audit store stands for, each prepared once. */
function rawQuery(
  raw: Database.Database,
  table: string,
): (q: KindQuery) => unknown {
  const statements = new Map<string, Database.Statement>();
  return (q) => {
    const sql = `SELECT entry FROM ${table} WHERE ${q.where}
      ORDER BY commit_position DESC, prepare_position DESC LIMIT 51`;
    const statement = statements.get(sql) ?? raw.prepare(sql);
    statements.set(sql, statement);
    return (statement.all(q.params) as { entry: string }[]).map(
      (row) => JSON.parse(row.entry) as unknown,
    );
  };
}

/**
 * The first query of each kind on a connection just opened, the service's
 * and a raw one alternately. Cold for SQLite's own cache and prepared
 * statements; the operating system's page cache stays warm (dropping it
 * needs root), so a first read from disk would be slower than this.
 */
async function coldQueryFigures(
  seeded: SeededStore,
  path: string,
  sizes: ReadModelSizes,
): Promise<FigureResult[]> {
  const samples = new Map<string, number[]>();
  const record = (key: string, ms: number): void => {
    samples.set(key, [...(samples.get(key) ?? []), ms]);
  };
  await alternate(sizes.rounds, {
    raw: () => {
      for (let i = 0; i < sizes.coldQueries; i += 1) {
        for (const kind of KINDS) {
          const raw = rawReader(path);
          const q = kindQuery(kind, seeded, sizes);
          const start = process.hrtime.bigint();
          rawQuery(raw, auditTable(raw))(q);
          record(`raw ${kind}`, msSince(start));
          raw.close();
        }
      }
      return Promise.resolve(0);
    },
    service: async () => {
      for (let i = 0; i < sizes.coldQueries; i += 1) {
        for (const kind of KINDS) {
          const models = SqliteReadModels.open({ path });
          const q = kindQuery(kind, seeded, sizes);
          const start = process.hrtime.bigint();
          await models.audit.list(q.query);
          record(`service ${kind}`, msSince(start));
          await models.close();
        }
      }
      return 0;
    },
  });
  return KINDS.map((kind) => {
    const ours = [...(samples.get(`service ${kind}`) ?? [])].sort(
      (a, b) => a - b,
    );
    const raw = [...(samples.get(`raw ${kind}`) ?? [])].sort((a, b) => a - b);
    return compare({
      figure: `6. audit query by ${kind}, p99 cold`,
      sizes: `${seeded.events} entries, ${ours.length} fresh connections`,
      unit: 'ms',
      service: [percentile(ours, 99)],
      baselineName: 'raw SQL on a fresh connection, p99',
      baseline: [percentile(raw, 99)],
      target: '< 10 ms',
      meets: (r) => r.service.median < 10,
      note: `p50 ours ${percentile(ours, 50).toFixed(3)} ms, raw ${percentile(raw, 50).toFixed(3)} ms`,
    });
  });
}

function auditTable(raw: Database.Database): string {
  const row = raw
    .prepare<[], { name: string }>(
      `SELECT name FROM sqlite_master WHERE type = 'table'
       AND name GLOB 'audit_g[0-9]*' ORDER BY name DESC LIMIT 1`,
    )
    .get();
  if (row === undefined) throw new Error('no audit table found');
  return row.name;
}

function kindQuery(
  kind: Kind,
  seeded: SeededStore,
  sizes: ReadModelSizes,
): KindQuery {
  const index = Math.floor(Math.random() * seeded.orgIds.length);
  switch (kind) {
    case 'organization': {
      const orgId = seeded.orgIds[index] ?? '';
      return { query: { orgId }, where: 'org_id = @orgId', params: { orgId } };
    }
    case 'actor': {
      const actor = { type: 'user' as ActorType, id: ownerOf(index) };
      return {
        query: { actor },
        where: 'actor_type = @actorType AND actor_id = @actorId',
        params: { actorType: actor.type, actorId: actor.id },
      };
    }
    case 'type':
      return {
        query: { eventTypes: ['OrganizationCreated'] },
        where: 'event_type = @eventType',
        params: { eventType: 'OrganizationCreated' },
      };
    case 'time range': {
      const minute = Math.floor(Math.random() * sizes.perOrganization);
      const from = new Date(Date.UTC(2026, 0, 1) + minute * 60_000);
      const to = new Date(from.getTime() + 60_000);
      return {
        query: { from, to },
        where: 'occurred_at >= @from AND occurred_at < @to',
        params: { from: from.toISOString(), to: to.toISOString() },
      };
    }
  }
}

function median(values: readonly number[] | undefined): string {
  const sorted = [...(values ?? [])].sort((a, b) => a - b);
  return percentile(sorted, 50).toFixed(3);
}
