import { randomUUID } from 'node:crypto';
import { join } from 'node:path';

import { EventStoreDBClient, jsonEvent } from '@eventstore/db-client';

import { EsdbWireEmulator } from '../../test/esdb-emulator/esdb-wire-emulator.js';
import { BenchService } from '../support/bench-service.js';
import { organizationHistory } from '../support/organization-events.js';
import { alternate, compare, type FigureResult } from '../support/results.js';
import { msSince } from '../support/stats.js';
import {
  type CommandSizes,
  CommandLoad,
  changeSettingsOverHttp,
  createOrganizations,
} from './commands.js';

const EMULATOR =
  'the EventStoreDB wire emulator (test support, in memory, in this process)';

/**
 * Figures 1 and 2 with the EventStoreDB adapter, against the wire
 * emulator, next to the emulator's raw append rate through the same
 * client. The emulator keeps its log in memory and shares this process:
 * the numbers say how much the service adds on top of the client and the
 * emulator, nothing about a real server's speed.
 */
export async function esdbFigures(
  dir: string,
  sizes: CommandSizes,
): Promise<FigureResult[]> {
  const emulator = await EsdbWireEmulator.start();
  const client = EventStoreDBClient.connectionString(emulator.connectionString);
  const service = await BenchService.start({
    DATA_DIR: join(dir, 'esdb-service'),
    DELETION_CHECK_INTERVAL_MS: '0',
    EVENT_STORE: emulator.connectionString,
  });
  try {
    const load = new CommandLoad(
      await createOrganizations(service, sizes),
      changeSettingsOverHttp(service),
    );
    const sample = organizationHistory(0, 2, new Date()).events[1];
    if (sample === undefined) throw new Error('no sample event decided');
    const event = () =>
      jsonEvent({
        id: randomUUID(),
        type: sample.type,
        data: sample.data as Record<string, unknown>,
        metadata: sample.metadata,
      });
    let stream = 0;
    const rawRate = (clients: number) =>
      concurrentRate(clients, sizes.phaseMs, async () => {
        await client.appendToStream(`raw-${stream++ % 1000}`, event());
      });
    const values = await alternate(sizes.rounds, {
      raw1: () => rawRate(1),
      http1: () => load.rate(1, sizes.phaseMs),
      raw64: () => rawRate(sizes.clients),
      http64: () => load.rate(sizes.clients, sizes.phaseMs),
    });
    const common = {
      unit: 'cmd/s',
      sizes: `${sizes.organizations} orgs, ${EMULATOR}`,
      target: 'reported',
      meets: () => null,
      note: `${load.refused} refused; the emulator is not a server: these ratios say nothing of a real EventStoreDB`,
    };
    return [
      compare({
        ...common,
        figure:
          '1e. commands/s, 1 in flight, HTTP, EventStoreDB adapter on the emulator',
        service: values.http1,
        baselineName:
          'the emulator: raw appends through the client, 1 in flight',
        baseline: values.raw1,
      }),
      compare({
        ...common,
        figure: `2e. commands/s, ${sizes.clients} clients, HTTP, EventStoreDB adapter on the emulator`,
        service: values.http64,
        baselineName: `the emulator: raw appends through the client, ${sizes.clients} in flight`,
        baseline: values.raw64,
      }),
    ];
  } finally {
    await service.stop();
    await client.dispose();
    await emulator.stop();
  }
}

async function concurrentRate(
  clients: number,
  ms: number,
  once: () => Promise<void>,
): Promise<number> {
  const start = process.hrtime.bigint();
  let done = 0;
  const client = async (): Promise<void> => {
    while (msSince(start) < ms) {
      await once();
      done += 1;
    }
  };
  await Promise.all(Array.from({ length: clients }, client));
  return done / (msSince(start) / 1000);
}
