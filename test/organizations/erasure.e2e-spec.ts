import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Redis } from 'ioredis';

import { EsdbWireEmulator } from '../esdb-emulator/esdb-wire-emulator.js';
import { AppHarness } from '../support/app-harness.js';
import {
  createOrganization,
  envelope,
  uniqueName,
} from '../support/envelopes.js';
import { startTestRedis, type TestRedis } from '../support/redis-server.js';
import { waitFor } from '../support/wait-for.js';

const ERASED = '[erased]';

interface AuditEntryJson {
  eventType: string;
  actor: { type: string; id: string };
  reference: string | null;
  changes: { path: string; before: unknown; after: unknown }[];
}

/** Every file under a folder, as bytes read as Latin-1 text. */
async function folderText(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const entry of await readdir(dir, {
    recursive: true,
    withFileTypes: true,
  })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(path, (await readFile(path)).toString('latin1'));
  }
  return files;
}

/** Every key and value under the prefix, read by type, as one text. */
async function keyspaceText(redis: Redis, prefix: string): Promise<string> {
  const parts: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`);
    cursor = next;
    for (const key of keys) {
      parts.push(key);
      const type = await redis.type(key);
      if (type === 'string') parts.push((await redis.get(key)) ?? '');
      if (type === 'hash') parts.push(JSON.stringify(await redis.hgetall(key)));
      if (type === 'zset') parts.push(...(await redis.zrange(key, 0, -1)));
      if (type === 'set') parts.push(...(await redis.smembers(key)));
      if (type === 'list') parts.push(...(await redis.lrange(key, 0, -1)));
      if (type === 'stream')
        parts.push(JSON.stringify(await redis.xrange(key, '-', '+')));
    }
  } while (cursor !== '0');
  return parts.join('\n');
}

describe.each([
  { name: 'SQLite, SQLite read models', redisReadModels: false, esdb: false },
  { name: 'SQLite, Redis read models', redisReadModels: true, esdb: false },
  {
    name: 'the EventStoreDB adapter on the wire emulator, keys and read models in Redis',
    redisReadModels: true,
    esdb: true,
  },
])('erasure by key destruction, on $name', ({ redisReadModels, esdb }) => {
  let app: AppHarness;
  let redis: TestRedis | undefined;
  let emulator: EsdbWireEmulator | undefined;
  let prefix = '';
  let orgId: string;
  let keptId: string;
  const tag = uniqueName('erase');
  const contactEmail = `ops-${tag}@acme.example`;
  const newContactEmail = `noc-${tag}@acme.example`;
  const billingEmail = `billing-${tag}@acme.example`;
  const keptEmail = `kept-${tag}@acme.example`;
  const erasedEmails = [contactEmail, newContactEmail, billingEmail];

  beforeAll(async () => {
    let env: Record<string, string> = { DELETION_CHECK_INTERVAL_MS: '0' };
    if (redisReadModels) {
      redis = await startTestRedis();
      prefix = `${redis.prefix('erasure')}:`;
      env = { ...env, READ_MODELS: redis.url, READ_MODELS_PREFIX: prefix };
    }
    if (esdb) {
      emulator = await EsdbWireEmulator.start();
      env = { ...env, EVENT_STORE: emulator.connectionString };
    }
    app = await AppHarness.start(env);
    const support = app.tokens.support;
    orgId = (
      await app.accepted(
        support,
        createOrganization(`${tag}-gone`, { contactEmail }),
      )
    ).orgId as string;
    keptId = (
      await app.accepted(
        support,
        createOrganization(`${tag}-kept`, { contactEmail: keptEmail }),
      )
    ).orgId as string;
    await app.accepted(
      support,
      envelope(
        'UpdateProfile',
        { contactEmail: newContactEmail, displayName: 'Acme Erased' },
        { orgId, reference: 'SUP-21' },
      ),
    );
    const owner = app.tokens.user(orgId, 'owner-1');
    await app.accepted(
      owner,
      envelope('ChangeBillingSettings', { billingEmail }, { orgId }),
    );
    const request = await app.accepted(
      owner,
      envelope('RequestDeletion', { gracePeriodDays: 0 }, { orgId }),
    );
    await waitFor(
      async () => {
        const path = `/v1/organizations?status=deletion_scheduled&after=${String(request.position)}`;
        const page = await app.get(support, path);
        return (page.body.items as { id: string }[]).some(
          (o) => o.id === orgId,
        );
      },
      { description: 'the scheduled deletion in the directory' },
    );
    expect(await app.completeDueDeletions()).toBeGreaterThanOrEqual(1);
    // The key is destroyed and both read models have the deletion.
    await waitFor(
      async () => {
        const first = await app.get(
          support,
          `/v1/organizations/${orgId}/state?revision=0`,
        );
        const listed = await app.get(
          support,
          `/v1/audit?orgId=${orgId}&order=newest&limit=1`,
        );
        const entries = listed.body.items as AuditEntryJson[] | undefined;
        return (
          (first.body.state as { profile?: { contactEmail?: string } }).profile
            ?.contactEmail === ERASED &&
          entries?.[0]?.eventType === 'OrganizationDeleted'
        );
      },
      { description: 'the key destroyed and the deletion in the audit' },
    );
    await waitFor(
      async () => {
        const listed = await app.get(support, `/v1/organizations/${orgId}`);
        return (listed.body.state as { status?: string }).status === 'deleted';
      },
      { description: 'the deletion in the directory' },
    );
  }, 30_000);

  afterAll(async () => {
    await app.stop();
    await redis?.stop();
    await emulator?.stop();
  });

  it('leaves neither e-mail of the organization in the data folder, the Redis keyspace or an export', async () => {
    const files = await folderText(app.dataDir);
    for (const [path, text] of files) {
      for (const email of erasedEmails) {
        expect({ path, found: text.includes(email) }).toEqual({
          path,
          found: false,
        });
      }
    }
    const keyspace =
      redis === undefined ? '' : await keyspaceText(redis.client(), prefix);
    for (const email of erasedEmails) expect(keyspace).not.toContain(email);

    for (const format of ['ndjson', 'csv']) {
      const response = await fetch(
        `${app.baseUrl}/v1/audit/export?format=${format}`,
        { headers: { authorization: `Bearer ${app.tokens.support}` } },
      );
      const text = await response.text();
      expect(response.status).toBe(200);
      expect(text).toContain(orgId);
      for (const email of erasedEmails) expect(text).not.toContain(email);
    }

    // The search finds what is there: the other organization's address
    // is in its read models, while the events hold it encrypted only.
    const everything = [...files.values(), keyspace].join('\n');
    expect(everything).toContain(keptEmail);
    if (esdb) {
      expect(keyspace).toContain(`${prefix}erasure:keys`);
      return;
    }
    const events = [...files]
      .filter(([path]) => path.startsWith(join(app.dataDir, 'events.sqlite')))
      .map(([, text]) => text)
      .join('\n');
    expect(events).toContain(keptId);
    expect(events).not.toContain(keptEmail);
  });

  it('shows the personal values as erased in old states, the current one and the history', async () => {
    const support = app.tokens.support;
    const created = await app.get(
      support,
      `/v1/organizations/${orgId}/state?revision=0`,
    );
    expect(created.body).toMatchObject({
      revision: 0,
      state: {
        profile: { contactEmail: ERASED, displayName: 'Acme Industrial' },
      },
    });
    const current = await app.get(support, `/v1/organizations/${orgId}`);
    expect(current.body).toMatchObject({
      state: {
        status: 'deleted',
        profile: { contactEmail: ERASED, displayName: 'Acme Erased' },
        billing: { billingEmail: ERASED },
      },
    });
    const kept = await app.get(support, `/v1/organizations/${keptId}`);
    expect(kept.body).toMatchObject({
      state: { profile: { contactEmail: keptEmail } },
    });
  });

  it('keeps who did what, when and under which ticket, and the chain still verifies', async () => {
    const support = app.tokens.support;
    const listed = await app.get(
      support,
      `/v1/audit?orgId=${orgId}&order=oldest&limit=100`,
    );
    const entries = listed.body.items as AuditEntryJson[];
    expect(entries.map((e) => e.eventType)).toEqual([
      'OrganizationCreated',
      'ProfileUpdated',
      'BillingSettingsChanged',
      'DeletionRequested',
      'OrganizationDeleted',
    ]);
    expect(entries[0]).toMatchObject({
      actor: { type: 'support', id: 'agent-7' },
      reference: 'SUP-1',
    });
    expect(entries[0]?.changes).toContainEqual({
      path: 'profile.contactEmail',
      before: null,
      after: ERASED,
    });
    expect(entries[1]).toMatchObject({
      actor: { type: 'support', id: 'agent-7' },
      reference: 'SUP-21',
      changes: [
        {
          path: 'profile.displayName',
          before: 'Acme Industrial',
          after: 'Acme Erased',
        },
      ],
    });
    expect(entries[2]?.changes).toEqual([
      { path: 'billing.billingEmail', before: null, after: ERASED },
    ]);

    const integrity = await app.get(
      support,
      `/v1/organizations/${orgId}/integrity`,
    );
    expect(integrity.body).toMatchObject({
      valid: true,
      count: 5,
      revision: 4,
    });
  });

  it('stays erased after a restart and a rebuild of the read models', async () => {
    await app.restart();
    const support = app.tokens.support;
    const rebuilt = await app.request(
      'POST',
      '/v1/projections/audit/rebuild',
      support,
    );
    expect(rebuilt.status).toBe(202);
    const before = (rebuilt.body as { generation: number }).generation;
    await waitFor(async () => {
      const statuses = (await app.get(support, '/v1/projections')).body;
      const audit = Object.values(statuses).find(
        (s) => (s as { name?: string }).name === 'audit-history',
      ) as { state: string; generation: number } | undefined;
      return audit?.state === 'live' && audit.generation > before;
    });
    const listed = await app.get(
      support,
      `/v1/audit?orgId=${orgId}&order=oldest&limit=100`,
    );
    const text = JSON.stringify(listed.body);
    for (const email of erasedEmails) expect(text).not.toContain(email);
    expect((listed.body.items as AuditEntryJson[])[2]?.changes).toEqual([
      { path: 'billing.billingEmail', before: null, after: ERASED },
    ]);
  });
});
