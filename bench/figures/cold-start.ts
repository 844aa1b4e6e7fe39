import { existsSync, linkSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';

import { createProjectionRunners, denseEventLogMeter } from '@org/read-models';
import { SqliteReadModels } from '@org/read-models';

import {
  BENCH_CACHE_DIR,
  generatedStore,
  openGenerated,
} from '../support/generated-store.js';
import { alternate, compare, type FigureResult } from '../support/results.js';
import { startHealthy } from '../support/child-process.js';
import { untilLive } from '../support/projections-live.js';

const SERVICE_MAIN = 'dist/apps/organizations/src/main.js';
// Bump when the read models' tables or indexes change, so that a cached
// read-models.sqlite made by older code is not reused.
const READ_MODELS_LAYOUT = 2;
const BARE_NEST_MAIN = 'dist-bench/bench/cold-start/bare-nest.js';

export interface ColdStartSizes {
  readonly rounds: number;
  /** Events stored for the second figure, 100 per organization. */
  readonly events: number;
}

/**
 * Figure 7: from spawning node to a healthy answer, with no stored events
 * and with `events` stored events and read models caught up with them,
 * next to a bare Nest application.
 */
export async function coldStartFigures(
  dir: string,
  sizes: ColdStartSizes,
): Promise<FigureResult[]> {
  const stored = await cachedDataFiles(sizes.events);
  const values = await alternate(sizes.rounds, {
    bare: () => startToHealthy(BARE_NEST_MAIN, {}),
    empty: () => inFreshDataDir(dir, [], (d) => startService(d)),
    stored: () => inFreshDataDir(dir, stored, (d) => startService(d)),
  });
  const common = {
    unit: 'ms',
    baselineName: 'bare Nest app with one health route',
    baseline: values.bare,
    target: '≤ 1.5x',
    meets: (r: { ratio: { median: number } }) => r.ratio.median <= 1.5,
  };
  return [
    compare({
      ...common,
      figure: '7. cold start to healthy, 0 events',
      sizes: 'SQLite store and read models, empty',
      service: values.empty,
    }),
    compare({
      ...common,
      figure: `7. cold start to healthy, ${sizes.events} events`,
      sizes: 'SQLite store, read models caught up',
      service: values.stored,
    }),
  ];
}

function startService(dataDir: string): Promise<number> {
  return startToHealthy(SERVICE_MAIN, {
    DATA_DIR: dataDir,
    LOG_LEVEL: 'error',
  });
}

// A data folder of its own per start, the stored files linked into it (not
// copied: they are large, and a start without commands changes nothing).
async function inFreshDataDir(
  dir: string,
  files: readonly string[],
  start: (dataDir: string) => Promise<number>,
): Promise<number> {
  const dataDir = await mkdtemp(join(dir, 'cold-'));
  try {
    for (const file of files) linkSync(file, join(dataDir, basename(file)));
    return await start(dataDir);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/**
 * `events.sqlite` of the generated store and a `read-models.sqlite` the
 * projections have brought up to it, made once and kept in the cache.
 */
async function cachedDataFiles(events: number): Promise<string[]> {
  const generated = await generatedStore(events / 100, 100);
  const dir = join(
    BENCH_CACHE_DIR,
    `data-v${READ_MODELS_LAYOUT}-${events / 100}x100`,
  );
  const eventsFile = join(dir, 'events.sqlite');
  const readModelsFile = join(dir, 'read-models.sqlite');
  mkdirSync(dir, { recursive: true });
  if (!existsSync(eventsFile)) linkSync(generated.path, eventsFile);
  if (!existsSync(readModelsFile)) {
    process.stdout.write(
      `projecting ${events} events into ${readModelsFile}...\n`,
    );
    const partial = `${readModelsFile}.partial`;
    for (const suffix of ['', '-wal', '-shm']) {
      rmSync(`${partial}${suffix}`, { force: true });
    }
    const seeded = openGenerated(generated);
    const models = SqliteReadModels.open({ path: partial });
    const runners = createProjectionRunners({
      events: seeded.store,
      readModels: models,
      meter: denseEventLogMeter(seeded.store),
      batchSize: 5_000,
    });
    await Promise.all([runners.directory.start(), runners.audit.start()]);
    await Promise.all([
      runners.directory.waitUntil(seeded.last, 3_600_000),
      runners.audit.waitUntil(seeded.last, 3_600_000),
    ]);
    await Promise.all([untilLive(runners.directory), untilLive(runners.audit)]);
    await Promise.all([runners.directory.stop(), runners.audit.stop()]);
    await models.close();
    await seeded.store.close();
    renameSync(partial, readModelsFile);
  }
  return [eventsFile, readModelsFile];
}

async function startToHealthy(
  main: string,
  env: Record<string, string>,
): Promise<number> {
  const child = await startHealthy(main, env);
  await child.stop();
  return child.msToHealthy;
}
