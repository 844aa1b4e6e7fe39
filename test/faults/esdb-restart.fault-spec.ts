import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { setTimeout as delay } from 'node:timers/promises';

import type { Position, RecordedEvent } from '@org/event-store';
import { EventStoreDbEventStore } from '@org/event-store/esdb';

import { EsdbWireEmulator } from '../esdb-emulator/esdb-wire-emulator.js';
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
  caughtUp,
  servedAndRebuilt,
  Workload,
} from './support/workload.js';

const CLIENTS = 6;
const CHANGES = 30;
const RESTARTS = 3;
/** The directory and the audit history, each with its own subscription. */
const PROJECTIONS = 2;
/** The key shredder, subscribed to deletions only, with its own subscription. */
const SHREDDER = 1;

let build: ServiceBuild;

beforeAll(async () => {
  build = await ServiceBuild.compile();
}, 90_000);

afterAll(async () => {
  await build.remove();
});

// The emulator keeps its events in memory: stopping its gRPC server and
// starting it again in this process on the same port is a node restarting
// with its data, not a restart from disk.
describe('the EventStoreDB wire emulator stopped and started again (in process, same port, events kept in memory) under the projections and retrying clients', () => {
  const random = new SeededRandom();
  let dataDir: string;
  let emulator: EsdbWireEmulator;
  let service: ServiceProcess;
  let workload: Workload;

  beforeAll(async () => {
    dataDir = await makeTempDir('faults-esdb');
    emulator = await EsdbWireEmulator.start({ statsEvery: 7 });
    const { token, file } = await writeSupportToken(dataDir);
    service = await ServiceProcess.start(build, {
      DATA_DIR: dataDir,
      AUTH_TOKENS_FILE: file,
      EVENT_STORE: emulator.connectionString,
      LOG_LEVEL: 'warn',
      DELETION_CHECK_INTERVAL_MS: '0',
    });
    workload = new Workload(service, token);
    // Both projections subscribed, so that every later subscription is a resumption.
    await caughtUp(workload);
  }, 60_000);

  afterAll(async () => {
    await service.stop();
    await emulator.stop();
    await removeTempDir(dataDir);
  });

  it('resumes the subscriptions from their checkpoints: every event stored and projected once', async () => {
    console.log(`faults (EventStoreDB emulator): seed ${random.seed}`);
    const total = CLIENTS * (CHANGES + 1);
    const moments = random.sortedBetween(
      RESTARTS,
      Math.floor(total * 0.1),
      Math.floor(total * 0.8),
    );
    const faults: string[] = [];
    const subscribedBefore = emulator.allSubscriptionStarts.length;

    // Clients wait at each moment until the emulator is down; without
    // that, they could finish before the last restart.
    workload.holdAt(moments[0] ?? Infinity);
    const sending = workload.run(CLIENTS, CHANGES);
    for (const [index, moment] of moments.entries()) {
      await waitFor(() => workload.accepted.length >= moment, {
        timeoutMs: 60_000,
        intervalMs: 2,
        description: `${moment} accepted commands`,
      });
      const next = moments[index + 1] ?? Infinity;
      faults.push(await restart(emulator, workload, random, next));
    }
    await sending;

    const stored = await storedEventIds(emulator.connectionString);
    const replied = workload.accepted.flatMap((a) => a.events.map((e) => e.id));
    expect(workload.accepted).toHaveLength(total);
    expect(new Set(replied).size).toBe(replied.length);
    expect(replied.filter((id) => stored.get(id) !== 1)).toEqual([]);
    expect(stored.size).toBe(replied.length);
    expect(await workload.get('/health/ready')).toMatchObject({
      status: 'ok',
    });
    await caughtUp(workload);
    const audit = (await allItems(workload, '/v1/audit?order=oldest')) as {
      eventId: string;
    }[];
    expect(audit.map((entry) => entry.eventId).sort()).toEqual(
      [...replied].sort(),
    );
    // Resubscriptions asked for events after a checkpoint, never from the start.
    const resumed = emulator.allSubscriptionStarts.slice(subscribedBefore);
    expect(resumed.length).toBe(RESTARTS * (PROJECTIONS + SHREDDER));
    expect(resumed.filter((from) => typeof from !== 'bigint')).toEqual([]);
    const { served, rebuilt } = await servedAndRebuilt(workload);
    expect(served).toEqual(rebuilt);
    console.log(
      `faults (EventStoreDB emulator): seed ${random.seed}; restarted at ` +
        `accepted counts ${moments.join(', ')} (${faults.join('; ')}); ` +
        `${resumed.length} resubscriptions; ${total} commands, ` +
        `${workload.retries} retried attempts`,
    );
  }, 300_000);
});

/**
 * Stops the emulator as a crashed node stops, keeps it down until a client
 * has been refused and for a random while longer, starts it again on the
 * same port with the same events, and waits until both projections have
 * subscribed again, so that the next restart drops live subscriptions
 * rather than ones still waiting to resubscribe. Returns what it did.
 */
async function restart(
  emulator: EsdbWireEmulator,
  workload: Workload,
  random: SeededRandom,
  nextMoment: number,
): Promise<string> {
  const downMs = random.between(0, 3000);
  const retried = workload.retries;
  const subscribed = emulator.allSubscriptionStarts.length;
  await emulator.stop();
  workload.holdAt(Infinity);
  await waitFor(() => workload.retries > retried, {
    timeoutMs: 10_000,
    description: 'a client to be refused while EventStoreDB is down',
  });
  // Nothing is accepted while the node is down: held from here, the
  // clients stop at the next moment at the earliest.
  workload.holdAt(nextMoment);
  // The randomized outage is the fault itself, not a wait for an effect.
  await delay(downMs);
  await emulator.start();
  await waitFor(
    () =>
      emulator.allSubscriptionStarts.length >=
      subscribed + PROJECTIONS + SHREDDER,
    {
      // Each retries after a delay that doubles while the node is down,
      // up to 30 s.
      timeoutMs: 45_000,
      description: 'both projections and the shredder to subscribe again',
    },
  );
  return `down ${downMs} ms after the first refusal`;
}

/** How often each organization event id is in the log, read over gRPC. */
async function storedEventIds(
  connectionString: string,
): Promise<Map<string, number>> {
  const store = EventStoreDbEventStore.connect(connectionString);
  const counts = new Map<string, number>();
  try {
    for (let page = await readPage(store); page.length > 0;) {
      for (const event of page) {
        counts.set(event.id, (counts.get(event.id) ?? 0) + 1);
      }
      page = await readPage(store, page.at(-1)?.position);
    }
  } finally {
    await store.close();
  }
  return counts;
}

function readPage(
  store: EventStoreDbEventStore,
  after?: Position,
): Promise<RecordedEvent[]> {
  return store.readAll({
    ...(after === undefined ? {} : { after }),
    maxCount: 500,
    filter: { streamPrefixes: ['organization-'] },
  });
}
