import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { OrganizationsClient } from '@org/bus/client';

import { startTestRedis } from '../../test/support/redis-server.js';
import { BenchService } from '../support/bench-service.js';
import { RawEventLog } from '../support/raw-event-log.js';
import { organizationHistory } from '../support/organization-events.js';
import { alternate, compare, type FigureResult } from '../support/results.js';
import { ratePerSecond } from '../support/stats.js';
import {
  type CommandSizes,
  CommandLoad,
  createOrganizations,
  type SendCommand,
} from './commands.js';

const KEY_ID = 'bench-devices';

/** Figure 1 and 2 over the Redis Streams bus, with a signed client. */
export async function busFigures(
  dir: string,
  sizes: CommandSizes,
): Promise<FigureResult[]> {
  const redis = await startTestRedis();
  const secret = randomBytes(32);
  const keysFile = join(dir, 'bus-keys.json');
  await writeFile(keysFile, keysJson(secret));
  const raw = RawEventLog.open(join(dir, 'raw-bus.sqlite'));
  const service = await BenchService.start({
    DATA_DIR: join(dir, 'bus-service'),
    DELETION_CHECK_INTERVAL_MS: '0',
    BUS: redis.url,
    BUS_KEYS_FILE: keysFile,
    BUS_PREFIX: 'bench',
  });
  const client = new OrganizationsClient({
    url: redis.url,
    prefix: 'bench',
    keyId: KEY_ID,
    secret,
  });
  try {
    const orgIds = await createOrganizations(service, sizes);
    const load = new CommandLoad(orgIds, recordBalance(client));
    const sample = organizationHistory(0, 2, new Date()).events[1];
    if (sample === undefined) throw new Error('no sample event decided');
    let stream = 0;
    const values = await alternate(sizes.rounds, {
      raw1: () =>
        ratePerSecond(sizes.phaseMs, () =>
          raw.append(`organization-${stream++ % 1000}`, sample, 1),
        ),
      bus1: () => load.rate(1, sizes.phaseMs),
      bus64: () => load.rate(sizes.clients, sizes.phaseMs),
    });
    const common = {
      unit: 'cmd/s',
      sizes: `${sizes.organizations} orgs, one client object`,
      baselineName: 'raw SQLite, 1 event/txn, WAL, synchronous=FULL',
      baseline: values.raw1,
      note: `RecordBillingBalance as a service; ${load.refused} refused`,
    };
    return [
      compare({
        ...common,
        figure: '1b. commands/s, 1 in flight, bus, SQLite full',
        service: values.bus1,
        target: '≥ 0.75x',
        meets: (r) => r.ratio.median >= 0.75,
      }),
      compare({
        ...common,
        figure: `2c. commands/s, ${sizes.clients} in flight, bus`,
        service: values.bus64,
        target: '≥ 1.0x',
        meets: (r) => r.ratio.median >= 1,
      }),
    ];
  } finally {
    await client.close();
    await service.stop();
    raw.close();
    await redis.stop();
  }
}

function recordBalance(client: OrganizationsClient): SendCommand {
  return async (orgId, _index, n) => {
    try {
      await client.command(
        'RecordBillingBalance',
        { outstandingCents: n, currency: 'EUR' },
        { orgId },
      );
      return true;
    } catch {
      return false;
    }
  };
}

function keysJson(secret: Buffer): string {
  return JSON.stringify([
    {
      keyId: KEY_ID,
      secret: secret.toString('base64'),
      service: 'devices-service',
    },
  ]);
}
