import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import {
  type ChainedEvent,
  hashEvent,
  type SignedDigest,
  verifyChain,
  verifyDigest,
} from '@org/event-store';

import type { LogRecord } from '../esdb-emulator/emulated-log.js';
import { EsdbWireEmulator } from '../esdb-emulator/esdb-wire-emulator.js';
import { AppHarness } from '../support/app-harness.js';
import {
  createOrganization,
  envelope,
  uniqueName,
} from '../support/envelopes.js';

/** How a test reaches into a store's storage, bypassing the service. */
interface Tamperer {
  change(streamId: string, revision: number): void;
  remove(streamId: string, revision: number): void;
  /** Swaps two neighbours and gives each the other's revision. */
  swap(streamId: string, revision: number): void;
  /** Inserts a copy of the event before `revision` at `revision`, renumbering those after it. */
  insert(streamId: string, revision: number, recomputeHash: boolean): void;
}

interface Target {
  readonly name: string;
  start(): Promise<{
    app: AppHarness;
    tamperer: Tamperer;
    stop: () => Promise<void>;
  }>;
}

function forgedMetadata(
  copy: ChainedEvent,
  prevHash: string,
  recomputeHash: boolean,
): Record<string, unknown> {
  const { $prevHash: _p, $hash: _h, ...rest } = copy.metadata;
  const hash = recomputeHash ? hashEvent(copy, prevHash) : 'f'.repeat(64);
  return { ...rest, $prevHash: prevHash, $hash: hash };
}

function sqliteTamperer(file: string): Tamperer {
  const run = (edit: (db: Database.Database) => void): void => {
    const db = new Database(file);
    try {
      db.transaction(() => {
        edit(db);
      })();
    } finally {
      db.close();
    }
  };
  // Renumbers through negative revisions, so that no two rows of the
  // stream share a revision on the way.
  const shift = (
    db: Database.Database,
    streamId: string,
    from: number,
    by: number,
  ) => {
    db.prepare(
      'UPDATE events SET revision = -(revision + @by) - 1 WHERE stream_id = @streamId AND revision >= @from',
    ).run({ streamId, from, by });
    db.prepare(
      'UPDATE events SET revision = -revision - 1 WHERE stream_id = @streamId AND revision < 0',
    ).run({ streamId });
  };
  return {
    change: (streamId, revision) => {
      run((db) =>
        db
          .prepare(
            `UPDATE events SET data = json_set(data, '$.displayName', 'Forged')
             WHERE stream_id = ? AND revision = ?`,
          )
          .run(streamId, revision),
      );
    },
    remove: (streamId, revision) => {
      run((db) =>
        db
          .prepare('DELETE FROM events WHERE stream_id = ? AND revision = ?')
          .run(streamId, revision),
      );
    },
    swap: (streamId, revision) => {
      run((db) => {
        const set = db.prepare(
          'UPDATE events SET revision = @to WHERE stream_id = @streamId AND revision = @from',
        );
        set.run({ streamId, from: revision, to: -1 });
        set.run({ streamId, from: revision + 1, to: revision });
        set.run({ streamId, from: -1, to: revision + 1 });
      });
    },
    insert: (streamId, revision, recomputeHash) => {
      run((db) => {
        const before = db
          .prepare<[string, number], SqliteRow>(
            'SELECT * FROM events WHERE stream_id = ? AND revision = ?',
          )
          .get(streamId, revision - 1);
        if (!before) throw new Error('no event to copy');
        shift(db, streamId, revision, 1);
        const copy = { ...chainedFromRow(before), id: randomUUID(), revision };
        const prevHash = chainedFromRow(before).metadata.$hash as string;
        db.prepare(
          `INSERT INTO events (id, stream_id, revision, type, schema_version,
             data, metadata, recorded_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(
          copy.id,
          streamId,
          revision,
          before.type,
          before.schema_version,
          before.data,
          JSON.stringify(forgedMetadata(copy, prevHash, recomputeHash)),
          before.recorded_at,
        );
      });
    },
  };
}

interface SqliteRow {
  readonly id: string;
  readonly stream_id: string;
  readonly revision: number;
  readonly type: string;
  readonly schema_version: number;
  readonly data: string;
  readonly metadata: string;
  readonly recorded_at: string;
}

function chainedFromRow(row: SqliteRow): ChainedEvent {
  return {
    streamId: row.stream_id,
    revision: row.revision,
    id: row.id,
    type: row.type,
    schemaVersion: row.schema_version,
    data: JSON.parse(row.data),
    metadata: JSON.parse(row.metadata) as Record<string, unknown>,
  };
}

function emulatorTamperer(emulator: EsdbWireEmulator): Tamperer {
  const encode = (value: unknown) =>
    new TextEncoder().encode(JSON.stringify(value));
  const decode = (bytes: Uint8Array): Record<string, unknown> =>
    JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
  const at = (records: LogRecord[], revision: number): LogRecord => {
    const found = records.find((r) => r.revision === BigInt(revision));
    if (!found) throw new Error(`no record at ${revision}`);
    return found;
  };
  return {
    change: (streamId, revision) => {
      emulator.tamperWithStream(streamId, (records) =>
        records.map((record) =>
          record.revision === BigInt(revision)
            ? {
                ...record,
                data: encode({ ...decode(record.data), displayName: 'Forged' }),
              }
            : record,
        ),
      );
    },
    remove: (streamId, revision) => {
      emulator.tamperWithStream(streamId, (records) =>
        records.filter((record) => record.revision !== BigInt(revision)),
      );
    },
    swap: (streamId, revision) => {
      emulator.tamperWithStream(streamId, (records) => {
        const first = at(records, revision);
        const second = at(records, revision + 1);
        return records.map((record) => {
          if (record === first) return { ...second, revision: first.revision };
          if (record === second) return { ...first, revision: second.revision };
          return record;
        });
      });
    },
    insert: (streamId, revision, recomputeHash) => {
      emulator.tamperWithStream(streamId, (records) => {
        const before = at(records, revision - 1);
        const { $schemaVersion, ...metadata } = decode(before.metadata);
        const copy: ChainedEvent = {
          streamId,
          revision,
          id: randomUUID(),
          type: before.type,
          schemaVersion: $schemaVersion as number,
          data: decode(before.data),
          metadata,
        };
        const forged: LogRecord = {
          ...before,
          id: copy.id,
          revision: BigInt(revision),
          metadata: encode({
            ...forgedMetadata(copy, metadata.$hash as string, recomputeHash),
            $schemaVersion,
          }),
        };
        const moved = records.map((record) =>
          record.revision >= BigInt(revision)
            ? { ...record, revision: record.revision + 1n }
            : record,
        );
        moved.splice(revision, 0, forged);
        return moved;
      });
    },
  };
}

const TARGETS: readonly Target[] = [
  {
    name: 'the SQLite file',
    async start() {
      const app = await AppHarness.start();
      return {
        app,
        tamperer: sqliteTamperer(join(app.dataDir, 'events.sqlite')),
        stop: () => app.stop(),
      };
    },
  },
  {
    name: "the EventStoreDB wire emulator's store",
    async start() {
      const emulator = await EsdbWireEmulator.start();
      const app = await AppHarness.start({
        EVENT_STORE: emulator.connectionString,
      });
      return {
        app,
        tamperer: emulatorTamperer(emulator),
        stop: async () => {
          await app.stop();
          await emulator.stop();
        },
      };
    },
  },
];

describe.each(TARGETS)('tampering with $name', (target) => {
  let app: AppHarness;
  let tamperer: Tamperer;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    ({ app, tamperer, stop } = await target.start());
  });

  afterAll(async () => {
    await stop();
  });

  /** An organization with revisions 0 to 4. */
  async function organization(): Promise<string> {
    const orgId = (
      await app.accepted(app.tokens.support, createOrganization(uniqueName()))
    ).orgId as string;
    for (const displayName of ['Two', 'Three', 'Four', 'Five']) {
      await app.accepted(
        app.tokens.support,
        envelope(
          'UpdateProfile',
          { displayName },
          { orgId, reference: 'SUP-5' },
        ),
      );
    }
    return orgId;
  }

  async function integrity(orgId: string) {
    const reply = await app.get(
      app.tokens.support,
      `/v1/organizations/${orgId}/integrity`,
    );
    expect(reply.status).toBe(200);
    return reply.body;
  }

  it('verifies an untouched organization and reports its head', async () => {
    const orgId = await organization();

    const report = await integrity(orgId);

    expect(report).toEqual({
      orgId,
      revision: 4,
      valid: true,
      count: 5,
      head: expect.stringMatching(/^[0-9a-f]{64}$/),
      headHash: report.head,
    });
  });

  it.each([
    [
      'a changed event',
      (t: Tamperer, s: string) => {
        t.change(s, 2);
      },
      2,
    ],
    [
      'a removed event',
      (t: Tamperer, s: string) => {
        t.remove(s, 1);
      },
      1,
    ],
    [
      'two swapped events',
      (t: Tamperer, s: string) => {
        t.swap(s, 2);
      },
      2,
    ],
    [
      'an inserted event with a made-up hash',
      (t: Tamperer, s: string) => {
        t.insert(s, 3, false);
      },
      3,
    ],
    [
      'an inserted event with a recomputed hash, at the link after it',
      (t: Tamperer, s: string) => {
        t.insert(s, 3, true);
      },
      4,
    ],
  ])('names the first broken link after %s', async (_, tamper, broken) => {
    const orgId = await organization();

    tamper(tamperer, `organization-${orgId}`);

    expect(await integrity(orgId)).toMatchObject({
      orgId,
      valid: false,
      firstBrokenRevision: broken,
      reason: expect.stringContaining(`revision ${broken}`),
    });
  });
});

describe('verifying the SQLite file offline and signed digests', () => {
  let app: AppHarness;

  beforeAll(async () => {
    app = await AppHarness.start();
  });

  afterAll(async () => {
    await app.stop();
  });

  function storedStream(orgId: string): ChainedEvent[] {
    const db = new Database(join(app.dataDir, 'events.sqlite'), {
      readonly: true,
    });
    try {
      return db
        .prepare<[string], SqliteRow>(
          'SELECT * FROM events WHERE stream_id = ? ORDER BY revision',
        )
        .all(`organization-${orgId}`)
        .map(chainedFromRow);
    } finally {
      db.close();
    }
  }

  it('verifies the rows of the file with the pure verifier', async () => {
    const orgId = (
      await app.accepted(app.tokens.support, createOrganization(uniqueName()))
    ).orgId as string;

    expect(verifyChain(storedStream(orgId))).toMatchObject({
      valid: true,
      count: 1,
    });
    sqliteTamperer(join(app.dataDir, 'events.sqlite')).change(
      `organization-${orgId}`,
      0,
    );
    expect(verifyChain(storedStream(orgId))).toMatchObject({
      valid: false,
      firstBrokenRevision: 0,
    });
  });

  it('lets members with audit:read verify, and not sales or strangers', async () => {
    const orgId = (
      await app.accepted(app.tokens.support, createOrganization(uniqueName()))
    ).orgId as string;
    const path = `/v1/organizations/${orgId}/integrity`;

    expect(
      (await app.get(app.tokens.user(orgId, 'owner-1'), path)).status,
    ).toBe(200);
    expect(
      (await app.get(app.tokens.user(orgId, 'stranger'), path)).status,
    ).toBe(404);
    expect((await app.get(app.tokens.sales, path)).status).toBe(403);
    expect(
      (
        await app.get(
          app.tokens.support,
          `/v1/organizations/${randomUUID()}/integrity`,
        )
      ).status,
    ).toBe(404);
  });

  it('signs the chain heads of every organization with the key in the data folder', async () => {
    const orgId = (
      await app.accepted(app.tokens.support, createOrganization(uniqueName()))
    ).orgId as string;
    const head = (
      await app.get(app.tokens.support, `/v1/organizations/${orgId}/integrity`)
    ).body.headHash;

    const reply = await app.request(
      'POST',
      '/v1/integrity/digest',
      app.tokens.support,
    );

    expect(reply.status).toBe(200);
    const digest = reply.body as unknown as SignedDigest;
    expect(digest.organizations).toContainEqual({
      orgId,
      revision: 0,
      headHash: head,
    });
    const publicKey = readFileSync(
      join(app.dataDir, 'integrity-signing-key.pub.pem'),
      'utf8',
    );
    expect(verifyDigest(digest, publicKey)).toEqual({ valid: true });
    expect(
      verifyDigest(
        { ...digest, organizations: digest.organizations.slice(1) },
        publicKey,
      ),
    ).toMatchObject({ valid: false });
    expect(
      statSync(join(app.dataDir, 'integrity-signing-key.pem')).mode & 0o777,
    ).toBe(0o600);
  });

  it('refuses digests to anyone but support', async () => {
    const reply = await app.request(
      'POST',
      '/v1/integrity/digest',
      app.tokens.sales,
    );

    expect(reply.status).toBe(403);
  });
});
