import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import {
  type ChainedEvent,
  type SignedDigest,
  verifyChain,
  verifyDigest,
} from '@org/event-store';

import { AppHarness } from '../support/app-harness.js';
import {
  createOrganization,
  envelope,
  uniqueName,
} from '../support/envelopes.js';

const HOUR = 3_600_000;
const STREAM = 'integrity-digests';

interface Listed {
  readonly revision: number;
  readonly periodStart: string;
  readonly digest: SignedDigest;
}

function digestRows(app: AppHarness): { revision: number; data: string }[] {
  const db = new Database(join(app.dataDir, 'events.sqlite'), {
    readonly: true,
  });
  try {
    return db
      .prepare<[string], { revision: number; data: string }>(
        'SELECT revision, data FROM events WHERE stream_id = ? ORDER BY revision',
      )
      .all(STREAM);
  } finally {
    db.close();
  }
}

describe('integrity digests on a schedule, with two replicas', () => {
  let first: AppHarness;
  let second: AppHarness;
  let orgId: string;

  beforeAll(async () => {
    const env = {
      INTEGRITY_DIGEST_EVERY_MS: String(HOUR),
      DELETION_CHECK_INTERVAL_MS: '0',
    };
    first = await AppHarness.start(env);
    second = await first.replica(env);
    const created = await first.accepted(
      first.tokens.support,
      createOrganization(uniqueName('digest')),
    );
    orgId = String(created.orgId);
  });

  afterAll(async () => {
    await second.close();
    await first.stop();
  });

  const list = async (query = '') => {
    const reply = await first.get(
      first.tokens.support,
      `/v1/integrity/digests${query}`,
    );
    expect(reply.status).toBe(200);
    return reply.body as { items: Listed[]; nextCursor: string | null };
  };

  it('stores one digest per period although both replicas run at once', async () => {
    const runs = await Promise.all([
      first.signScheduledDigest(),
      second.signScheduledDigest(),
    ]);
    const again = await second.signScheduledDigest();

    expect(runs).toContain('signed');
    expect(again).toBe('present');
    expect(digestRows(first)).toHaveLength(1);
  });

  it('signs the next period once the clock reaches it, with the new heads', async () => {
    await first.accepted(
      first.tokens.support,
      envelope(
        'UpdateProfile',
        { displayName: 'Acme Renamed' },
        { orgId, reference: 'SUP-2' },
      ),
    );
    first.clock.advance(HOUR);

    await Promise.all([
      first.signScheduledDigest(),
      second.signScheduledDigest(),
    ]);

    const rows = digestRows(first);
    expect(rows.map((row) => row.revision)).toEqual([0, 1]);
    const { items } = await list();
    expect(items.map((item) => item.revision)).toEqual([1, 0]);
    expect(Date.parse(items[0]?.periodStart ?? '') % HOUR).toBe(0);
    expect(
      items[0]?.digest.organizations.find((entry) => entry.orgId === orgId),
    ).toMatchObject({ revision: 1 });
    expect(
      items[1]?.digest.organizations.find((entry) => entry.orgId === orgId),
    ).toMatchObject({ revision: 0 });
  });

  it('keeps each digest verifiable with the public key alone', async () => {
    const publicKey = readFileSync(
      join(first.dataDir, 'integrity-signing-key.pub.pem'),
      'utf8',
    );
    const { items } = await list();

    for (const item of items) {
      expect(verifyDigest(item.digest, publicKey)).toEqual({ valid: true });
    }
  });

  it('pages newest first with a cursor, for support only', async () => {
    const page1 = await list('?limit=1');
    const page2 = await list(
      `?limit=1&cursor=${encodeURIComponent(page1.nextCursor ?? '')}`,
    );
    const asSales = await first.get(
      first.tokens.sales,
      '/v1/integrity/digests',
    );
    const badCursor = await first.get(
      first.tokens.support,
      '/v1/integrity/digests?cursor=abc',
    );
    const badLimit = await first.get(
      first.tokens.support,
      '/v1/integrity/digests?limit=0',
    );

    expect(page1.items.map((item) => item.revision)).toEqual([1]);
    expect(page2).toMatchObject({ nextCursor: null });
    expect(page2.items.map((item) => item.revision)).toEqual([0]);
    expect(asSales.status).toBe(403);
    expect(badCursor.status).toBe(400);
    expect(badLimit.status).toBe(400);
  });

  it('keeps the digest stream out of the read models and the audit history', async () => {
    const audit = await first.get(first.tokens.support, '/v1/audit?limit=1000');
    const projections = await first.get(
      first.tokens.support,
      '/v1/projections',
    );

    const types = (audit.body.items as { eventType: string }[]).map(
      (entry) => entry.eventType,
    );
    expect(types).not.toContain('IntegrityDigestSigned');
    expect(projections.body).not.toContainEqual(
      expect.objectContaining({ state: 'stopped' }),
    );
  });

  it('makes no digest when the schedule is off', async () => {
    const off = await AppHarness.start();
    try {
      expect(await off.signScheduledDigest()).toBe('off');
      expect(digestRows(off)).toEqual([]);
    } finally {
      await off.stop();
    }
  });
});

describe('an organization history exported as stored', () => {
  let app: AppHarness;

  beforeAll(async () => {
    app = await AppHarness.start({ DELETION_CHECK_INTERVAL_MS: '0' });
  });

  afterAll(async () => {
    await app.stop();
  });

  it('gives every event with its chain keys, verifiable offline', async () => {
    const created = await app.accepted(
      app.tokens.support,
      createOrganization(uniqueName('history')),
    );
    const orgId = String(created.orgId);
    await app.accepted(
      app.tokens.support,
      envelope(
        'ChangeLabels',
        { environment: 'production' },
        { orgId, reference: 'SUP-2' },
      ),
    );

    const reply = await app.get(
      app.tokens.support,
      `/v1/organizations/${orgId}/integrity/history`,
    );

    expect(reply.status).toBe(200);
    const events = reply.body.events as ChainedEvent[];
    expect(reply.body).toMatchObject({
      format: 'organization-history/1',
      orgId,
      streamId: `organization-${orgId}`,
    });
    expect(events.map((event) => event.revision)).toEqual([0, 1]);
    expect(events[1]?.metadata).toHaveProperty('$hash');
    expect(verifyChain(events)).toMatchObject({ valid: true, count: 2 });
  });

  it('is refused to those who may not read the history', async () => {
    const created = await app.accepted(
      app.tokens.support,
      createOrganization(uniqueName('history')),
    );
    const path = `/v1/organizations/${String(created.orgId)}/integrity/history`;

    const asSales = await app.get(app.tokens.sales, path);
    const missing = await app.get(
      app.tokens.support,
      '/v1/organizations/0192f6c3-0000-7000-8000-00000000dead/integrity/history',
    );

    expect(asSales.status).toBe(403);
    expect(missing.status).toBe(404);
  });
});
