import type { Redis } from 'ioredis';
import type { Position } from '@org/event-store';

import { RedisBatch } from '../redis/redis-batch.js';
import { redisCall } from '../redis/redis-errors.js';
import { RedisGenerationStore } from '../redis/redis-generation-store.js';
import {
  digestIndexes,
  forEachMemberChunk,
  lexScan,
  smallestSet,
} from '../redis/lex-scan.js';
import { ContentDigest } from '../shared/checksum.js';
import { CheckpointConflictError } from '../shared/errors.js';
import type { Page } from '../shared/pagination.js';
import { positionKey } from '../shared/positions.js';
import {
  canonicalName,
  directoryCursor,
  directoryFilter,
  type DirectoryFilter,
  matchesDirectoryFilter,
} from './directory-query.js';
import type {
  DirectoryEntry,
  DirectoryQuery,
  DirectoryStore,
  DirectoryUpsert,
} from './organization-directory.port.js';

/** The keys of one generation, under `<prefix>organizations:directory:g<n>:`. */
class DirectoryKeys {
  /** HASH name → entry JSON. */
  readonly docs: string;
  /** HASH id → name. */
  readonly ids: string;
  /** ZSET of every name, score 0, in byte order. */
  readonly byName: string;

  constructor(readonly prefix: string) {
    this.docs = `${prefix}docs`;
    this.ids = `${prefix}ids`;
    this.byName = `${prefix}by-name`;
  }

  /** ZSET of the names of entries with one value of a filterable field. */
  index(field: string, value: string): string {
    return `${this.prefix}idx:${field}:${value}`;
  }

  /** Every index the entry is in. */
  indexesOf(entry: DirectoryEntry): string[] {
    const { environment, businessUnit, region, labels } = entry.labels;
    return [
      ...(environment === null ? [] : [this.index('environment', environment)]),
      ...(businessUnit === null
        ? []
        : [this.index('business-unit', businessUnit)]),
      ...(region === null ? [] : [this.index('region', region)]),
      this.index('status', entry.status),
      ...Object.entries(labels).map(([key, value]) =>
        this.index('label', `${key}=${value}`),
      ),
    ];
  }

  /** The indexes that narrow a listing, before checking the other filters. */
  indexesFor(filter: DirectoryFilter): string[] {
    const pairs: [string, string | undefined][] = [
      ['environment', filter.environment],
      ['business-unit', filter.businessUnit],
      ['region', filter.region],
      ['status', filter.status],
      ...filter.labels.map(([key, value]): [string, string] => [
        'label',
        `${key}=${value}`,
      ]),
    ];
    return pairs.flatMap(([field, value]) =>
      value === undefined ? [] : [this.index(field, value)],
    );
  }
}

/**
 * The organization directory in Redis, under
 * `<prefix>organizations:directory:g<n>:`: `docs` (HASH name → entry JSON),
 * `ids` (HASH id → name), `by-name` (ZSET of names) and one ZSET of names
 * per value of each filter, `idx:<field>:<value>` with `field` one of
 * `environment`, `business-unit`, `region`, `status`, `label` (value
 * `key=value`). A listing walks the smallest index that applies in name
 * order and checks the other filters on the entries.
 */
export class RedisDirectoryStore
  extends RedisGenerationStore
  implements DirectoryStore
{
  constructor(redis: Redis, keyPrefix = '') {
    super(redis, 'directory', keyPrefix);
  }

  getById(id: string): Promise<DirectoryEntry | null> {
    return redisCall(async () => {
      const keys = await this.activeKeys();
      if (keys === undefined) return null;
      const name = await this.redis.hget(keys.ids, id);
      return name === null ? null : this.entry(keys, name);
    });
  }

  getByName(name: string): Promise<DirectoryEntry | null> {
    return redisCall(async () => {
      const keys = await this.activeKeys();
      return keys === undefined ? null : this.entry(keys, canonicalName(name));
    });
  }

  list(query?: DirectoryQuery): Promise<Page<DirectoryEntry>> {
    return redisCall(async () => {
      const filter = directoryFilter(query);
      const keys = await this.activeKeys();
      if (keys === undefined) return { items: [], nextCursor: null };
      const key = await smallestSet(
        this.redis,
        keys.indexesFor(filter),
        keys.byName,
      );
      const page = await lexScan(this.redis, {
        key,
        reverse: false,
        ...nameRange(filter),
        limit: filter.limit,
        fetch: (names) => this.entries(keys, names),
        matches: (entry) => matchesDirectoryFilter(entry, filter),
      });
      const { resumeAfter } = page;
      return {
        items: page.items,
        nextCursor: resumeAfter === null ? null : directoryCursor(resumeAfter),
      };
    });
  }

  load(
    generation: number,
    ids: readonly string[],
  ): Promise<Map<string, DirectoryEntry>> {
    return redisCall(async () => {
      if (ids.length === 0) return new Map<string, DirectoryEntry>();
      const keys = this.keys(generation);
      const names = await this.redis.hmget(keys.ids, ...ids);
      const known = names.filter((name) => name !== null);
      const found = await this.entries(keys, known);
      return new Map(
        found.flatMap((entry) => (entry === null ? [] : [[entry.id, entry]])),
      );
    });
  }

  idsByName(
    generation: number,
    names: readonly string[],
  ): Promise<Map<string, string>> {
    return redisCall(async () => {
      const found = await this.entries(this.keys(generation), names);
      return new Map(
        found.flatMap((entry) =>
          entry === null ? [] : [[entry.name, entry.id]],
        ),
      );
    });
  }

  commit(
    generation: number,
    upserts: readonly DirectoryUpsert[],
    expected: Position | null,
    checkpoint: Position,
  ): Promise<void> {
    return redisCall(async () => {
      const keys = this.keys(generation);
      const batch = new RedisBatch(this.generations.checkpointKey(generation));
      upserts.forEach((upsert) => {
        addUpsert(batch, keys, upsert);
      });
      const done = await batch.commit(
        this.redis,
        expected === null ? null : positionKey(expected),
        positionKey(checkpoint),
      );
      if (!done) throw new CheckpointConflictError(this.model, generation);
    });
  }

  checksum(generation?: number): Promise<string> {
    return redisCall(async () => {
      const g = generation ?? (await this.generations.ensureActive());
      const keys = this.keys(g);
      const digest = new ContentDigest();
      digest.add({ checkpoint: await this.generations.checkpoint(g) });
      await forEachMemberChunk(this.redis, keys.byName, async (names) => {
        (await this.entries(keys, names)).forEach((entry) => {
          digest.add(entry);
        });
      });
      const ids = await this.redis.hgetall(keys.ids);
      digest.add(Object.entries(ids).sort(([a], [b]) => (a < b ? -1 : 1)));
      await digestIndexes(this.redis, keys.prefix, digest);
      return digest.hex();
    });
  }

  private async activeKeys(): Promise<DirectoryKeys | undefined> {
    const generation = await this.generations.active();
    return generation === undefined ? undefined : this.keys(generation);
  }

  private keys(generation: number): DirectoryKeys {
    return new DirectoryKeys(this.generations.prefix(generation));
  }

  private async entry(
    keys: DirectoryKeys,
    name: string,
  ): Promise<DirectoryEntry | null> {
    const doc = await this.redis.hget(keys.docs, name);
    return doc === null ? null : (JSON.parse(doc) as DirectoryEntry);
  }

  private async entries(
    keys: DirectoryKeys,
    names: readonly string[],
  ): Promise<(DirectoryEntry | null)[]> {
    if (names.length === 0) return [];
    const docs = await this.redis.hmget(keys.docs, ...names);
    return docs.map((doc) =>
      doc === null ? null : (JSON.parse(doc) as DirectoryEntry),
    );
  }
}

function addUpsert(
  batch: RedisBatch,
  keys: DirectoryKeys,
  { before, after }: DirectoryUpsert,
): void {
  batch.add('HSET', keys.docs, after.name, JSON.stringify(after));
  batch.add('HSET', keys.ids, after.id, after.name);
  batch.add('ZADD', keys.byName, '0', after.name);
  const old = new Set(before === null ? [] : keys.indexesOf(before));
  const now = new Set(keys.indexesOf(after));
  for (const key of old) {
    if (!now.has(key)) batch.add('ZREM', key, after.name);
  }
  for (const key of now) {
    if (!old.has(key)) batch.add('ZADD', key, '0', after.name);
  }
}

// Names are ASCII, so every name with the prefix sorts below prefix + DEL.
function nameRange(filter: DirectoryFilter): { start: string; end: string } {
  const { namePrefix: prefix, after } = filter;
  const end = prefix === undefined ? '+' : `(${prefix}\x7f`;
  if (after !== undefined && (prefix === undefined || after >= prefix)) {
    return { start: `(${after}`, end };
  }
  return { start: prefix === undefined ? '-' : `[${prefix}`, end };
}
