import type { Redis } from 'ioredis';
import type { Position } from '@org/event-store';

import type { OrganizationView } from '../organization/organization-view.js';
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
import {
  positionFromKey,
  positionKey,
  positionFromJson,
} from '../shared/positions.js';
import type {
  AuditChange,
  AuditEntry,
  AuditExportQuery,
  AuditQuery,
  AuditStore,
} from './audit-history.port.js';
import {
  auditCursor,
  auditEntries,
  auditFilter,
  type AuditFilter,
  matchesAuditFilter,
} from './audit-query.js';

/** The keys of one generation, under `<prefix>organizations:audit:g<n>:`. */
class AuditKeys {
  /** HASH position key → entry JSON. */
  readonly entries: string;
  /** ZSET of every entry's position key, score 0, in byte (= log) order. */
  readonly byPosition: string;
  /** HASH organization id → the organization as last folded, JSON. */
  readonly organizations: string;

  constructor(readonly prefix: string) {
    this.entries = `${prefix}entries`;
    this.byPosition = `${prefix}by-position`;
    this.organizations = `${prefix}organizations`;
  }

  org(orgId: string): string {
    return `${this.prefix}idx:org:${orgId}`;
  }

  actor(type: string, id: string): string {
    return `${this.prefix}idx:actor:${type}:${id}`;
  }

  type(eventType: string): string {
    return `${this.prefix}idx:type:${eventType}`;
  }

  indexesOf(entry: AuditEntry): string[] {
    return [
      this.byPosition,
      this.org(entry.orgId),
      this.actor(entry.actor.type, entry.actor.id),
      this.type(entry.eventType),
    ];
  }

  indexesFor(filter: AuditFilter): string[] {
    const [onlyType, ...others] = filter.eventTypes ?? [];
    return [
      ...(filter.orgId === undefined ? [] : [this.org(filter.orgId)]),
      ...(filter.actor === undefined
        ? []
        : [this.actor(filter.actor.type, filter.actor.id)]),
      ...(onlyType === undefined || others.length > 0
        ? []
        : [this.type(onlyType)]),
    ];
  }
}

/**
 * The audit history in Redis, under `<prefix>organizations:audit:g<n>:`:
 * `entries` (HASH position key → entry JSON), `by-position` (ZSET of
 * position keys) and one ZSET of position keys per organization
 * (`idx:org:<id>`), actor (`idx:actor:<type>:<id>`) and event type
 * (`idx:type:<type>`); `organizations` (HASH id → organization as last
 * folded). A listing walks the smallest index that applies in position
 * order and checks the other filters on the entries.
 *
 * Limitation: a time range is checked entry by entry, not looked up in an
 * index, so a narrow range over a long history is answered in short pages
 * (at most 10,000 entries looked at per page) with a cursor to go on.
 */
export class RedisAuditStore
  extends RedisGenerationStore
  implements AuditStore
{
  constructor(redis: Redis, keyPrefix = '') {
    super(redis, 'audit', keyPrefix);
  }

  list(query?: AuditQuery): Promise<Page<AuditEntry>> {
    return redisCall(async () => {
      const filter = auditFilter(query);
      const generation = await this.generations.active();
      if (generation === undefined) return { items: [], nextCursor: null };
      return this.page(this.keys(generation), filter);
    });
  }

  entries(query?: AuditExportQuery): AsyncIterableIterator<AuditEntry> {
    return auditEntries(this, query);
  }

  loadOrganizations(
    generation: number,
    ids: readonly string[],
  ): Promise<Map<string, OrganizationView>> {
    return redisCall(async () => {
      if (ids.length === 0) return new Map<string, OrganizationView>();
      const keys = this.keys(generation);
      const found = await this.redis.hmget(keys.organizations, ...ids);
      return new Map(
        found.flatMap((json) => {
          if (json === null) return [];
          const view = JSON.parse(json) as OrganizationView;
          return [[view.id, view]];
        }),
      );
    });
  }

  entriesOf(generation: number, orgId: string): Promise<AuditEntry[]> {
    return redisCall(async () => {
      const keys = this.keys(generation);
      const members = await this.redis.zrange(keys.org(orgId), 0, -1);
      if (members.length === 0) return [];
      const found = await this.entriesAt(keys, members);
      return found.filter((entry) => entry !== null);
    });
  }

  commit(
    generation: number,
    change: AuditChange,
    expected: Position | null,
    checkpoint: Position,
  ): Promise<void> {
    return redisCall(async () => {
      const keys = this.keys(generation);
      const batch = new RedisBatch(this.generations.checkpointKey(generation));
      for (const entry of change.entries) {
        const at = positionKey(positionFromJson(entry.position));
        batch.add('HSET', keys.entries, at, JSON.stringify(entry));
        for (const index of keys.indexesOf(entry)) {
          batch.add('ZADD', index, '0', at);
        }
      }
      for (const view of change.organizations) {
        batch.add('HSET', keys.organizations, view.id, JSON.stringify(view));
      }
      for (const entry of change.rewritten ?? []) {
        const at = positionKey(positionFromJson(entry.position));
        batch.add('HSET', keys.entries, at, JSON.stringify(entry));
      }
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
      await forEachMemberChunk(this.redis, keys.byPosition, async (at) => {
        (await this.entriesAt(keys, at)).forEach((entry) => {
          digest.add(entry);
        });
      });
      const organizations = await this.redis.hgetall(keys.organizations);
      Object.keys(organizations)
        .sort()
        .forEach((id) => {
          digest.add(JSON.parse(organizations[id] ?? 'null'));
        });
      await digestIndexes(this.redis, keys.prefix, digest);
      return digest.hex();
    });
  }

  private async page(
    keys: AuditKeys,
    filter: AuditFilter,
  ): Promise<Page<AuditEntry>> {
    const newest = filter.order === 'newest';
    const key = await smallestSet(
      this.redis,
      keys.indexesFor(filter),
      keys.byPosition,
    );
    const after =
      filter.after === undefined ? undefined : `(${positionKey(filter.after)}`;
    const page = await lexScan(this.redis, {
      key,
      reverse: newest,
      start: after ?? (newest ? '+' : '-'),
      end: newest ? '-' : '+',
      limit: filter.limit,
      fetch: (members) => this.entriesAt(keys, members),
      matches: (entry) => matchesAuditFilter(entry, filter),
    });
    const { resumeAfter } = page;
    return {
      items: page.items,
      nextCursor:
        resumeAfter === null
          ? null
          : auditCursor(filter.order, positionFromKey(resumeAfter)),
    };
  }

  private async entriesAt(
    keys: AuditKeys,
    members: readonly string[],
  ): Promise<(AuditEntry | null)[]> {
    const found = await this.redis.hmget(keys.entries, ...members);
    return found.map((json) =>
      json === null ? null : (JSON.parse(json) as AuditEntry),
    );
  }

  private keys(generation: number): AuditKeys {
    return new AuditKeys(this.generations.prefix(generation));
  }
}
