import 'reflect-metadata';

import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';

import { commandFigures } from './figures/commands.js';
import {
  type FigureResult,
  formatTable,
  writeResults,
} from './support/results.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? '5');

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'organizations-bench-'));
  const results: FigureResult[] = [];
  const started = Date.now();
  try {
    results.push(
      ...(await step('commands', () =>
        commandFigures(dir, {
          rounds: ROUNDS,
          phaseMs: 2_000,
          organizations: 1_000,
          clients: 64,
        }),
      )),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const context = {
    command: 'npm run bench',
    rounds: ROUNDS,
    nproc: cpus().length,
    node: process.version,
    startedAt: new Date(started).toISOString(),
    seconds: Math.round((Date.now() - started) / 1000),
  };
  process.stdout.write(`\n${formatTable(results)}\n`);
  writeResults('bench-results.json', context, results);
  process.stdout.write(
    `\nwritten to bench-results.json in ${context.seconds} s\n`,
  );
}

async function step<T>(name: string, run: () => Promise<T>): Promise<T> {
  const start = Date.now();
  process.stdout.write(`${name}...\n`);
  const value = await run();
  process.stdout.write(
    `${name} done in ${Math.round((Date.now() - start) / 1000)} s\n`,
  );
  return value;
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${String(error)}\n`);
  if (error instanceof Error)
    process.stderr.write(`cause: ${String(error.cause)}\n`);
  if (error instanceof Error && error.stack !== undefined)
    process.stderr.write(`${error.stack}\n`);
  process.exitCode = 1;
});
