import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { AppHarness } from '../support/app-harness.js';
import {
  createOrganization,
  envelope,
  uniqueName,
} from '../support/envelopes.js';
import { STORE_TARGETS } from '../support/store-targets.js';

const DAY = 86_400_000;

describe.each(STORE_TARGETS)(
  'an organization’s whole lifecycle over HTTP, on $name',
  (target) => {
    let app: AppHarness;
    let stopStore: () => Promise<void>;
    let support: string;
    let service: string;
    let orgId: string;
    let owner: string;

    const asSupport = (type: string, payload: Record<string, unknown>) =>
      envelope(type, payload, { orgId, reference: 'SUP-2' });
    const asService = (type: string, payload: Record<string, unknown>) =>
      envelope(type, payload, { orgId });
    const state = async () =>
      (await app.get(support, `/v1/organizations/${orgId}`)).body;

    beforeAll(async () => {
      const store = await target.start();
      stopStore = store.stop;
      app = await AppHarness.start(store.env);
      support = app.tokens.support;
      service = app.tokens.service;
    });

    afterAll(async () => {
      await app.stop();
      await stopStore();
    });

    it('creates an organization under an id the service chooses', async () => {
      const name = uniqueName();
      const reply = await app.accepted(support, createOrganization(name));
      orgId = reply.orgId as string;
      owner = app.tokens.user(orgId, 'owner-1');

      expect(reply).toMatchObject({
        status: 'accepted',
        revision: 0,
        events: [{ type: 'OrganizationCreated' }],
      });
      expect(orgId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
      expect(await state()).toMatchObject({
        orgId,
        revision: 0,
        state: { name, status: 'active' },
      });
    });

    it('changes settings as the owner and records only what changed', async () => {
      const reply = await app.accepted(
        owner,
        envelope(
          'ChangeSecuritySettings',
          {
            twoFactorRequired: true,
            ipAllowlist: ['10.1.2.3/8'],
            sessionTimeoutMinutes: 720,
          },
          { orgId },
        ),
      );
      expect(reply.events).toEqual([
        { id: expect.any(String), type: 'SecuritySettingsChanged' },
      ]);
      expect(await state()).toMatchObject({
        state: {
          security: { twoFactorRequired: true, ipAllowlist: ['10.0.0.0/8'] },
        },
      });
    });

    it('adds members, raises a limit and takes allocations with a threshold crossing', async () => {
      await app.accepted(
        support,
        asSupport('AddMember', { userId: 'dev-1', role: 'developer' }),
      );
      await app.accepted(
        support,
        asSupport('AddMember', { userId: 'ops-1', role: 'operator' }),
      );
      await app.accepted(
        support,
        asSupport('SetResourceLimit', { resource: 'webhooks', limit: 10 }),
      );
      await app.accepted(
        service,
        asService('AllocateResource', {
          resource: 'devices',
          quantity: 3,
          idempotencyKey: 'd-1',
        }),
      );
      const crossing = await app.accepted(
        service,
        asService('AllocateResource', {
          resource: 'webhooks',
          quantity: 8,
          idempotencyKey: 'w-1',
        }),
      );
      expect(
        (crossing.events as { type: string }[]).map((e) => e.type),
      ).toEqual(['ResourceAllocated', 'UsageThresholdCrossed']);
      await app.accepted(
        service,
        asService('RecordDeploymentStarted', { deploymentId: 'dep-1' }),
      );
      await app.accepted(
        service,
        asService('RecordBillingBalance', {
          outstandingCents: 4200,
          currency: 'EUR',
        }),
      );
    });

    it('refuses deletion listing every unmet precondition with its numbers', async () => {
      const before = (await state()).revision;
      const reply = await app.command(
        owner,
        envelope('RequestDeletion', {}, { orgId }),
      );

      expect(reply.status).toBe(422);
      expect(reply.headers.get('content-type')).toContain(
        'application/problem+json',
      );
      expect(reply.body).toMatchObject({
        code: 'PRECONDITIONS_UNMET',
        detail:
          '3 devices remain; 1 deployment is active; 2 members other than the owner remain; ' +
          '4200 cents EUR are outstanding',
        details: {
          unmet: [
            { precondition: 'devices_remain', devices: 3 },
            { precondition: 'deployments_active', deployments: 1 },
            { precondition: 'members_remain', members: 2 },
            {
              precondition: 'balance_outstanding',
              outstandingCents: 4200,
              currency: 'EUR',
            },
          ],
        },
      });
      expect((await state()).revision).toBe(before);
    });

    it('accepts the deletion once released, stopped, removed and paid, then cancels it', async () => {
      await app.accepted(
        service,
        asService('ReleaseResource', {
          resource: 'devices',
          quantity: 3,
          idempotencyKey: 'd-2',
        }),
      );
      await app.accepted(
        service,
        asService('RecordDeploymentStopped', { deploymentId: 'dep-1' }),
      );
      await app.accepted(
        support,
        asSupport('RemoveMember', { userId: 'dev-1' }),
      );
      await app.accepted(
        support,
        asSupport('RemoveMember', { userId: 'ops-1' }),
      );
      await app.accepted(
        service,
        asService('RecordBillingBalance', {
          outstandingCents: 0,
          currency: 'EUR',
        }),
      );

      const requested = await app.accepted(
        owner,
        envelope('RequestDeletion', { gracePeriodDays: 7 }, { orgId }),
      );
      expect(requested.events).toEqual([
        { id: expect.any(String), type: 'DeletionRequested' },
      ]);
      expect(await state()).toMatchObject({
        state: {
          status: 'deletion_scheduled',
          deletion: {
            effectiveAt: new Date(
              app.clock.now().getTime() + 7 * DAY,
            ).toISOString(),
          },
        },
      });

      const frozen = await app.command(
        owner,
        envelope('UpdateProfile', { displayName: 'Renamed' }, { orgId }),
      );
      expect(frozen).toMatchObject({
        status: 409,
        body: { code: 'INVALID_STATE' },
      });

      app.clock.advance(3 * DAY);
      await app.accepted(owner, envelope('CancelDeletion', {}, { orgId }));
      expect(await state()).toMatchObject({
        state: { status: 'active', deletion: null },
      });
    });

    it('requests deletion again and completes it when the grace period is over', async () => {
      await app.accepted(
        owner,
        envelope('RequestDeletion', { gracePeriodDays: 1 }, { orgId }),
      );
      app.clock.advance(DAY);
      await app.accepted(support, asSupport('CompleteDeletion', {}));

      expect(await state()).toMatchObject({ state: { status: 'deleted' } });
      const afterwards = await app.command(
        support,
        asSupport('ReactivateOrganization', {}),
      );
      expect(afterwards.body).toMatchObject({ code: 'INVALID_STATE' });
    });
  },
);
