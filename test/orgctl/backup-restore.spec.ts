import { afterEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { GENESIS_HASH, hashEvent } from '@org/event-store';

import { backupStore } from '../../apps/orgctl/src/backup/backup.js';
import { parseManifest } from '../../apps/orgctl/src/backup/manifest.js';
import type { Progress } from '../../apps/orgctl/src/backup/progress-bar.js';
import { restoreStore } from '../../apps/orgctl/src/backup/restore.js';
import {
  checkDatabase,
  sha256Of,
} from '../../apps/orgctl/src/backup/sqlite-files.js';
import { CliError, UsageError } from '../../apps/orgctl/src/cli/errors.js';
import { makeTempDir, removeTempDir } from '../support/temp-dir.js';

const STREAMS = [
  'organization-0192f6c3-0000-7000-8000-000000000001',
  'organization-0192f6c3-0000-7000-8000-000000000002',
  'name-reservation-acme-iot',
];
const folders: string[] = [];
const open: Database.Database[] = [];

async function folder(): Promise<string> {
  const path = await makeTempDir('orgctl-backup');
  folders.push(path);
  return path;
}

/**
 * A live store as the service keeps it: WAL mode, a connection left open,
 * the events table of the SQLite event store, its events hash-chained.
 */
function liveStore(dataDir: string, events: number): Database.Database {
  const db = new Database(join(dataDir, 'events.sqlite'));
  db.pragma('journal_mode = WAL');
  db.exec(
    `CREATE TABLE events (
       position INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE,
       stream_id TEXT NOT NULL, revision INTEGER NOT NULL,
       type TEXT NOT NULL, schema_version INTEGER NOT NULL,
       data TEXT NOT NULL, metadata TEXT NOT NULL, recorded_at TEXT NOT NULL,
       UNIQUE (stream_id, revision))`,
  );
  const replies = new Database(join(dataDir, 'replies.sqlite'));
  replies.pragma('journal_mode = WAL');
  replies.exec('CREATE TABLE command_replies (command_id TEXT PRIMARY KEY)');
  replies.prepare('INSERT INTO command_replies VALUES (?)').run('c-1');
  open.push(db, replies);
  append(db, events);
  return db;
}

/** Appends `count` chained events, spread over three streams. */
function append(db: Database.Database, count: number): void {
  const last = db.prepare<[string], { revision: number; metadata: string }>(
    'SELECT revision, metadata FROM events WHERE stream_id = ? ' +
      'ORDER BY revision DESC LIMIT 1',
  );
  const insert = db.prepare(
    `INSERT INTO events (id, stream_id, revision, type, schema_version,
       data, metadata, recorded_at) VALUES (?, ?, ?, ?, 1, ?, ?, ?)`,
  );
  db.transaction(() => {
    for (let i = 0; i < count; i++) {
      const streamId = STREAMS[i % STREAMS.length] ?? '';
      const before = last.get(streamId);
      const prevHash = before
        ? (JSON.parse(before.metadata) as { $hash: string }).$hash
        : GENESIS_HASH;
      const event = {
        streamId,
        revision: (before?.revision ?? -1) + 1,
        id: randomUUID(),
        type: 'ProfileUpdated',
        schemaVersion: 1,
        data: { description: 'x'.repeat(2000) },
        metadata: { commandId: randomUUID() },
      };
      const $hash = hashEvent(event, prevHash);
      insert.run(
        event.id,
        streamId,
        event.revision,
        event.type,
        JSON.stringify(event.data),
        JSON.stringify({ ...event.metadata, $prevHash: prevHash, $hash }),
        '2026-12-01T09:00:00.000Z',
      );
    }
  })();
}

/**
 * Edits the events of a backup as someone covering their tracks would:
 * the rows, then the checksum in the manifest.
 */
async function tamper(out: string, sql: string): Promise<void> {
  const file = join(out, 'events.sqlite');
  const db = new Database(file);
  try {
    db.exec(sql);
  } finally {
    db.close();
  }
  const manifestPath = join(out, 'manifest.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    files: { name: string; sha256: string }[];
  };
  for (const entry of manifest.files) {
    if (entry.name === 'events.sqlite') entry.sha256 = await sha256Of(file);
  }
  writeFileSync(manifestPath, JSON.stringify(manifest));
}

function rows(path: string): number {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare('SELECT count(*) FROM events').pluck().get() as number;
  } finally {
    db.close();
  }
}

const quiet: Progress = { update: () => undefined, finish: () => undefined };

function backup(dataDir: string, outDir: string, progress = quiet) {
  return backupStore({
    dataDir,
    outDir,
    progressOf: () => progress,
    now: () => new Date('2026-12-01T09:00:00Z'),
  });
}

afterEach(async () => {
  for (const db of open.splice(0)) db.close();
  for (const path of folders.splice(0)) await removeTempDir(path);
});

describe('orgctl backup', () => {
  it('copies a live store consistently while it is written to', async () => {
    const [dataDir, out] = [await folder(), await folder()];
    const db = liveStore(dataDir, 2000);
    let writes = 0;
    const writer: Progress = {
      update: () => {
        append(db, 5);
        writes += 5;
      },
      finish: () => undefined,
    };

    const manifest = await backup(dataDir, out, writer);

    const copied = rows(join(out, 'events.sqlite'));
    expect(writes).toBeGreaterThan(0);
    expect(copied).toBeGreaterThanOrEqual(2000);
    expect(copied).toBeLessThanOrEqual(2000 + writes);
    expect(checkDatabase(join(out, 'events.sqlite')).integrity).toBe('ok');
    expect(manifest.files.map((file) => file.name)).toEqual([
      'replies.sqlite',
      'events.sqlite',
    ]);
    expect(manifest.files[1]?.rows).toEqual({ events: copied });
    expect(existsSync(join(out, 'events.sqlite-wal'))).toBe(false);
    expect(
      parseManifest(readFileSync(join(out, 'manifest.json'), 'utf8'), 'm'),
    ).toEqual(manifest);
  });

  it('refuses a folder without a store, and a folder that is not empty', async () => {
    const [dataDir, out] = [await folder(), await folder()];

    await expect(backup(dataDir, out)).rejects.toThrow(
      'holds no events.sqlite',
    );

    liveStore(dataDir, 1);
    writeFileSync(join(out, 'old'), '');
    await expect(backup(dataDir, out)).rejects.toThrow(UsageError);
  });
});

describe('orgctl restore', () => {
  async function backedUp(events = 50) {
    const [dataDir, out] = [await folder(), await folder()];
    const db = liveStore(dataDir, events);
    await backup(dataDir, out);
    return { dataDir, out, db };
  }

  it('restores into an empty folder and checks what it restored', async () => {
    const { out } = await backedUp(50);
    const target = join(await folder(), 'data');
    const progress: [number, number][] = [];

    const report = await restoreStore({
      from: out,
      dataDir: target,
      force: false,
      chainProgress: {
        update: (done, total) => progress.push([done, total]),
        finish: () => undefined,
      },
    });

    expect(report.files).toEqual([
      {
        name: 'replies.sqlite',
        integrity: 'ok',
        rows: { command_replies: 1 },
        rowsInBackup: { command_replies: 1 },
      },
      {
        name: 'events.sqlite',
        integrity: 'ok',
        rows: { events: 50 },
        rowsInBackup: { events: 50 },
      },
    ]);
    expect(report.chains).toEqual({ streams: 3, events: 50 });
    expect(progress.at(-1)).toEqual([50, 50]);
    expect(rows(join(target, 'events.sqlite'))).toBe(50);
  });

  it('replaces a stopped store only with --force, dropping its old WAL', async () => {
    const { dataDir, out, db } = await backedUp(50);
    append(db, 10);
    for (const connection of open.splice(0)) connection.close();
    writeFileSync(join(dataDir, 'events.sqlite-wal'), 'stale');

    await expect(
      restoreStore({ from: out, dataDir, force: false }),
    ).rejects.toThrow('add --force to replace it');
    await restoreStore({ from: out, dataDir, force: true });

    expect(existsSync(join(dataDir, 'events.sqlite-wal'))).toBe(false);
    expect(rows(join(dataDir, 'events.sqlite'))).toBe(50);
  });

  it('removes store files that the backup lacks, so read models are rebuilt', async () => {
    const { dataDir, out } = await backedUp(5);
    for (const connection of open.splice(0)) connection.close();
    new Database(join(dataDir, 'read-models.sqlite')).close();

    const report = await restoreStore({ from: out, dataDir, force: true });

    expect(report.removed).toEqual(['read-models.sqlite']);
    expect(existsSync(join(dataDir, 'read-models.sqlite'))).toBe(false);
  });

  it('refuses to replace a store that a running service holds open', async () => {
    const { dataDir, out } = await backedUp(5);

    const restore = restoreStore({ from: out, dataDir, force: true });

    await expect(restore).rejects.toThrow('stop the service before restoring');
    await expect(restore).rejects.toBeInstanceOf(CliError);
  });

  it('refuses a damaged backup before touching the store', async () => {
    const { out } = await backedUp(5);
    const file = join(out, 'events.sqlite');
    const bytes = readFileSync(file);
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 0xff;
    writeFileSync(file, bytes);
    const target = await folder();

    await expect(
      restoreStore({ from: out, dataDir: target, force: false }),
    ).rejects.toThrow('the backup is damaged');
    expect(existsSync(join(target, 'events.sqlite'))).toBe(false);
  });

  it('refuses a backup whose events were changed, naming the stream and revision', async () => {
    const { dataDir, out, db } = await backedUp(30);
    append(db, 6);
    for (const connection of open.splice(0)) connection.close();
    await tamper(
      out,
      `UPDATE events SET data = json_set(data, '$.description', 'forged')
       WHERE stream_id = '${STREAMS[1] ?? ''}' AND revision = 4`,
    );

    const restore = restoreStore({ from: out, dataDir, force: true });

    await expect(restore).rejects.toThrow(
      `the hash chain of the events is broken: stream ${STREAMS[1] ?? ''}, revision 4`,
    );
    await expect(restore).rejects.toMatchObject({ exitCode: 1 });
    expect(rows(join(dataDir, 'events.sqlite'))).toBe(36);
    expect(existsSync(join(dataDir, '.events.sqlite.restoring'))).toBe(false);
  });

  it('refuses a backup with an event removed from the middle of a stream', async () => {
    const { out } = await backedUp(30);
    await tamper(
      out,
      `DELETE FROM events WHERE stream_id = '${STREAMS[0] ?? ''}' AND revision = 2`,
    );
    const manifestPath = join(out, 'manifest.json');
    const manifest = readFileSync(manifestPath, 'utf8');
    writeFileSync(manifestPath, manifest.replace('"events":30', '"events":29'));

    await expect(
      restoreStore({ from: out, dataDir: await folder(), force: false }),
    ).rejects.toThrow(`stream ${STREAMS[0] ?? ''}, revision 2`);
  });

  it('refuses a folder that is no backup', async () => {
    await expect(
      restoreStore({
        from: await folder(),
        dataDir: await folder(),
        force: false,
      }),
    ).rejects.toThrow('holds no manifest.json');
  });
});
