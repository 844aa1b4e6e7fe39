import type Database from 'better-sqlite3';
import type { Position } from '@org/event-store';

import { ContentDigest } from '../shared/checksum.js';
import type { Page } from '../shared/pagination.js';
import { sqliteCall } from '../sqlite/sqlite-errors.js';
import { SqliteGenerationStore } from '../sqlite/sqlite-generation-store.js';
import type { GenerationTables } from '../sqlite/sqlite-generations.js';
import {
  canonicalName,
  directoryCursor,
  directoryFilter,
  type DirectoryFilter,
} from './directory-query.js';
import type {
  DirectoryEntry,
  DirectoryQuery,
  DirectoryStore,
  DirectoryUpsert,
} from './organization-directory.port.js';

const entries = (g: number): string => `directory_g${g}`;
const labels = (g: number): string => `directory_labels_g${g}`;

const LAYOUT: GenerationTables = {
  create: (g) => `
    CREATE TABLE ${entries(g)} (
      id            TEXT    PRIMARY KEY,
      name          TEXT    NOT NULL UNIQUE,
      status        TEXT    NOT NULL,
      environment   TEXT,
      business_unit TEXT,
      region        TEXT,
      revision      INTEGER NOT NULL,
      entry         TEXT    NOT NULL
    ) STRICT;
    CREATE TABLE ${labels(g)} (
      org_id TEXT NOT NULL,
      key    TEXT NOT NULL,
      value  TEXT NOT NULL,
      PRIMARY KEY (org_id, key)
    ) STRICT, WITHOUT ROWID;`,
  indexes: (g) => [
    `CREATE INDEX IF NOT EXISTS ${entries(g)}_environment
       ON ${entries(g)} (environment, name)`,
    `CREATE INDEX IF NOT EXISTS ${entries(g)}_business_unit
       ON ${entries(g)} (business_unit, name)`,
    `CREATE INDEX IF NOT EXISTS ${entries(g)}_region
       ON ${entries(g)} (region, name)`,
    `CREATE INDEX IF NOT EXISTS ${entries(g)}_status
       ON ${entries(g)} (status, name)`,
    `CREATE INDEX IF NOT EXISTS ${labels(g)}_value
       ON ${labels(g)} (key, value, org_id)`,
  ],
  tables: (g) => [entries(g), labels(g)],
};

interface EntryRow {
  readonly entry: string;
}

interface UpsertParams {
  readonly id: string;
  readonly name: string;
  readonly status: string;
  readonly environment: string | null;
  readonly businessUnit: string | null;
  readonly region: string | null;
  readonly revision: number;
  readonly entry: string;
}

/** The prepared statements over one generation's tables. */
class DirectoryTables {
  readonly byId;
  readonly byName;
  readonly byIds;
  readonly idsByNames;
  readonly upsert;
  readonly clearLabels;
  readonly addLabel;
  readonly allEntries;
  readonly allLabels;

  constructor(db: Database.Database, g: number) {
    const [e, l] = [entries(g), labels(g)];
    this.byId = db.prepare<[string], EntryRow>(
      `SELECT entry FROM ${e} WHERE id = ?`,
    );
    this.byName = db.prepare<[string], EntryRow>(
      `SELECT entry FROM ${e} WHERE name = ?`,
    );
    this.byIds = db.prepare<[string], EntryRow>(
      `SELECT entry FROM ${e} WHERE id IN (SELECT value FROM json_each(?))`,
    );
    this.idsByNames = db.prepare<[string], { id: string; name: string }>(
      `SELECT id, name FROM ${e}
       WHERE name IN (SELECT value FROM json_each(?))`,
    );
    this.upsert = db.prepare<UpsertParams>(
      `INSERT INTO ${e} (id, name, status, environment, business_unit, region,
         revision, entry)
       VALUES (@id, @name, @status, @environment, @businessUnit, @region,
         @revision, @entry)
       ON CONFLICT (id) DO UPDATE SET status = excluded.status,
         environment = excluded.environment,
         business_unit = excluded.business_unit, region = excluded.region,
         revision = excluded.revision, entry = excluded.entry`,
    );
    this.clearLabels = db.prepare<[string]>(
      `DELETE FROM ${l} WHERE org_id = ?`,
    );
    this.addLabel = db.prepare<[string, string, string]>(
      `INSERT INTO ${l} (org_id, key, value) VALUES (?, ?, ?)`,
    );
    this.allEntries = db.prepare<[], EntryRow>(
      `SELECT entry FROM ${e} ORDER BY name`,
    );
    this.allLabels = db.prepare<
      [],
      { org_id: string; key: string; value: string }
    >(`SELECT org_id, key, value FROM ${l} ORDER BY org_id, key`);
  }
}

/**
 * The organization directory in SQLite: a row per organization with the
 * filterable fields in columns and the entry as JSON, and a row per free
 * label. Tables carry the generation's number: `directory_g<n>`,
 * `directory_labels_g<n>`.
 */
export class SqliteDirectoryStore
  extends SqliteGenerationStore<DirectoryTables>
  implements DirectoryStore
{
  constructor(db: Database.Database) {
    super(
      db,
      'directory',
      LAYOUT,
      (connection, g) => new DirectoryTables(connection, g),
    );
  }

  getById(id: string): Promise<DirectoryEntry | null> {
    return this.query((t) => parsed(t.byId.get(id)), null);
  }

  getByName(name: string): Promise<DirectoryEntry | null> {
    return this.query((t) => parsed(t.byName.get(canonicalName(name))), null);
  }

  list(query?: DirectoryQuery): Promise<Page<DirectoryEntry>> {
    return sqliteCall(() => {
      const filter = directoryFilter(query);
      const generation = this.generations.active();
      if (generation === undefined) return { items: [], nextCursor: null };
      return this.page(generation, filter);
    });
  }

  load(
    generation: number,
    ids: readonly string[],
  ): Promise<Map<string, DirectoryEntry>> {
    return sqliteCall(() => {
      const rows = this.at(generation).byIds.all(JSON.stringify(ids));
      return new Map(
        rows.map((row) => {
          const entry = JSON.parse(row.entry) as DirectoryEntry;
          return [entry.id, entry];
        }),
      );
    });
  }

  idsByName(
    generation: number,
    names: readonly string[],
  ): Promise<Map<string, string>> {
    return sqliteCall(() => {
      const rows = this.at(generation).idsByNames.all(JSON.stringify(names));
      return new Map(rows.map((row) => [row.name, row.id]));
    });
  }

  commit(
    generation: number,
    upserts: readonly DirectoryUpsert[],
    expected: Position | null,
    checkpoint: Position,
  ): Promise<void> {
    return sqliteCall(() => {
      const tables = this.at(generation);
      this.db
        .transaction(() => {
          this.generations.advance(generation, expected, checkpoint);
          upserts.forEach((upsert) => {
            write(tables, upsert);
          });
        })
        .immediate();
      if (upserts.some(isDeletion)) this.scrubOldPages();
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
      for (const row of tables.allLabels.iterate()) digest.add(row);
      return digest.hex();
    });
  }

  private page(generation: number, filter: DirectoryFilter) {
    const { sql, params } = listing(generation, filter);
    const rows = this.listing(sql).all(params) as EntryRow[];
    const items = rows
      .slice(0, filter.limit)
      .map((row) => JSON.parse(row.entry) as DirectoryEntry);
    const last = items.at(-1);
    const more = rows.length > filter.limit && last !== undefined;
    return { items, nextCursor: more ? directoryCursor(last.name) : null };
  }

  private query<T>(
    read: (tables: DirectoryTables) => T,
    absent: T,
  ): Promise<T> {
    return sqliteCall(() => {
      const generation = this.generations.active();
      return generation === undefined ? absent : read(this.at(generation));
    });
  }
}

function write(tables: DirectoryTables, { before, after }: DirectoryUpsert) {
  tables.upsert.run({
    id: after.id,
    name: after.name,
    status: after.status,
    environment: after.labels.environment,
    businessUnit: after.labels.businessUnit,
    region: after.labels.region,
    revision: after.revision,
    entry: JSON.stringify(after),
  });
  if (before !== null && sameLabels(before, after)) return;
  tables.clearLabels.run(after.id);
  for (const [key, value] of Object.entries(after.labels.labels)) {
    tables.addLabel.run(after.id, key, value);
  }
}

function sameLabels(a: DirectoryEntry, b: DirectoryEntry): boolean {
  return JSON.stringify(a.labels.labels) === JSON.stringify(b.labels.labels);
}

function parsed(row: EntryRow | undefined): DirectoryEntry | null {
  return row === undefined ? null : (JSON.parse(row.entry) as DirectoryEntry);
}

const COLUMNS = {
  environment: 'environment',
  businessUnit: 'business_unit',
  region: 'region',
  status: 'status',
} as const;

function listing(
  generation: number,
  filter: DirectoryFilter,
): { sql: string; params: Record<string, unknown> } {
  const where: string[] = [];
  const params: Record<string, unknown> = { limit: filter.limit + 1 };
  for (const [field, column] of Object.entries(COLUMNS)) {
    const value = filter[field as keyof typeof COLUMNS];
    if (value === undefined) continue;
    where.push(`${column} = @${field}`);
    params[field] = value;
  }
  filter.labels.forEach(([key, value], i) => {
    where.push(
      `EXISTS (SELECT 1 FROM ${labels(generation)} AS l WHERE l.org_id = d.id
         AND l.key = @labelKey${i} AND l.value = @labelValue${i})`,
    );
    Object.assign(params, { [`labelKey${i}`]: key, [`labelValue${i}`]: value });
  });
  if (filter.namePrefix !== undefined) {
    // Names are ASCII, so every name with the prefix sorts below this bound.
    where.push('name >= @prefix AND name < @prefixEnd');
    Object.assign(params, {
      prefix: filter.namePrefix,
      prefixEnd: `${filter.namePrefix}\uffff`,
    });
  }
  if (filter.after !== undefined) {
    where.push('name > @after');
    params.after = filter.after;
  }
  const condition = where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`;
  return {
    sql: `SELECT entry FROM ${entries(generation)} AS d ${condition}
          ORDER BY name LIMIT @limit`,
    params,
  };
}

// The upsert that records a deletion, which erases the personal data of
// the organization's entry.
function isDeletion({ before, after }: DirectoryUpsert): boolean {
  return after.status === 'deleted' && before?.status !== 'deleted';
}
