import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { AppHarness } from '../support/app-harness.js';
import {
  createOrganization,
  envelope,
  uniqueName,
} from '../support/envelopes.js';
import { READ_MODEL_TARGETS } from '../support/store-targets.js';
import { waitFor } from '../support/wait-for.js';

describe.each(READ_MODEL_TARGETS)(
  'fleet and audit queries over HTTP, on $name',
  (target) => {
    let app: AppHarness;
    let stopStore: () => Promise<void>;
    let support: string;
    let prodId: string;
    let stagingId: string;
    let lastPosition: string;
    const tag = uniqueName('fleet');

    beforeAll(async () => {
      const store = await target.start();
      stopStore = store.stop;
      app = await AppHarness.start({
        ...store.env,
        READ_YOUR_WRITES_TIMEOUT_MS: '300',
      });
      support = app.tokens.support;
      prodId = (
        await app.accepted(
          support,
          createOrganization(`${tag}-prod`, {
            environment: 'production',
            region: 'eu',
            labels: { tier: 'gold' },
          }),
        )
      ).orgId as string;
      stagingId = (
        await app.accepted(
          support,
          createOrganization(`${tag}-staging`, { environment: 'staging' }),
        )
      ).orgId as string;
      const change = await app.accepted(
        support,
        envelope(
          'UpdateProfile',
          { contactEmail: 'noc@acme.example' },
          {
            orgId: prodId,
            reference: 'SUP-77',
          },
        ),
      );
      lastPosition = change.position as string;
    });

    afterAll(async () => {
      await app.stop();
      await stopStore();
    });

    it('reads its own write: a query naming the position waits for the read model', async () => {
      const reply = await app.get(
        support,
        `/v1/organizations/${prodId}/audit?after=${lastPosition}&order=newest&limit=1`,
      );
      expect(reply.status).toBe(200);
      expect(reply.body).toMatchObject({
        items: [
          {
            eventType: 'ProfileUpdated',
            orgId: prodId,
            actor: { type: 'support', id: 'agent-7' },
            reference: 'SUP-77',
            changes: [
              {
                path: 'profile.contactEmail',
                before: 'ops@acme.example',
                after: 'noc@acme.example',
              },
            ],
          },
        ],
      });
    });

    it('answers 503 rather than a read older than a write the caller names', async () => {
      const reply = await app.get(
        support,
        '/v1/organizations?after=999999999999',
      );
      expect(reply).toMatchObject({
        status: 503,
        body: { code: 'UNAVAILABLE' },
      });
    });

    it('lists the fleet filtered by environment, region, label and name prefix', async () => {
      const path = `/v1/organizations?namePrefix=${tag}&environment=production&region=eu&label=tier:gold&after=${lastPosition}`;
      const reply = await app.get(support, path);
      expect(reply.status).toBe(200);
      expect((reply.body.items as { id: string }[]).map((o) => o.id)).toEqual([
        prodId,
      ]);
    });

    it('pages the fleet with a cursor, every organization once', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const query: string =
          cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`;
        const reply = await app.get(
          support,
          `/v1/organizations?namePrefix=${tag}&limit=1${query}`,
        );
        seen.push(...(reply.body.items as { id: string }[]).map((o) => o.id));
        cursor = reply.body.nextCursor as string | null;
      } while (cursor !== null);
      expect(seen.sort()).toEqual([prodId, stagingId].sort());
    });

    it('filters the audit history by actor, event type and time range', async () => {
      const reply = await app.get(
        support,
        `/v1/audit?actor=support:agent-7&type=OrganizationCreated&from=2026-01-01T00:00:00Z&order=oldest&orgId=${stagingId}`,
      );
      expect(reply.body.items).toEqual([
        expect.objectContaining({
          eventType: 'OrganizationCreated',
          orgId: stagingId,
        }),
      ]);
    });

    it('shows a user only their own organization, and its history only with audit:read', async () => {
      const owner = app.tokens.user(prodId, 'owner-1');
      const fleet = await app.get(owner, '/v1/organizations');
      expect((fleet.body.items as { id: string }[]).map((o) => o.id)).toEqual([
        prodId,
      ]);
      expect(
        (await app.get(owner, `/v1/organizations/${stagingId}/audit`)).status,
      ).toBe(404);
      expect(
        (await app.get(owner, `/v1/organizations/${prodId}/audit`)).status,
      ).toBe(200);
      await app.accepted(
        support,
        envelope(
          'AddMember',
          { userId: 'viewer-9', role: 'viewer' },
          {
            orgId: prodId,
            reference: 'SUP-78',
          },
        ),
      );
      const viewer = app.tokens.user(prodId, 'viewer-9');
      await waitFor(
        async () => (await app.get(viewer, '/v1/organizations')).status === 200,
      );
      expect(
        (await app.get(viewer, `/v1/organizations/${prodId}/audit`)).status,
      ).toBe(403);
      expect((await app.get(app.tokens.service, '/v1/audit')).status).toBe(403);
    });

    it('exports the audit history as NDJSON and as CSV', async () => {
      const ndjson = await fetch(
        `${app.baseUrl}/v1/audit/export?format=ndjson&orgId=${prodId}`,
        {
          headers: { authorization: `Bearer ${support}` },
        },
      );
      expect(ndjson.headers.get('content-type')).toContain(
        'application/x-ndjson',
      );
      const lines = (await ndjson.text())
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { orgId: string });
      expect(lines.length).toBeGreaterThanOrEqual(2);
      expect(lines.every((l) => l.orgId === prodId)).toBe(true);

      const csv = await fetch(
        `${app.baseUrl}/v1/audit/export?format=csv&orgId=${prodId}`,
        {
          headers: { authorization: `Bearer ${support}` },
        },
      );
      const rows = (await csv.text()).trim().split('\n');
      expect(rows[0]).toBe(
        'position,occurredAt,orgId,orgName,eventType,actorType,actorId,reference,commandId,correlationId,causationId,changes',
      );
      expect(rows).toHaveLength(lines.length + 1);
    });

    it('rebuilds a read model while it keeps serving, and shows the progress', async () => {
      const started = await app.request(
        'POST',
        '/v1/projections/directory/rebuild',
        support,
      );
      expect(started.status).toBe(202);
      await waitFor(async () => {
        const statuses = (await app.get(support, '/v1/projections'))
          .body as unknown as {
          name: string;
          state: string;
          generation: number;
        }[];
        const directory = statuses.find((s) => s.name.includes('directory'));
        return directory?.state === 'live' && directory.generation > 1;
      });
      const reply = await app.get(
        support,
        `/v1/organizations?namePrefix=${tag}`,
      );
      expect(reply.body.items).toHaveLength(2);
    });

    it('reports the projections in health and metrics', async () => {
      const health = await app.get(null, '/health');
      expect(health.body).toMatchObject({ status: 'ok' });
      expect((health.body.projections as unknown[]).length).toBe(2);
      const metrics = await (await fetch(`${app.baseUrl}/metrics`)).text();
      expect(metrics).toContain('organizations_projection_lag_events');
      expect(metrics).toContain('organizations_projection_stopped');
    });
  },
);
