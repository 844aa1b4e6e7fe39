import 'reflect-metadata';

import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';

import { coldStartFigure } from './figures/cold-start.js';
import { busFigures } from './figures/bus.js';
import { commandFigures } from './figures/commands.js';
import { loadFigure } from './figures/load.js';
import { readModelFigures } from './figures/read-models.js';
import {
  type FigureResult,
  formatTable,
  writeResults,
} from './support/results.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? '5');

const SIZES = {
  commands: {
    rounds: ROUNDS,
    phaseMs: 2_000,
    organizations: 1_000,
    clients: 64,
  },
  load: { rounds: ROUNDS, events: 10_000, loads: 500 },
  readModels: {
    rounds: Math.min(ROUNDS, 3),
    organizations: 1_000,
    perOrganization: 100,
    queries: 300,
  },
  coldStart: { rounds: ROUNDS },
};

const SKIPPED = [
  '3. Emmett SQLite event store: @event-driven-io/emmett-sqlite does not ' +
    'install cleanly (0.42.4 needs @event-driven-io/emmett 0.42.4, absent ' +
    'from the registry; 0.38.5 needs commander ^12 as a peer, the service ' +
    'uses commander 14).',
  'EventStoreDB emulator, projection lag, memory and cold ' +
    'start with 1,000,000 events are not measured yet.',
];

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'organizations-bench-'));
  const results: FigureResult[] = [];
  const started = Date.now();
  process.stdout.write(`sizes: ${JSON.stringify(SIZES)}\n`);
  try {
    results.push(
      ...(await step('commands', () => commandFigures(dir, SIZES.commands))),
      ...(await step('bus', () => busFigures(dir, SIZES.commands))),
      await step('load', () => loadFigure(dir, SIZES.load)),
      ...(await step('read models', () =>
        readModelFigures(dir, SIZES.readModels),
      )),
      await step('cold start', () =>
        coldStartFigure(dir, SIZES.coldStart.rounds),
      ),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const context = {
    command: 'npm run bench',
    nproc: cpus().length,
    node: process.version,
    startedAt: new Date(started).toISOString(),
    seconds: Math.round((Date.now() - started) / 1000),
    sizes: SIZES,
    skipped: SKIPPED,
  };
  process.stdout.write(`\n${formatTable(results)}\n\n`);
  for (const r of results) {
    if (r.note !== undefined) process.stdout.write(`${r.figure}: ${r.note}\n`);
  }
  for (const s of SKIPPED) process.stdout.write(`skipped: ${s}\n`);
  writeResults('bench-results.json', context, results);
  process.stdout.write(
    `\nwritten to bench-results.json in ${context.seconds} s\n`,
  );
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
