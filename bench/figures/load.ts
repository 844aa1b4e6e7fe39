import { join } from 'node:path';

import { alternate, compare, type FigureResult } from '../support/results.js';
import { rawReader, repositoryOn, seedStore } from '../support/seeded-store.js';
import { latencies, percentile, spread } from '../support/stats.js';

export interface LoadSizes {
  readonly rounds: number;
  readonly events: number;
  readonly loads: number;
}

/** Figure 4: p99 of loading one organization of many events, with snapshots. */
export async function loadFigure(
  dir: string,
  sizes: LoadSizes,
): Promise<FigureResult> {
  const seeded = await seedStore(join(dir, 'load.sqlite'), 1, sizes.events);
  const repository = repositoryOn(seeded, 100);
  const raw = rawReader(seeded.path);
  try {
    const stream = `organization-${seeded.orgIds[0] ?? ''}`;
    await repository.load(stream);
    const lastEvent = raw.prepare<[string], { data: string; metadata: string }>(
      `SELECT data, metadata FROM events WHERE stream_id = ?
       ORDER BY revision DESC LIMIT 1`,
    );
    const p50s: number[] = [];
    const values = await alternate(sizes.rounds, {
      raw: async () =>
        p99(
          await latencies(sizes.loads, () => {
            const row = lastEvent.get(stream);
            return row && [JSON.parse(row.data), JSON.parse(row.metadata)];
          }),
        ),
      service: async () => {
        const sorted = await latencies(sizes.loads, () =>
          repository.load(stream),
        );
        p50s.push(percentile(sorted, 50));
        return p99(sorted);
      },
    });
    return compare({
      figure: '4. load an organization, p99, snapshots every 100',
      sizes: `${sizes.events} events, ${sizes.loads} loads/round`,
      unit: 'ms',
      service: values.service,
      baselineName: 'raw SELECT + JSON.parse of one event, p99',
      baseline: values.raw,
      target: '< 1 ms p99',
      meets: (r) => r.service.median < 1,
      note: `p50 ours ${spread(p50s).median.toFixed(3)} ms`,
    });
  } finally {
    raw.close();
    await seeded.store.close();
  }
}

function p99(sorted: readonly number[]): number {
  return percentile(sorted, 99);
}
