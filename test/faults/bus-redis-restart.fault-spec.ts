import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

import { busStreams, fieldsOf } from '@org/bus';
import { Redis } from 'ioredis';

import { makeTempDir, removeTempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait-for.js';
import { BusWorkload } from './support/bus-workload.js';
import {
  type RedisPersistence,
  RedisProcess,
} from './support/redis-process.js';
import { SeededRandom } from './support/seeded-random.js';
import {
  ServiceBuild,
  ServiceProcess,
  writeSupportToken,
} from './support/service-process.js';
import {
  allItems,
  caughtUp,
  servedAndRebuilt,
  storedEventIds,
  Workload,
} from './support/workload.js';

const ORGANIZATIONS = 6;
const COMMANDS = 50;
const RESTARTS = 3;
const PREFIX = 'faults';
const GROUP = 'organizations-service';
const KEY_ID = 'devices-1';

type Entry = [id: string, fields: string[]];

let build: ServiceBuild;

beforeAll(async () => {
  build = await ServiceBuild.compile();
}, 90_000);

afterAll(async () => {
  await build.remove();
});

const KINDS: readonly (readonly [string, RedisPersistence])[] = [
  ['keeping its data (append-only, fsync always)', 'append-only'],
  ['losing its data (no persistence)', 'none'],
];

describe.each(KINDS)(
  'Redis restarted %s while services send commands over the bus',
  (kind, persistence) => {
    const random = new SeededRandom();
    const streams = busStreams(PREFIX);
    let dataDir: string;
    let redis: RedisProcess;
    let service: ServiceProcess;
    let http: Workload;
    let bus: BusWorkload;
    let raw: Redis;

    beforeAll(async () => {
      dataDir = await makeTempDir('faults-bus');
      const redisDir = join(dataDir, 'redis');
      await mkdir(redisDir);
      redis = await RedisProcess.start(redisDir, persistence);
      const secret = randomBytes(32).toString('base64');
      const keysFile = join(dataDir, 'bus-keys.json');
      await writeFile(
        keysFile,
        JSON.stringify([{ keyId: KEY_ID, secret, service: 'devices-service' }]),
      );
      const { token, file } = await writeSupportToken(dataDir);
      service = await ServiceProcess.start(build, {
        DATA_DIR: dataDir,
        AUTH_TOKENS_FILE: file,
        BUS: redis.url,
        BUS_KEYS_FILE: keysFile,
        BUS_PREFIX: PREFIX,
        BUS_CLAIM_IDLE_MS: '2000',
        LOG_LEVEL: 'warn',
        DELETION_CHECK_INTERVAL_MS: '0',
      });
      http = new Workload(service, token);
      bus = new BusWorkload({
        url: redis.url,
        prefix: PREFIX,
        keyId: KEY_ID,
        secret,
        timeoutMs: 2000,
        retries: 0,
      });
      raw = new Redis(redis.url, { lazyConnect: true });
    }, 60_000);

    afterAll(async () => {
      await bus.close();
      raw.disconnect();
      await service.stop();
      await redis.kill('SIGTERM');
      await removeTempDir(dataDir);
    });

    it('answers every command once, stores its events once, and the read models equal a fresh rebuild', async () => {
      console.log(`faults (bus, Redis ${persistence}): seed ${random.seed}`);
      await http.run(ORGANIZATIONS, 0);
      const orgIds = http.accepted.map((a) => a.orgId);
      const total = ORGANIZATIONS * COMMANDS;
      const moments = random.sortedBetween(
        RESTARTS,
        Math.floor(total * 0.1),
        Math.floor(total * 0.8),
      );
      const faults: string[] = [];

      const sending = bus.run(orgIds, COMMANDS);
      for (const moment of moments) {
        await waitFor(() => bus.accepted.size >= moment, {
          timeoutMs: 60_000,
          intervalMs: 2,
          description: `${moment} commands accepted over the bus`,
        });
        faults.push(await restart(redis, bus, random));
      }
      await sending;
      await raw.connect();

      const replied = [
        ...http.accepted.flatMap((a) => a.events.map((e) => e.id)),
        ...[...bus.accepted.values()].flatMap((a) => a.events.map((e) => e.id)),
      ];
      const stored = storedEventIds(dataDir);
      expect(bus.accepted.size).toBe(total);
      expect(new Set(replied).size).toBe(replied.length);
      expect(replied.filter((id) => stored.get(id) !== 1)).toEqual([]);
      expect(stored.size).toBe(replied.length);
      expect(await conflictingReplies(raw)).toEqual([]);
      await waitFor(async () => (await pendingEntries(raw)) === 0, {
        timeoutMs: 15_000,
        intervalMs: 50,
        description: 'every bus entry acknowledged',
      });
      expect(await raw.xlen(streams.deadLetters)).toBe(0);
      await waitFor(async () => (await unpublished(raw, stored)) === 0, {
        timeoutMs: 30_000,
        intervalMs: 50,
        description: 'every stored event published to the events stream',
      });
      expect(await unorderedOrganizations(raw)).toEqual([]);

      // Healthy without a restart: the same process answers a new command.
      const [firstOrg] = orgIds;
      if (firstOrg === undefined) throw new Error('no organization created');
      expect(await http.get('/health/ready')).toMatchObject({ status: 'ok' });
      expect((await bus.once(firstOrg)).status).toBe('accepted');
      await caughtUp(http);
      const audit = await allItems(http, '/v1/audit?order=oldest');
      expect(audit).toHaveLength(replied.length + 1);
      const { served, rebuilt } = await servedAndRebuilt(http);
      expect(served).toEqual(rebuilt);
      console.log(
        `faults (bus): seed ${random.seed}; Redis ${kind} restarted at accepted ` +
          `counts ${moments.join(', ')} (${faults.join('; ')}); ` +
          `${total} bus commands from ${ORGANIZATIONS} clients, ` +
          `${bus.retries} retried with the same command id`,
      );
    }, 150_000);

    /**
     * Every reply written for one command id says the same thing: a command
     * sent again was answered from its first outcome, never applied twice.
     */
    async function conflictingReplies(client: Redis): Promise<string[]> {
      const bodies = new Map<string, Set<string>>();
      const keys = await client.keys(`${streams.replies('')}*`);
      for (const key of keys) {
        const entries = (await client.xrange(key, '-', '+')) as Entry[];
        for (const [, flat] of entries) {
          const { inReplyTo = '', body = '' } = fieldsOf(flat);
          const seen = bodies.get(inReplyTo) ?? new Set<string>();
          seen.add(body);
          bodies.set(inReplyTo, seen);
        }
      }
      return [...bodies].filter(([, set]) => set.size > 1).map(([id]) => id);
    }

    async function pendingEntries(client: Redis): Promise<number> {
      const [count] = (await client.xpending(streams.commands, GROUP)) as [
        number,
      ];
      return count;
    }

    async function publishedEvents(client: Redis) {
      const entries = (await client.xrange(
        streams.events,
        '-',
        '+',
      )) as Entry[];
      return entries.map(([, flat]) => fieldsOf(flat));
    }

    async function unpublished(
      client: Redis,
      stored: ReadonlyMap<string, number>,
    ): Promise<number> {
      const published = new Set(
        (await publishedEvents(client)).map((e) => e.eventId),
      );
      return [...stored.keys()].filter((id) => !published.has(id)).length;
    }

    /** Organizations whose events were first published out of revision order. */
    async function unorderedOrganizations(client: Redis): Promise<string[]> {
      const firstSeen = new Map<string, number[]>();
      const seen = new Set<string>();
      for (const event of await publishedEvents(client)) {
        const { eventId = '', orgId = '', revision = '' } = event;
        if (seen.has(eventId)) continue;
        seen.add(eventId);
        firstSeen.set(orgId, [...(firstSeen.get(orgId) ?? []), +revision]);
      }
      return [...firstSeen]
        .filter(([, revisions]) => revisions.some((r, i) => r !== i))
        .map(([orgId]) => orgId);
    }
  },
);

/**
 * Stops Redis by SIGKILL or by SIGTERM (a clean shutdown), keeps it down
 * until the clients have noticed and for a random while longer, and starts
 * it again on the same port and files. Returns what it did.
 */
async function restart(
  redis: RedisProcess,
  bus: BusWorkload,
  random: SeededRandom,
): Promise<string> {
  const signal = random.next() < 0.5 ? 'SIGKILL' : 'SIGTERM';
  const downMs = random.between(0, 4000);
  const noticed = bus.connectionErrors;
  await redis.kill(signal);
  await waitFor(() => bus.connectionErrors > noticed, {
    timeoutMs: 10_000,
    description: 'the clients to lose Redis',
  });
  // The randomized outage is the fault itself, not a wait for an effect.
  await delay(downMs);
  await redis.boot();
  return `${signal} + ${downMs} ms`;
}
