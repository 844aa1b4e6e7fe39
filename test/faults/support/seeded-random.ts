import { randomInt } from 'node:crypto';

/**
 * Random numbers from a seed, so that the moments a fault test chose can be
 * chosen again: `FAULT_SEED=<seed> npm run test:faults` replays a run whose
 * summary printed that seed. Without `FAULT_SEED` the seed is random.
 */
export class SeededRandom {
  private state: number;

  constructor(readonly seed: number = seedFromEnvironment()) {
    this.state = seed >>> 0;
  }

  /** A number in [0, 1) (mulberry32). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  /** An integer in [min, max]. */
  between(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** `count` integers in [min, max], ascending. */
  sortedBetween(count: number, min: number, max: number): number[] {
    return Array.from({ length: count }, () => this.between(min, max)).sort(
      (a, b) => a - b,
    );
  }
}

function seedFromEnvironment(): number {
  const given = process.env.FAULT_SEED;
  if (given === undefined || given === '') return randomInt(2 ** 31);
  const seed = Number(given);
  if (!Number.isInteger(seed) || seed < 0) {
    throw new Error(`FAULT_SEED must be a whole number, e.g. 12345`);
  }
  return seed;
}
