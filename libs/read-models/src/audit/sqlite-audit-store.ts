import type Database from 'better-sqlite3';
import type { Position } from '@org/event-store';

import type { OrganizationView } from '../organization/organization-view.js';
import { ContentDigest } from '../shared/checksum.js';
import type { Page } from '../shared/pagination.js';
import { sqliteCall } from '../sqlite/sqlite-errors.js';
import { SqliteGenerationStore } from '../sqlite/sqlite-generation-store.js';
import type { GenerationTables } from '../sqlite/sqlite-generations.js';
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
  entryPosition,
} from './audit-query.js';

const entries = (g: number): string => `audit_g${g}`;
const organizations = (g: number): string => `audit_organizations_g${g}`;

// Queries use it, and so does an erasure during a bulk load (entriesOf).
const byOrganization = (g: number): string =>
  `CREATE INDEX IF NOT EXISTS ${entries(g)}_org
     ON ${entries(g)} (org_id, commit_position, prepare_position)`;

// A generation is made with one index on its entries, the position's: the
// position is an entry's identity, so a replayed insert changes nothing,
// and positions only grow, so the index costs little during a bulk load.
const LAYOUT: GenerationTables = {
  create: (g) => `
    CREATE TABLE ${entries(g)} (
      commit_position  INTEGER NOT NULL,
      prepare_position INTEGER NOT NULL,
      event_id         TEXT    NOT NULL,
      org_id           TEXT    NOT NULL,
      actor_type       TEXT    NOT NULL,
      actor_id         TEXT    NOT NULL,
      event_type       TEXT    NOT NULL,
      occurred_at      TEXT    NOT NULL,
      entry            TEXT    NOT NULL,
      UNIQUE (commit_position, prepare_position)
    ) STRICT;
    CREATE TABLE ${organizations(g)} (
      org_id       TEXT PRIMARY KEY,
      organization TEXT NOT NULL
    ) STRICT;`,
  indexes: (g) => [
    byOrganization(g),
    `CREATE INDEX IF NOT EXISTS ${entries(g)}_actor
       ON ${entries(g)} (actor_type, actor_id, commit_position, prepare_position)`,
    `CREATE INDEX IF NOT EXISTS ${entries(g)}_type
       ON ${entries(g)} (event_type, commit_position, prepare_position)`,
    `CREATE INDEX IF NOT EXISTS ${entries(g)}_time
       ON ${entries(g)} (occurred_at)`,
  ],
  tables: (g) => [entries(g), organizations(g)],
};

interface InsertParams {
  readonly commit: bigint;
  readonly prepare: bigint;
  readonly eventId: string;
  readonly orgId: string;
  readonly actorType: string;
  readonly actorId: string;
  readonly eventType: string;
  readonly occurredAt: string;
  readonly entry: string;
}

/** The prepared statements over one generation's tables. */
class AuditTables {
  readonly insert;
  readonly rewrite;
  readonly entriesOfOrg;
  readonly saveOrganization;
  readonly organizationsByIds;
  readonly allEntries;
  readonly allOrganizations;

  constructor(db: Database.Database, g: number) {
    const [e, o] = [entries(g), organizations(g)];
    this.insert = db.prepare<InsertParams>(
      `INSERT INTO ${e} (commit_position, prepare_position, event_id, org_id,
         actor_type, actor_id, event_type, occurred_at, entry)
       VALUES (@commit, @prepare, @eventId, @orgId, @actorType, @actorId,
         @eventType, @occurredAt, @entry)
       ON CONFLICT DO NOTHING`,
    );
    this.rewrite = db.prepare<[string, bigint, bigint]>(
      `UPDATE ${e} SET entry = ?
       WHERE commit_position = ? AND prepare_position = ?`,
    );
    this.entriesOfOrg = db.prepare<[string], { entry: string }>(
      `SELECT entry FROM ${e} WHERE org_id = ?
       ORDER BY commit_position, prepare_position`,
    );
    this.saveOrganization = db.prepare<[string, string]>(
      `INSERT INTO ${o} (org_id, organization) VALUES (?, ?)
       ON CONFLICT (org_id) DO UPDATE SET organization = excluded.organization`,
    );
    this.organizationsByIds = db.prepare<[string], { organization: string }>(
      `SELECT organization FROM ${o}
       WHERE org_id IN (SELECT value FROM json_each(?))`,
    );
    this.allEntries = db.prepare<[], { entry: string }>(
      `SELECT entry FROM ${e} ORDER BY commit_position, prepare_position`,
    );
    this.allOrganizations = db.prepare<[], { organization: string }>(
      `SELECT organization FROM ${o} ORDER BY org_id`,
    );
  }
}

/**
 * The audit history in SQLite: a row per entry keyed by its log position,
 * with the filterable fields in indexed columns and the entry as JSON, and
 * the organizations as last folded. Tables carry the generation's number:
 * `audit_g<n>`, `audit_organizations_g<n>`.
 */
export class SqliteAuditStore
  extends SqliteGenerationStore<AuditTables>
  implements AuditStore
{
  constructor(db: Database.Database) {
    super(
      db,
      'audit',
      LAYOUT,
      (connection, g) => new AuditTables(connection, g),
    );
  }

  list(query?: AuditQuery): Promise<Page<AuditEntry>> {
    return sqliteCall(() => {
      const filter = auditFilter(query);
      const generation = this.generations.active();
      if (generation === undefined) return { items: [], nextCursor: null };
      return this.page(generation, filter);
    });
  }

  entries(query?: AuditExportQuery): AsyncIterableIterator<AuditEntry> {
    return auditEntries(this, query);
  }

  loadOrganizations(
    generation: number,
    ids: readonly string[],
  ): Promise<Map<string, OrganizationView>> {
    return sqliteCall(() => {
      const rows = this.at(generation).organizationsByIds.all(
        JSON.stringify(ids),
      );
      return new Map(
        rows.map((row) => {
          const view = JSON.parse(row.organization) as OrganizationView;
          return [view.id, view];
        }),
      );
    });
  }

  /**
   * The entries of one organization, for its erasure. A generation still
   * loaded in bulk has no index by organization yet; it gets that one here
   * rather than scanning the whole table for each deletion.
   */
  entriesOf(generation: number, orgId: string): Promise<AuditEntry[]> {
    return sqliteCall(() => {
      this.db.exec(byOrganization(generation));
      return this.at(generation)
        .entriesOfOrg.all(orgId)
        .map((row) => JSON.parse(row.entry) as AuditEntry);
    });
  }

  commit(
    generation: number,
    change: AuditChange,
    expected: Position | null,
    checkpoint: Position,
  ): Promise<void> {
    return sqliteCall(() => {
      const tables = this.at(generation);
      this.db
        .transaction(() => {
          this.generations.advance(generation, expected, checkpoint);
          change.entries.forEach((entry) => {
            tables.insert.run(insertParams(entry));
          });
          change.organizations.forEach((view) => {
            tables.saveOrganization.run(view.id, JSON.stringify(view));
          });
          change.rewritten?.forEach((entry) => {
            const { commit, prepare } = entryPosition(entry);
            tables.rewrite.run(JSON.stringify(entry), commit, prepare);
          });
        })
        .immediate();
      if ((change.rewritten?.length ?? 0) > 0) this.scrubOldPages();
    });
  }

  checksum(generation?: number): Promise<string> {
    return sqliteCall(() => {
      const g = generation ?? this.generations.ensureActive();
      const tables = this.at(g);
      const digest = new ContentDigest();
      digest.add({ checkpoint: this.generations.checkpoint(g) });
      for (const row of tables.allEntries.iterate()) {
        digest.add(JSON.parse(row.entry));
      }
      for (const row of tables.allOrganizations.iterate()) {
        digest.add(JSON.parse(row.organization));
      }
      return digest.hex();
    });
  }

  private page(generation: number, filter: AuditFilter): Page<AuditEntry> {
    const { sql, params } = listing(generation, filter);
    const rows = this.listing(sql).all(params) as { entry: string }[];
    const items = rows
      .slice(0, filter.limit)
      .map((row) => JSON.parse(row.entry) as AuditEntry);
    const last = items.at(-1);
    const more = rows.length > filter.limit && last !== undefined;
    return {
      items,
      nextCursor: more ? auditCursor(filter.order, entryPosition(last)) : null,
    };
  }
}

function insertParams(entry: AuditEntry): InsertParams {
  const position = entryPosition(entry);
  return {
    commit: position.commit,
    prepare: position.prepare,
    eventId: entry.eventId,
    orgId: entry.orgId,
    actorType: entry.actor.type,
    actorId: entry.actor.id,
    eventType: entry.eventType,
    occurredAt: entry.occurredAt,
    entry: JSON.stringify(entry),
  };
}

function listing(
  generation: number,
  filter: AuditFilter,
): { sql: string; params: Record<string, unknown> } {
  const where: string[] = [];
  const params: Record<string, unknown> = { limit: filter.limit + 1 };
  const add = (condition: string, values: Record<string, unknown>) => {
    where.push(condition);
    Object.assign(params, values);
  };
  if (filter.orgId !== undefined)
    add('org_id = @orgId', { orgId: filter.orgId });
  if (filter.actor !== undefined) {
    add('actor_type = @actorType AND actor_id = @actorId', {
      actorType: filter.actor.type,
      actorId: filter.actor.id,
    });
  }
  if (filter.eventTypes !== undefined) {
    add('event_type IN (SELECT value FROM json_each(@eventTypes))', {
      eventTypes: JSON.stringify(filter.eventTypes),
    });
  }
  if (filter.from !== undefined)
    add('occurred_at >= @from', { from: filter.from });
  if (filter.to !== undefined) add('occurred_at < @to', { to: filter.to });
  const newest = filter.order === 'newest';
  if (filter.after !== undefined) {
    add(
      `(commit_position, prepare_position) ${newest ? '<' : '>'} (@commit, @prepare)`,
      { commit: filter.after.commit, prepare: filter.after.prepare },
    );
  }
  const condition = where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`;
  const direction = newest ? 'DESC' : 'ASC';
  return {
    sql: `SELECT entry FROM ${entries(generation)} ${condition}
          ORDER BY commit_position ${direction}, prepare_position ${direction}
          LIMIT @limit`,
    params,
  };
}
