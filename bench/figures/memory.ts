import { execFile } from 'node:child_process';
import { linkSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

import {
  startTestRedis,
  type TestRedis,
} from '../../test/support/redis-server.js';
import {
  type Child,
  rssBytes,
  startHealthy,
} from '../support/child-process.js';
import { generatedStore } from '../support/generated-store.js';
import { alternate, compare, type FigureResult } from '../support/results.js';

const SERVICE_MAIN = 'dist/apps/organizations/src/main.js';
const PLAIN_STATES_MAIN = 'dist-bench/bench/memory/plain-states.js';

export interface MemorySizes {
  readonly rounds: number;
  readonly organizations: number;
}

interface PlainStates {
  readonly heapBytes: number;
  readonly rssBytes: number;
}

/**
 * Figure 9: what holding `organizations` organizations costs the service
 * (its resident set with them projected, minus an empty one's) and Redis
 * (`used_memory` with both read models, minus empty), next to the same
 * states as plain objects in a bare process.
 */
export async function memoryFigures(
  dir: string,
  sizes: MemorySizes,
): Promise<FigureResult[]> {
  const stored = await generatedStore(sizes.organizations, 1);
  const redis = await startTestRedis();
  const plain: PlainStates[] = [];
  try {
    const values = await alternate(sizes.rounds, {
      plainHeap: async () => {
        plain.push(await plainStates(sizes.organizations));
        return plain.at(-1)?.heapBytes ?? Number.NaN;
      },
      plainRss: () => Promise.resolve(plain.at(-1)?.rssBytes ?? Number.NaN),
      serviceRss: async () =>
        (await serviceRss(dir, stored.path)) - (await serviceRss(dir, null)),
      redisBytes: () => redisBytes(dir, stored.path, redis),
    });
    const sizesText = `${sizes.organizations} organizations, one event each`;
    return [
      compare({
        figure: `9a. service RSS for ${sizes.organizations} orgs (SQLite read models)`,
        sizes: sizesText,
        unit: 'MB',
        service: values.serviceRss.map(mb),
        baselineName: 'plain objects in a bare process: RSS growth',
        baseline: values.plainRss.map(mb),
        target: '≤ 1.5x',
        meets: (r) => r.ratio.median <= 1.5,
        note: 'RSS after both projections caught up, minus an empty service; not collected first, so it includes garbage',
      }),
      compare({
        figure: `9b. Redis bytes for ${sizes.organizations} orgs (directory + audit)`,
        sizes: sizesText,
        unit: 'MB',
        service: values.redisBytes.map(mb),
        baselineName: 'plain objects in a bare process: heap growth after GC',
        baseline: values.plainHeap.map(mb),
        target: '≤ 1.5x',
        meets: (r) => r.ratio.median <= 1.5,
        note: 'used_memory after both projections caught up, minus before; includes one audit entry per organization and every index',
      }),
    ];
  } finally {
    await redis.stop();
  }
}

function mb(bytes: number): number {
  return bytes / 1024 / 1024;
}

async function plainStates(organizations: number): Promise<PlainStates> {
  const { stdout } = await promisify(execFile)(process.execPath, [
    '--expose-gc',
    PLAIN_STATES_MAIN,
    String(organizations),
  ]);
  return JSON.parse(stdout) as PlainStates;
}

// RSS of a service on a fresh data folder holding `events` (or nothing),
// once both projections have caught up.
async function serviceRss(dir: string, events: string | null): Promise<number> {
  return withService(dir, events, {}, (child) =>
    Promise.resolve(rssBytes(child.process.pid ?? 0)),
  );
}

async function redisBytes(
  dir: string,
  events: string,
  redis: TestRedis,
): Promise<number> {
  const client = redis.client();
  try {
    await client.flushall();
    const before = await usedMemory(client);
    const env = { READ_MODELS: redis.url };
    await withService(dir, events, env, () => Promise.resolve(0));
    return (await usedMemory(client)) - before;
  } finally {
    await client.quit();
  }
}

async function usedMemory(
  client: ReturnType<TestRedis['client']>,
): Promise<number> {
  const info = await client.info('memory');
  const used = /^used_memory:(\d+)\r?$/m.exec(info)?.[1];
  if (used === undefined) throw new Error('INFO memory has no used_memory');
  return Number(used);
}

async function withService<T>(
  dir: string,
  events: string | null,
  env: Record<string, string>,
  measure: (child: Child) => Promise<T>,
): Promise<T> {
  const dataDir = await mkdtemp(join(dir, 'memory-'));
  try {
    if (events !== null) linkSync(events, join(dataDir, 'events.sqlite'));
    const child = await startHealthy(SERVICE_MAIN, {
      ...env,
      DATA_DIR: dataDir,
      LOG_LEVEL: 'error',
      DELETION_CHECK_INTERVAL_MS: '0',
    });
    try {
      await caughtUp(child.port);
      return await measure(child);
    } finally {
      await child.stop();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

interface HealthBody {
  readonly projections?: readonly { state: string; lagEvents: number }[];
}

async function caughtUp(port: number): Promise<void> {
  const deadline = Date.now() + 600_000;
  while (Date.now() < deadline) {
    const response = await fetch(`http://127.0.0.1:${port}/health`);
    const body = (await response.json()) as HealthBody;
    const projections = body.projections ?? [];
    if (
      projections.length > 0 &&
      projections.every((p) => p.state === 'live' && p.lagEvents === 0)
    )
      return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('the projections did not catch up within 10 minutes');
}
