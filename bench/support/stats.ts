/** The median, least and greatest of some samples. */
export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

export function spread(samples: readonly number[]): Spread {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    median: percentile(sorted, 50),
    min: sorted[0] ?? Number.NaN,
    max: sorted.at(-1) ?? Number.NaN,
  };
}

/** The nearest-rank percentile of samples sorted ascending. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? Number.NaN;
}

/** Milliseconds since an earlier `process.hrtime.bigint()`. */
export function msSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Runs `once` repeatedly for `ms` milliseconds; returns completions per second. */
export async function ratePerSecond(
  ms: number,
  once: () => Promise<number> | number,
): Promise<number> {
  const start = process.hrtime.bigint();
  let done = 0;
  while (msSince(start) < ms) done += await once();
  return done / (msSince(start) / 1000);
}

/** Latencies in milliseconds of `count` sequential calls, sorted ascending. */
export async function latencies(
  count: number,
  once: (i: number) => unknown,
): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const start = process.hrtime.bigint();
    await once(i);
    samples.push(msSince(start));
  }
  return samples.sort((a, b) => a - b);
}
