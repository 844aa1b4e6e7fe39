import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  evolve,
  type OrganizationEvent,
  type OrganizationState,
} from '@org/domain';

import { AppHarness } from '../support/app-harness.js';
import {
  createOrganization,
  envelope,
  uniqueName,
} from '../support/envelopes.js';
import { STORE_TARGETS } from '../support/store-targets.js';

const HOUR = 3_600_000;

describe.each(STORE_TARGETS)(
  'the state of an organization at a past revision or moment, on $name',
  (target) => {
    let app: AppHarness;
    let stopStore: () => Promise<void>;
    let orgId: string;
    const moments: string[] = [];

    const fold = (events: readonly OrganizationEvent[]) => {
      const { recentIdempotencyKeys: _, ...state } =
        events.reduce<OrganizationState>(evolve, null)!;
      return state;
    };

    beforeAll(async () => {
      const store = await target.start();
      stopStore = store.stop;
      app = await AppHarness.start(store.env);
      orgId = (
        await app.accepted(app.tokens.support, createOrganization(uniqueName()))
      ).orgId as string;
      for (const displayName of ['Second name', 'Third name', 'Fourth name']) {
        moments.push(app.clock.now().toISOString());
        app.clock.advance(HOUR);
        await app.accepted(
          app.tokens.support,
          envelope(
            'UpdateProfile',
            { displayName },
            { orgId, reference: 'SUP-5' },
          ),
        );
      }
    });

    afterAll(async () => {
      await app.stop();
      await stopStore();
    });

    async function events(): Promise<OrganizationEvent[]> {
      const reply = await app.get(
        app.tokens.support,
        `/v1/organizations/${orgId}`,
      );
      expect(reply.body.revision).toBe(3);
      return app.organizationEvents(orgId);
    }

    it.each([0, 1, 2, 3])(
      'equals folding the events up to revision %p',
      async (revision) => {
        const all = await events();
        const reply = await app.get(
          app.tokens.support,
          `/v1/organizations/${orgId}/state?revision=${revision}`,
        );
        expect(reply.body).toEqual({
          orgId,
          revision,
          state: fold(all.slice(0, revision + 1)),
        });
      },
    );

    it.each([0, 1, 2])(
      'equals folding the events recorded up to moment %p',
      async (i) => {
        const all = await events();
        const at = moments[i]!;
        const reply = await app.get(
          app.tokens.support,
          `/v1/organizations/${orgId}/state?at=${encodeURIComponent(at)}`,
        );
        const upTo = all.filter((e) => e.metadata.occurredAt <= at);
        expect(reply.body).toEqual({
          orgId,
          revision: upTo.length - 1,
          state: fold(upTo),
        });
        expect(reply.body.state).toMatchObject({
          profile: {
            displayName: ['Acme Industrial', 'Second name', 'Third name'][i],
          },
        });
      },
    );

    it('answers NOT_FOUND for a moment before the organization existed', async () => {
      const reply = await app.get(
        app.tokens.support,
        `/v1/organizations/${orgId}/state?at=2020-01-01T00:00:00Z`,
      );
      expect(reply).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
    });

    it('refuses a request naming neither or both of at and revision', async () => {
      for (const query of [
        '',
        '?at=2026-12-01T00:00:00Z&revision=1',
        '?revision=-1',
        '?at=yesterday',
      ]) {
        const reply = await app.get(
          app.tokens.support,
          `/v1/organizations/${orgId}/state${query}`,
        );
        expect(reply).toMatchObject({
          status: 400,
          body: { code: 'VALIDATION_FAILED' },
        });
      }
    });

    it('shows history to members with audit:read only', async () => {
      const owner = app.tokens.user(orgId, 'owner-1');
      await app.accepted(
        app.tokens.support,
        envelope(
          'AddMember',
          { userId: 'viewer-1', role: 'viewer' },
          { orgId, reference: 'S' },
        ),
      );
      const viewer = app.tokens.user(orgId, 'viewer-1');
      const path = `/v1/organizations/${orgId}/state?revision=1`;
      expect((await app.get(owner, path)).status).toBe(200);
      expect(await app.get(viewer, path)).toMatchObject({
        status: 403,
        body: { code: 'FORBIDDEN' },
      });
      expect((await app.get(viewer, `/v1/organizations/${orgId}`)).status).toBe(
        200,
      );
    });
  },
);
