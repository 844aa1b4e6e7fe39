import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';

import { type Position, SqliteEventStore } from '@org/event-store';
import {
  createProjectionRunners,
  denseEventLogMeter,
  type OrganizationReadModels,
  RedisReadModels,
  SqliteReadModels,
} from '@org/read-models';

import { startTestRedis, type TestRedis } from '../support/redis-server.js';
import { makeTempDir, removeTempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait-for.js';
import { compileForNode } from './support/compile-for-node.js';
import { OrganizationLog } from './support/organization-log.js';
import type { ChildConfig } from './support/projection-child.js';
import { ScriptedHistory } from './support/scripted-history.js';

// Each restart costs a Node start and module loading, about 0.3 s.
const KILLS = 10;
// The child is killed this long at most after it has started applying.
const LONGEST_RUN_MS = 60;

type Backend = ChildConfig['readModels']['kind'];

/** A projection process, and the moment it said it had started. */
class ProjectionProcess {
  private readonly child: ChildProcess;
  private readonly exited: Promise<unknown>;
  private stderr = '';

  constructor(program: string, config: ChildConfig) {
    this.child = spawn(process.execPath, [program, JSON.stringify(config)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.exited = once(this.child, 'exit');
    this.child.stderr?.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString();
    });
  }

  /** Resolves when the child has read its checkpoints and subscribed. */
  async started(): Promise<void> {
    const stdout = this.child.stdout;
    if (stdout === null) throw new Error('no stdout');
    let seen = '';
    for await (const chunk of stdout) {
      seen += String(chunk);
      if (seen.includes('started\n')) return;
    }
    throw new Error(`the projection process exited: ${this.stderr}`);
  }

  /** SIGKILL: no handler, no flush, no goodbye. */
  async kill(): Promise<void> {
    this.child.kill('SIGKILL');
    await this.exited;
    if (this.stderr !== '') throw new Error(this.stderr);
  }
}

function killAfter(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe('projections killed at random points', () => {
  let folder: string;
  let program: string;
  let redis: TestRedis;
  const opened: OrganizationReadModels[] = [];

  beforeAll(async () => {
    folder = await makeTempDir('projection-crash');
    [program, redis] = await Promise.all([
      compileForNode(
        'test/read-models/support/projection-child.ts',
        join(folder, 'build'),
      ),
      startTestRedis(),
    ]);
  }, 20_000);

  afterAll(async () => {
    await Promise.all(opened.map((models) => models.close()));
    await redis.stop();
    await removeTempDir(folder);
  });

  function readModelsConfig(backend: Backend): ChildConfig['readModels'] {
    return backend === 'sqlite'
      ? { kind: 'sqlite', path: join(folder, `${redis.prefix('rm')}.sqlite`) }
      : { kind: 'redis', url: redis.url, keyPrefix: `${redis.prefix('rm')}:` };
  }

  function open(config: ChildConfig['readModels']): OrganizationReadModels {
    const models =
      config.kind === 'sqlite'
        ? SqliteReadModels.open(config)
        : new RedisReadModels({
            redis: redis.client(),
            keyPrefix: config.keyPrefix,
          });
    opened.push(models);
    return models;
  }

  async function checkpoint(models: OrganizationReadModels): Promise<bigint> {
    const positions = await Promise.all(
      [models.directory, models.audit].map(async (store) =>
        store.readCheckpoint(await store.activeGeneration()),
      ),
    );
    const [a = 0n, b = 0n] = positions.map((p) => p?.commit ?? 0n);
    return a < b ? a : b;
  }

  async function checksums(models: OrganizationReadModels): Promise<string[]> {
    return [await models.directory.checksum(), await models.audit.checksum()];
  }

  async function rebuiltFresh(
    store: SqliteEventStore,
    head: Position,
    backend: Backend,
  ): Promise<string[]> {
    const fresh = open(readModelsConfig(backend));
    const runners = createProjectionRunners({
      events: store,
      readModels: fresh,
      meter: denseEventLogMeter(store),
    });
    await Promise.all([runners.directory.start(), runners.audit.start()]);
    const reached = await Promise.all([
      runners.directory.waitUntil(head, 10_000),
      runners.audit.waitUntil(head, 10_000),
    ]);
    await Promise.all([runners.directory.stop(), runners.audit.stop()]);
    expect(reached).toEqual([true, true]);
    return checksums(fresh);
  }

  it.each<Backend>(['sqlite', 'redis'])(
    'resume %s read models to exactly what a fresh rebuild gives',
    async (backend) => {
      const eventsPath = join(folder, `${backend}-events.sqlite`);
      const store = SqliteEventStore.open({
        path: eventsPath,
        durability: 'normal',
      });
      const log = new OrganizationLog(store);
      const history = new ScriptedHistory(log, `crash-${backend}`);
      await history.create(40);
      await history.rounds(50);
      const config = readModelsConfig(backend);
      const resumed = open(config);
      // Small batches while it is killed, so that it dies between many
      // commits; a usual size for the last run, which catches up.
      const run = (batchSize = 1 + Math.floor(Math.random() * 16)) =>
        new ProjectionProcess(program, {
          eventsPath,
          batchSize,
          readModels: config,
        });

      let midway = 0;
      for (let kill = 0; kill < KILLS; kill += 1) {
        const child = run();
        await child.started();
        const before = await checkpoint(resumed);
        await killAfter(Math.random() * LONGEST_RUN_MS);
        await child.kill();
        const after = await checkpoint(resumed);
        if (after > before && after < log.head.commit) midway += 1;
        if (kill % 3 === 2) await history.rounds(3);
      }
      const last = run(200);
      await last.started();
      await waitFor(
        async () => (await checkpoint(resumed)) >= log.head.commit,
        {
          timeoutMs: 10_000,
          description: 'the restarted projections to catch up',
        },
      );
      await last.kill();

      expect(midway).toBeGreaterThanOrEqual(2);
      expect(await checksums(resumed)).toEqual(
        await rebuiltFresh(store, log.head, backend),
      );
      await store.close();
    },
    20_000,
  );
});
