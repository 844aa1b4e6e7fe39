import 'reflect-metadata';

import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { busFigures } from './figures/bus.js';
import { coldStartFigures } from './figures/cold-start.js';
import { commandFigures } from './figures/commands.js';
import { esdbFigures } from './figures/esdb.js';
import { loadFigure } from './figures/load.js';
import { memoryFigures } from './figures/memory.js';
import { readModelFigures } from './figures/read-models.js';
import {
  type FigureResult,
  formatTable,
  writeResults,
} from './support/results.js';

// The bench starts its own redis-server; a REDIS_URL meant for the tests
// must not lead it to flush a shared server.
delete process.env.REDIS_URL;

const FIGURES = [
  'commands',
  'bus',
  'esdb',
  'load',
  'rebuild',
  'memory',
  'cold-start',
] as const;
type FigureName = (typeof FIGURES)[number];

const USAGE = `usage: npm run bench -- [--only ${FIGURES.join(',')}] [--events N] [--rounds N]
  --only     the figures to run, comma-separated (default: all)
  --events   events stored for the rebuild, audit-query and cold-start figures
             (default 1000000; 100 per organization)
  --rounds   rounds of alternating phases (default 5, or BENCH_ROUNDS)`;

function options(): {
  only: readonly FigureName[];
  events: number;
  rounds: number;
} {
  const { values } = parseArgs({
    options: {
      only: { type: 'string' },
      events: { type: 'string', default: '1000000' },
      rounds: { type: 'string', default: process.env.BENCH_ROUNDS ?? '5' },
      help: { type: 'boolean', default: false },
    },
  });
  const only = (values.only ?? FIGURES.join(',')).split(',');
  const unknown = only.filter((n) => !FIGURES.includes(n as FigureName));
  const events = Number(values.events);
  const rounds = Number(values.rounds);
  if (
    values.help ||
    unknown.length > 0 ||
    !Number.isInteger(events) ||
    events < 100 ||
    events % 100 !== 0 ||
    !Number.isInteger(rounds) ||
    rounds < 1
  ) {
    process.stderr.write(`${USAGE}\n`);
    process.exit(2);
  }
  return { only: only as FigureName[], events, rounds };
}

function sizesFor(events: number, rounds: number) {
  return {
    commands: { rounds, phaseMs: 2_000, organizations: 1_000, clients: 64 },
    load: { rounds, events: 10_000, loads: 500 },
    readModels: {
      // A rebuild of a million events takes minutes per phase here.
      rounds: Math.min(rounds, events >= 1_000_000 ? 1 : 3),
      organizations: events / 100,
      perOrganization: 100,
      queries: 300,
      coldQueries: 20,
    },
    memory: { rounds: Math.min(rounds, 2), organizations: 100_000 },
    coldStart: { rounds, events },
  };
}

const SKIPPED = [
  '3. Emmett SQLite event store: @event-driven-io/emmett-sqlite does not ' +
    'install cleanly (0.42.4 needs @event-driven-io/emmett 0.42.4, absent ' +
    'from the registry; 0.38.5 needs commander ^12 as a peer, the service ' +
    'uses commander 14).',
];

async function main(): Promise<void> {
  const { only, events, rounds } = options();
  const sizes = sizesFor(events, rounds);
  const dir = await mkdtemp(join(tmpdir(), 'organizations-bench-'));
  const results: FigureResult[] = [];
  const started = Date.now();
  const loads: string[] = [];
  process.stdout.write(
    `figures: ${only.join(', ')}\nsizes: ${JSON.stringify(sizes)}\n`,
  );
  const figures: Record<FigureName, () => Promise<FigureResult[]>> = {
    commands: () => commandFigures(dir, sizes.commands),
    bus: () => busFigures(dir, sizes.commands),
    esdb: () => esdbFigures(dir, sizes.commands),
    load: async () => [await loadFigure(dir, sizes.load)],
    rebuild: () => readModelFigures(dir, sizes.readModels),
    memory: () => memoryFigures(dir, sizes.memory),
    'cold-start': () => coldStartFigures(dir, sizes.coldStart),
  };
  try {
    for (const name of only) {
      loads.push(`${name}: ${loadAverage()}`);
      results.push(...(await step(name, figures[name])));
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  loads.push(`end: ${loadAverage()}`);
  const context = {
    command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
    nproc: cpus().length,
    node: process.version,
    startedAt: new Date(started).toISOString(),
    seconds: Math.round((Date.now() - started) / 1000),
    loadAverages: loads,
    sizes,
    skipped: SKIPPED,
  };
  process.stdout.write(`\n${formatTable(results)}\n\n`);
  for (const r of results) {
    if (r.note !== undefined) process.stdout.write(`${r.figure}: ${r.note}\n`);
  }
  for (const s of SKIPPED) process.stdout.write(`skipped: ${s}\n`);
  process.stdout.write(`load average (1, 5, 15 min) at each step:\n`);
  for (const l of loads) process.stdout.write(`  ${l}\n`);
  writeResults('bench-results.json', context, results);
  process.stdout.write(
    `\nwritten to bench-results.json in ${context.seconds} s\n`,
  );
}

function loadAverage(): string {
  return loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
}

async function step<T>(name: string, run: () => Promise<T>): Promise<T> {
  const start = Date.now();
  process.stdout.write(`${name}...\n`);
  const value = await run();
  const seconds = Math.round((Date.now() - start) / 1000);
  process.stdout.write(`${name} done in ${seconds} s\n`);
  return value;
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${String(error)}\n`);
  if (error instanceof Error && error.stack !== undefined)
    process.stderr.write(`${error.stack}\n`);
  process.exitCode = 1;
});
