import { writeFileSync } from 'node:fs';

import { type Spread, spread } from './stats.js';

/** One figure next to its baseline, both measured in the same rounds. */
export interface FigureResult {
  readonly figure: string;
  readonly sizes: string;
  readonly unit: string;
  readonly service: Spread;
  readonly baselineName: string;
  readonly baseline: Spread;
  /** Per round, service divided by baseline. */
  readonly ratio: Spread;
  readonly target: string;
  /** `null` when the figure has no target or was skipped. */
  readonly met: boolean | null;
  readonly note?: string;
}

export interface Comparison {
  readonly figure: string;
  readonly sizes: string;
  readonly unit: string;
  readonly service: readonly number[];
  readonly baselineName: string;
  readonly baseline: readonly number[];
  readonly target: string;
  /** `null` for a figure that is reported without a target. */
  readonly meets: (result: Omit<FigureResult, 'met'>) => boolean | null;
  readonly note?: string;
}

export function compare(c: Comparison): FigureResult {
  const ratios = c.service.map((s, i) => s / (c.baseline[i] ?? Number.NaN));
  const result = {
    figure: c.figure,
    sizes: c.sizes,
    unit: c.unit,
    service: spread(c.service),
    baselineName: c.baselineName,
    baseline: spread(c.baseline),
    ratio: spread(ratios),
    target: c.target,
    ...(c.note === undefined ? {} : { note: c.note }),
  };
  return { ...result, met: c.meets(result) };
}

/** Runs the phases one after the other, `rounds` times, and collects each phase's values. */
export async function alternate<K extends string>(
  rounds: number,
  phases: Readonly<Record<K, () => Promise<number>>>,
): Promise<Record<K, number[]>> {
  const names = Object.keys(phases) as K[];
  const values = Object.fromEntries(
    names.map((n) => [n, [] as number[]]),
  ) as Record<K, number[]>;
  for (let round = 0; round < rounds; round += 1) {
    for (const name of names) values[name].push(await phases[name]());
  }
  return values;
}

const COLUMNS = [
  'figure',
  'sizes',
  'ours (median, min–max)',
  'baseline (median)',
  'ratio (median, min–max)',
  'target',
  'met',
] as const;

export function formatTable(results: readonly FigureResult[]): string {
  const rows = results.map((r) => [
    r.figure,
    r.sizes,
    `${num(r.service.median)} ${r.unit} (${num(r.service.min)}–${num(r.service.max)})`,
    `${r.baselineName}: ${num(r.baseline.median)} ${r.unit}`,
    `${num(r.ratio.median, 3)}x (${num(r.ratio.min, 3)}–${num(r.ratio.max, 3)})`,
    r.target,
    r.met === null ? 'n/a' : r.met ? 'yes' : 'NO',
  ]);
  const lines = [[...COLUMNS], ...rows].map(
    (cells) => `| ${cells.join(' | ')} |`,
  );
  lines.splice(1, 0, `|${COLUMNS.map(() => ' --- ').join('|')}|`);
  return lines.join('\n');
}

export function writeResults(
  path: string,
  context: Record<string, unknown>,
  results: readonly FigureResult[],
): void {
  writeFileSync(path, `${JSON.stringify({ ...context, results }, null, 2)}\n`);
}

function num(value: number, digits = 0): string {
  if (!Number.isFinite(value)) return '—';
  if (digits === 0 && Math.abs(value) < 10) return value.toFixed(3);
  return value.toFixed(digits);
}
