import { randomUUID } from 'node:crypto';
import { join } from 'node:path';

import {
  BenchService,
  SUPPORT_TOKEN,
  userToken,
} from '../support/bench-service.js';
import {
  nameOf,
  organizationHistory,
  ownerOf,
  sessionTimeout,
} from '../support/organization-events.js';
import { RawEventLog } from '../support/raw-event-log.js';
import { alternate, compare, type FigureResult } from '../support/results.js';
import { ProjectionLag } from '../support/projection-lag.js';
import { msSince, ratePerSecond, spread } from '../support/stats.js';

export interface CommandSizes {
  readonly rounds: number;
  readonly phaseMs: number;
  readonly organizations: number;
  readonly clients: number;
}

/** Figures 1 and 2: commands per second over HTTP, one and many in flight. */
export async function commandFigures(
  dir: string,
  sizes: CommandSizes,
): Promise<FigureResult[]> {
  const raw = RawEventLog.open(join(dir, 'raw.sqlite'));
  const lag = new ProjectionLag();
  const service = await BenchService.start(
    { DATA_DIR: join(dir, 'service'), DELETION_CHECK_INTERVAL_MS: '0' },
    lag.observe,
  );
  lag.attach(service.runners);
  const lags: { p99: number[]; p50: number[] } = { p99: [], p50: [] };
  try {
    const load = new CommandLoad(
      await createOrganizations(service, sizes),
      changeSettingsOverHttp(service),
    );
    const sample = organizationHistory(0, 2, new Date()).events[1];
    if (sample === undefined) throw new Error('no sample event decided');
    let stream = 0;
    const values = await alternate(sizes.rounds, {
      raw1: () =>
        ratePerSecond(sizes.phaseMs, () =>
          raw.append(`organization-${stream++ % 1000}`, sample, 1),
        ),
      http1: () => load.rate(1, sizes.phaseMs),
      raw100: () =>
        ratePerSecond(sizes.phaseMs, () =>
          raw.append(`organization-${stream++ % 1000}`, sample, 100),
        ),
      http64: async () => {
        const measured = await lag.during(() =>
          load.rate(sizes.clients, sizes.phaseMs),
        );
        lags.p99.push(measured.p99);
        lags.p50.push(measured.p50);
        return measured.value;
      },
    });
    return [
      ...describe(values, sizes, load.refused),
      lagFigure(lags, sizes, lag.missed),
    ];
  } finally {
    await service.stop();
    raw.close();
  }
}

function describe(
  values: Record<'raw1' | 'http1' | 'raw100' | 'http64', number[]>,
  sizes: CommandSizes,
  refused: number,
): FigureResult[] {
  const common = {
    unit: 'cmd/s',
    note: `${refused} commands refused (not counted), ${sizes.phaseMs} ms phases`,
  };
  const perEvent = 'raw SQLite, 1 event/txn, WAL, synchronous=FULL (events/s)';
  return [
    compare({
      ...common,
      figure: '1. commands/s, 1 in flight, HTTP, SQLite full',
      sizes: `${sizes.organizations} orgs`,
      service: values.http1,
      baselineName: perEvent,
      baseline: values.raw1,
      target: '≥ 0.75x',
      meets: (r) => r.ratio.median >= 0.75,
    }),
    compare({
      ...common,
      figure: `2a. commands/s, ${sizes.clients} clients, HTTP`,
      sizes: `${sizes.organizations} orgs`,
      service: values.http64,
      baselineName: perEvent,
      baseline: values.raw1,
      target: '≥ 1.0x',
      meets: (r) => r.ratio.median >= 1,
    }),
    compare({
      ...common,
      figure: `2b. commands/s, ${sizes.clients} clients, HTTP`,
      sizes: `${sizes.organizations} orgs`,
      service: values.http64,
      baselineName: 'raw SQLite, 100 events/txn (events/s)',
      baseline: values.raw100,
      target: '≥ 0.6x',
      meets: (r) => r.ratio.median >= 0.6,
    }),
  ];
}

function lagFigure(
  lags: { p99: number[]; p50: number[] },
  sizes: CommandSizes,
  missed: number,
): FigureResult {
  return compare({
    figure: `8. projection lag p99, ${sizes.clients} clients, HTTP`,
    sizes: 'from an append stored to both read models (SQLite) applying it',
    unit: 'ms',
    service: lags.p99,
    baselineName: 'none',
    baseline: [],
    target: '< 100 ms',
    meets: (r) => r.service.median < 100,
    note: `p50 ${spread(lags.p50).median.toFixed(1)} ms; ${missed} appends not applied within 60 s`,
  });
}

export async function createOrganizations(
  service: BenchService,
  sizes: Pick<CommandSizes, 'organizations' | 'clients'>,
): Promise<string[]> {
  const run = randomUUID().slice(0, 6);
  const ids: string[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < sizes.organizations) {
      const index = next++;
      const reply = await service.command(SUPPORT_TOKEN, {
        commandId: randomUUID(),
        type: 'CreateOrganization',
        reference: 'SUP-1',
        payload: {
          name: nameOf(index, run),
          displayName: `Bench ${index}`,
          contactEmail: `ops-${index}@bench.example`,
          ownerUserId: ownerOf(index),
        },
      });
      if (reply.status !== 200) throw new Error(JSON.stringify(reply.body));
      ids[index] = reply.body.orgId as string;
    }
  };
  await Promise.all(Array.from({ length: sizes.clients }, worker));
  return ids;
}

/** Sends the `n`th command of a load to one organization; `true` if accepted. */
export type SendCommand = (
  orgId: string,
  index: number,
  n: number,
) => Promise<boolean>;

/** Commands sent by some clients to random organizations. */
export class CommandLoad {
  refused = 0;
  private sent = 0;

  constructor(
    private readonly orgIds: readonly string[],
    private readonly send: SendCommand,
  ) {}

  async rate(clients: number, ms: number): Promise<number> {
    const start = process.hrtime.bigint();
    let accepted = 0;
    const client = async (): Promise<void> => {
      while (msSince(start) < ms) {
        if (await this.sendOne()) accepted += 1;
        else this.refused += 1;
      }
    };
    await Promise.all(Array.from({ length: clients }, client));
    return accepted / (msSince(start) / 1000);
  }

  private sendOne(): Promise<boolean> {
    const index = Math.floor(Math.random() * this.orgIds.length);
    return this.send(this.orgIds[index] ?? '', index, ++this.sent);
  }
}

export function changeSettingsOverHttp(service: BenchService): SendCommand {
  return async (orgId, index, n) => {
    const reply = await service.command(userToken(orgId, ownerOf(index)), {
      commandId: randomUUID(),
      type: 'ChangeSecuritySettings',
      orgId,
      payload: { sessionTimeoutMinutes: sessionTimeout(n) },
    });
    return reply.status === 200;
  };
}
