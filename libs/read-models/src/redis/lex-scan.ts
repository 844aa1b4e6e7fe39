import type { Redis } from 'ioredis';

import type { ContentDigest } from '../shared/checksum.js';
import { forEachKeyPage } from './redis-generations.js';

/** A walk over a sorted set whose members all have score 0, in byte order. */
export interface LexScan<T> {
  readonly key: string;
  readonly reverse: boolean;
  /** Where the walk starts, as ZRANGEBYLEX takes it: `-`, `+`, `[x` or `(x`. */
  readonly start: string;
  /** Where it ends, likewise. */
  readonly end: string;
  readonly limit: number;
  /** The items of the members, `null` where one is missing. */
  fetch(members: readonly string[]): Promise<(T | null)[]>;
  matches(item: T): boolean;
}

/** A page of a walk. */
export interface LexPage<T> {
  readonly items: T[];
  /** The member to continue after, `null` when the walk is done. */
  readonly resumeAfter: string | null;
}

const CHUNK = 200;
// Members looked at per page at most, so that a filter that matches little
// cannot hold a query for a full walk of the set: the page comes back
// short, with a cursor to continue.
const SCAN_BUDGET = 10_000;

/**
 * Collects up to `limit` matching items from a sorted set in chunks,
 * checking each against the filters the set does not index.
 */
export async function lexScan<T>(
  redis: Redis,
  scan: LexScan<T>,
): Promise<LexPage<T>> {
  const found: { member: string; item: T }[] = [];
  let bound = scan.start;
  for (let scanned = 0; ;) {
    const members = await range(redis, scan, bound);
    const items = members.length === 0 ? [] : await scan.fetch(members);
    for (const [i, member] of members.entries()) {
      const item = items[i] ?? null;
      if (item === null || !scan.matches(item)) continue;
      const last = found.at(-1);
      if (found.length === scan.limit && last !== undefined) {
        return { items: found.map((f) => f.item), resumeAfter: last.member };
      }
      found.push({ member, item });
    }
    scanned += members.length;
    const last = members.at(-1);
    if (members.length < CHUNK || last === undefined) {
      return { items: found.map((f) => f.item), resumeAfter: null };
    }
    if (scanned >= SCAN_BUDGET) {
      return { items: found.map((f) => f.item), resumeAfter: last };
    }
    bound = `(${last}`;
  }
}

function range(
  redis: Redis,
  scan: LexScan<unknown>,
  bound: string,
): Promise<string[]> {
  return scan.reverse
    ? redis.zrevrangebylex(scan.key, bound, scan.end, 'LIMIT', 0, CHUNK)
    : redis.zrangebylex(scan.key, bound, scan.end, 'LIMIT', 0, CHUNK);
}

/** The smallest of the sorted sets, to walk the fewest members. */
export async function smallestSet(
  redis: Redis,
  keys: readonly string[],
  fallback: string,
): Promise<string> {
  if (keys.length === 0) return fallback;
  const sizes = await Promise.all(keys.map((key) => redis.zcard(key)));
  let best = 0;
  sizes.forEach((size, i) => {
    if (size < (sizes[best] ?? Infinity)) best = i;
  });
  return keys[best] ?? fallback;
}

/** Feeds every member of a sorted set to `handle`, a chunk at a time in byte order. */
export async function forEachMemberChunk(
  redis: Redis,
  key: string,
  handle: (members: string[]) => Promise<void>,
): Promise<void> {
  let start = '-';
  for (;;) {
    const members = await redis.zrangebylex(key, start, '+', 'LIMIT', 0, 500);
    const last = members.at(-1);
    if (last === undefined) return;
    await handle(members);
    start = `(${last}`;
  }
}

/**
 * Feeds every index set of a generation (`<prefix>idx:*`) to the digest,
 * in key order, so that a member too many or too few changes the digest.
 */
export async function digestIndexes(
  redis: Redis,
  prefix: string,
  digest: ContentDigest,
): Promise<void> {
  const indexes: string[] = [];
  await forEachKeyPage(redis, `${prefix}idx:`, (keys) => {
    indexes.push(...keys);
    return Promise.resolve();
  });
  for (const index of indexes.sort()) {
    digest.add({ index: index.slice(prefix.length) });
    await forEachMemberChunk(redis, index, (members) => {
      digest.add(members);
      return Promise.resolve();
    });
  }
}
