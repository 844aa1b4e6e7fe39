import type { Redis } from 'ioredis';
import type { Position } from '@org/event-store';

import { positionFromKey } from '../shared/positions.js';
import { RedisScript } from './redis-script.js';

const ENSURE_ACTIVE = new RedisScript(`
local active = redis.call('GET', KEYS[1])
if active then return tonumber(active) end
local generation = redis.call('INCR', KEYS[2])
redis.call('SADD', KEYS[3], generation)
redis.call('SET', KEYS[1], generation)
return generation
`);

const CREATE = new RedisScript(`
local generation = redis.call('INCR', KEYS[1])
redis.call('SADD', KEYS[2], generation)
return generation
`);

const ACTIVATE = new RedisScript(`
if redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 0 then return 0 end
redis.call('SET', KEYS[1], ARGV[1])
return 1
`);

/**
 * The generations of one read model in Redis, under
 * `<base>` = `<prefix>organizations:<model>`:
 *
 * - `<base>:active`: the number of the generation queries read; switching
 *   generations is one SET of it;
 * - `<base>:last-generation`: the counter numbering new generations;
 * - `<base>:generations`: the set of generations that exist;
 * - `<base>:g<n>:...`: everything of generation `n`, its checkpoint at
 *   `<base>:g<n>:checkpoint` (a {@link positionKey}).
 */
export class RedisGenerations {
  private readonly activeKey: string;
  private readonly lastKey: string;
  private readonly allKey: string;

  constructor(
    private readonly redis: Redis,
    private readonly base: string,
  ) {
    this.activeKey = `${base}:active`;
    this.lastKey = `${base}:last-generation`;
    this.allKey = `${base}:generations`;
  }

  /** The prefix of every key of the generation. */
  prefix(generation: number): string {
    return `${this.base}:g${generation}:`;
  }

  checkpointKey(generation: number): string {
    return `${this.prefix(generation)}checkpoint`;
  }

  async active(): Promise<number | undefined> {
    const value = await this.redis.get(this.activeKey);
    return value === null ? undefined : Number(value);
  }

  async ensureActive(): Promise<number> {
    const keys = [this.activeKey, this.lastKey, this.allKey];
    return Number(await ENSURE_ACTIVE.run(this.redis, keys, []));
  }

  async create(): Promise<number> {
    const keys = [this.lastKey, this.allKey];
    return Number(await CREATE.run(this.redis, keys, []));
  }

  async activate(generation: number): Promise<void> {
    const keys = [this.activeKey, this.allKey];
    const done = await ACTIVATE.run(this.redis, keys, [String(generation)]);
    if (done !== 1) {
      throw new Error(`${this.base} has no generation ${generation}`);
    }
  }

  /** Deletes the generation's keys, a SCAN page at a time (UNLINK frees memory in the background). */
  async drop(generation: number): Promise<void> {
    if ((await this.active()) === generation) {
      throw new Error(
        `generation ${generation} of ${this.base} is active; activate another first`,
      );
    }
    await forEachKeyPage(this.redis, this.prefix(generation), (keys) =>
      this.redis.unlink(...keys),
    );
    await this.redis.srem(this.allKey, String(generation));
  }

  async inactive(): Promise<number[]> {
    const [all, active] = await Promise.all([
      this.redis.smembers(this.allKey),
      this.active(),
    ]);
    return all
      .map(Number)
      .filter((generation) => generation !== active)
      .sort((a, b) => a - b);
  }

  async checkpoint(generation: number): Promise<Position | null> {
    const value = await this.redis.get(this.checkpointKey(generation));
    return value === null ? null : positionFromKey(value);
  }
}

/** Runs `handle` on each SCAN page of the keys starting with `prefix`. */
export async function forEachKeyPage(
  redis: Redis,
  prefix: string,
  handle: (keys: string[]) => Promise<unknown>,
): Promise<void> {
  const pattern = `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(
      cursor,
      'MATCH',
      pattern,
      'COUNT',
      1000,
    );
    if (keys.length > 0) await handle(keys);
    cursor = next;
  } while (cursor !== '0');
}
