import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { RedisProcess } from './support/redis-process.js';
import { makeTempDir, removeTempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait-for.js';
import { SeededRandom } from './support/seeded-random.js';
import {
  ServiceBuild,
  ServiceProcess,
  writeSupportToken,
} from './support/service-process.js';
import {
  allItems,
  servedAndRebuilt,
  storedEventIds,
  Workload,
} from './support/workload.js';

const CLIENTS = 8;
const CHANGES = 24;
const KILLS = 4;

let build: ServiceBuild;

beforeAll(async () => {
  build = await ServiceBuild.compile();
}, 90_000);

afterAll(async () => {
  await build.remove();
});

describe('the service killed with SIGKILL while clients send and retry commands', () => {
  let dataDir: string;
  let service: ServiceProcess;
  let workload: Workload;

  beforeAll(async () => {
    dataDir = await makeTempDir('faults-kill');
    const { token, file } = await writeSupportToken(dataDir);
    service = await ServiceProcess.start(build, {
      DATA_DIR: dataDir,
      AUTH_TOKENS_FILE: file,
      LOG_LEVEL: 'warn',
      DELETION_CHECK_INTERVAL_MS: '0',
    });
    workload = new Workload(service, token);
  }, 60_000);

  afterAll(async () => {
    await service.stop();
    await removeTempDir(dataDir);
  });

  it('stores every accepted command once, and the read models equal a fresh rebuild', async () => {
    const random = new SeededRandom();
    console.log(`faults (SIGKILL): seed ${random.seed}`);
    const total = CLIENTS * (CHANGES + 1);
    const moments = random.sortedBetween(
      KILLS,
      Math.floor(total * 0.1),
      Math.floor(total * 0.9),
    );

    const sending = workload.run(CLIENTS, CHANGES);
    for (const moment of moments) {
      await waitFor(() => workload.accepted.length >= moment, {
        timeoutMs: 30_000,
        intervalMs: 2,
        description: `${moment} accepted commands`,
      });
      await service.killAndRestart();
    }
    await sending;
    await service.stop();
    await service.killAndRestart();

    const stored = storedEventIds(dataDir);
    const replied = workload.accepted.flatMap((a) => a.events.map((e) => e.id));
    expect(workload.accepted).toHaveLength(total);
    expect(new Set(replied).size).toBe(replied.length);
    expect(replied.filter((id) => stored.get(id) !== 1)).toEqual([]);
    expect(stored.size).toBe(replied.length);
    const audit = await allItems(workload, '/v1/audit?order=oldest');
    expect(audit).toHaveLength(replied.length);
    const { served, rebuilt } = await servedAndRebuilt(workload);
    expect(served).toEqual(rebuilt);
    console.log(
      `faults: seed ${random.seed}; ${KILLS} SIGKILLs at accepted counts ` +
        `${moments.join(', ')}; ` +
        `${total} commands, ${workload.retries} retried attempts`,
    );
  }, 120_000);
});

describe('Redis restarted while the projections write the read models to it', () => {
  let dataDir: string;
  let redis: RedisProcess;
  let service: ServiceProcess;
  let workload: Workload;

  beforeAll(async () => {
    dataDir = await makeTempDir('faults-redis');
    redis = await RedisProcess.start(dataDir);
    const { token, file } = await writeSupportToken(dataDir);
    service = await ServiceProcess.start(build, {
      DATA_DIR: dataDir,
      AUTH_TOKENS_FILE: file,
      READ_MODELS: redis.url,
      READ_MODELS_PREFIX: 'faults',
      LOG_LEVEL: 'warn',
      DELETION_CHECK_INTERVAL_MS: '0',
    });
    workload = new Workload(service, token);
  }, 60_000);

  afterAll(async () => {
    await service.stop();
    await redis.kill('SIGTERM');
    await removeTempDir(dataDir);
  });

  it('recovers, and the read models catch up with nothing lost or doubled', async () => {
    const random = new SeededRandom();
    console.log(`faults (Redis read models): seed ${random.seed}`);
    const total = CLIENTS * (CHANGES + 1);
    const moment = random.between(
      Math.floor(total * 0.1),
      Math.floor(total * 0.8),
    );
    const sending = workload.run(CLIENTS, CHANGES);
    await waitFor(() => workload.accepted.length >= moment, {
      timeoutMs: 30_000,
      intervalMs: 2,
      description: `${moment} commands accepted`,
    });

    const logged = service.printed;
    await redis.kill();
    // Down until the service has failed to reconnect at least once.
    await waitFor(() => service.printedSince(logged).includes('ECONNREFUSED'), {
      timeoutMs: 30_000,
      description: 'the service to fail to reach Redis',
    });
    await redis.boot();
    await sending;

    const stored = storedEventIds(dataDir);
    const replied = workload.accepted.flatMap((a) => a.events.map((e) => e.id));
    expect(workload.accepted).toHaveLength(total);
    expect(replied.filter((id) => stored.get(id) !== 1)).toEqual([]);
    expect(stored.size).toBe(replied.length);
    const { served, rebuilt } = await servedAndRebuilt(workload);
    const audit = await allItems(workload, '/v1/audit?order=oldest');
    const directory = await allItems(workload, '/v1/organizations');
    expect(audit).toHaveLength(replied.length);
    expect(directory).toHaveLength(CLIENTS);
    expect(served).toEqual(rebuilt);
    console.log(
      `faults: seed ${random.seed}; Redis SIGKILLed after ${moment} of ` +
        `${total} commands; ` +
        `${workload.retries} retried attempts`,
    );
  }, 120_000);
});
