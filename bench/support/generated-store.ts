import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import {
  GENESIS_HASH,
  HASH_KEY,
  hashEvent,
  PREV_HASH_KEY,
  SqliteEventStore,
  withoutChainKeys,
} from '@org/event-store';

import { organizationHistory } from './organization-events.js';
import type { SeededStore } from './seeded-store.js';

/** Where generated stores are kept between runs; delete it to regenerate. */
export const BENCH_CACHE_DIR = join(tmpdir(), 'organizations-bench-cache');

// Bump when the generated content changes, so that old files are not reused.
const GENERATOR_VERSION = 1;
const ROWS_PER_TRANSACTION = 20_000;

/** A store file of organization histories, made once and then reused. */
export interface GeneratedStore {
  readonly path: string;
  readonly organizations: number;
  readonly perOrganization: number;
  readonly events: number;
}

/**
 * The path of a SQLite event store holding `organizations` histories of
 * `perOrganization` events each, decided by the real domain, with the
 * store's schema (made by `SqliteEventStore.open`) and valid hash chains
 * (the store's own `hashEvent`). Rows go in with raw inserts in large
 * transactions at `synchronous = OFF`: a million events take seconds
 * instead of the minutes that appends through the store would, and the
 * file is cached in {@link BENCH_CACHE_DIR}.
 */
export async function generatedStore(
  organizations: number,
  perOrganization: number,
): Promise<GeneratedStore> {
  mkdirSync(BENCH_CACHE_DIR, { recursive: true });
  const name = `events-v${GENERATOR_VERSION}-${organizations}x${perOrganization}.sqlite`;
  const path = join(BENCH_CACHE_DIR, name);
  if (!existsSync(path)) await generate(path, organizations, perOrganization);
  return {
    path,
    organizations,
    perOrganization,
    events: organizations * perOrganization,
  };
}

async function generate(
  path: string,
  organizations: number,
  perOrganization: number,
): Promise<void> {
  const partial = `${path}.partial`;
  for (const suffix of ['', '-wal', '-shm']) {
    rmSync(`${partial}${suffix}`, { force: true });
  }
  const started = Date.now();
  process.stdout.write(
    `generating ${organizations * perOrganization} events into ${path}...\n`,
  );
  await SqliteEventStore.open({ path: partial }).close();
  const db = new Database(partial);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const insert = db.prepare(
    `INSERT INTO events (id, stream_id, revision, type, schema_version,
       data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertMany = db.transaction((rows: unknown[][]) => {
    for (const row of rows) insert.run(...row);
  });
  const start = new Date('2026-01-01T00:00:00.000Z');
  let rows: unknown[][] = [];
  for (let index = 0; index < organizations; index += 1) {
    rows.push(...chainedRows(index, perOrganization, start));
    if (rows.length >= ROWS_PER_TRANSACTION) {
      insertMany(rows);
      rows = [];
    }
  }
  insertMany(rows);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  renameSync(partial, path);
  process.stdout.write(
    `generated in ${Math.round((Date.now() - started) / 1000)} s\n`,
  );
}

// One organization's rows, chained as the store chains an append: the
// hash covers the stored text's values and the metadata without the
// chain keys, and links to the previous event's hash.
function chainedRows(index: number, count: number, start: Date): unknown[][] {
  const { orgId, events } = organizationHistory(index, count, start);
  const streamId = `organization-${orgId}`;
  let prev = GENESIS_HASH;
  return events.map((event, revision) => {
    const data = JSON.parse(JSON.stringify(event.data)) as unknown;
    const metadata = withoutChainKeys(
      JSON.parse(JSON.stringify(event.metadata)) as Record<string, unknown>,
    );
    const hash = hashEvent(
      { ...event, streamId, revision, data, metadata },
      prev,
    );
    const stored = { ...metadata, [PREV_HASH_KEY]: prev, [HASH_KEY]: hash };
    prev = hash;
    return [
      event.id,
      streamId,
      revision,
      event.type,
      event.schemaVersion,
      JSON.stringify(data),
      JSON.stringify(stored),
      occurredAt(metadata, start),
    ];
  });
}

function occurredAt(metadata: Record<string, unknown>, start: Date): string {
  const at = metadata.occurredAt;
  return typeof at === 'string' ? at : start.toISOString();
}

/** The generated file opened as the service opens its store. */
export function openGenerated(generated: GeneratedStore): SeededStore {
  const raw = new Database(generated.path, { readonly: true });
  try {
    const orgIds = raw
      .prepare<[], { stream_id: string }>(
        'SELECT stream_id FROM events WHERE revision = 0 ORDER BY position',
      )
      .all()
      .map((row) => row.stream_id.slice('organization-'.length));
    const head = raw
      .prepare<[], { position: number }>(
        'SELECT MAX(position) AS position FROM events',
      )
      .get();
    const last = BigInt(head?.position ?? 0);
    return {
      store: SqliteEventStore.open({ path: generated.path }),
      path: generated.path,
      orgIds,
      events: generated.events,
      last: { commit: last, prepare: last },
    };
  } finally {
    raw.close();
  }
}
