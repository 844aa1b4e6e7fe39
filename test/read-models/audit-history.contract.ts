import { afterEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';

import type { Actor } from '@org/domain';
import type { RecordedEvent } from '@org/event-store';
import {
  type AuditEntry,
  type AuditQuery,
  type FieldChange,
  InvalidQueryError,
  positionToJson,
} from '@org/read-models';

import { SERVICE } from './support/organization-log.js';
import {
  type OpenReadModels,
  ReadModelsHarness,
} from './support/read-models-harness.js';

function uniqueName(prefix = 'org'): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

const yieldToEventLoop = () => new Promise(setImmediate);

/** Every entry of a query, walking its pages. */
async function walk(
  h: ReadModelsHarness,
  query: AuditQuery,
): Promise<AuditEntry[]> {
  const entries: AuditEntry[] = [];
  let cursor: string | undefined;
  do {
    const page = await h.audit.list({ ...query, cursor });
    entries.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return entries;
}

interface Expected {
  readonly actor: { type: string; id: string };
  readonly reference: string | null;
  readonly changes: readonly FieldChange[];
  readonly personal: readonly string[];
}

/**
 * The contract of the audit history on every adapter: entries, filters,
 * order, cursors, exports, and paging while new entries arrive.
 */
export function describeAuditContract(
  adapter: string,
  open: OpenReadModels,
): void {
  describe(`${adapter} audit history`, () => {
    const harnesses: ReadModelsHarness[] = [];

    async function started(batchSize?: number): Promise<ReadModelsHarness> {
      const harness = await ReadModelsHarness.open(open, { batchSize });
      harnesses.push(harness);
      await harness.start();
      return harness;
    }

    afterEach(async () => {
      await Promise.all(harnesses.splice(0).map((h) => h.close()));
    });

    it('tells a scripted lifecycle entry by entry, with before and after values', async () => {
      const h = await started(3);
      const name = uniqueName('life');
      const owner = `owner-of-${name}`;
      const support = { type: 'support', id: 'agent-7' };
      const id = await h.log.create(
        name,
        { environment: 'production', region: 'eu', labels: { team: 'core' } },
        {
          reference: 'SUP-100',
          commandId: 'cmd-1',
          correlationId: 'corr-1',
          causationId: 'cause-1',
        },
      );
      const newOwner: Actor = { type: 'user', id: 'u-2', orgId: id };
      await h.log.run(
        id,
        {
          type: 'UpdateProfile',
          payload: { contactEmail: `new@${name}.example` },
        },
        { reference: 'SUP-101' },
      );
      await h.log.run(id, {
        type: 'AddMember',
        payload: { userId: 'u-2', role: 'developer' },
      });
      await h.log.run(
        id,
        {
          type: 'AllocateResource',
          payload: {
            resource: 'devices',
            quantity: 8000,
            idempotencyKey: 'a1',
          },
        },
        { actor: SERVICE },
      );
      await h.log.run(id, {
        type: 'ChangeLabels',
        payload: { environment: 'staging', labels: { team: 'edge' } },
      });
      await h.log.run(id, {
        type: 'SuspendOrganization',
        payload: { reason: 'unpaid' },
      });
      await h.log.run(id, { type: 'ReactivateOrganization', payload: {} });
      await h.log.run(id, {
        type: 'TransferOwnership',
        payload: { newOwnerUserId: 'u-2' },
      });
      await h.log.run(
        id,
        {
          type: 'ChangeBillingSettings',
          payload: { billingEmail: `billing@${name}.example` },
        },
        { actor: newOwner },
      );
      await h.log.run(id, {
        type: 'PlaceLegalHold',
        payload: { caseReference: 'CASE-1', reason: 'litigation' },
      });
      await h.caughtUp();

      const ownerMember = { userId: owner, role: 'owner', permissions: [] };
      const developer = { userId: 'u-2', role: 'developer', permissions: [] };
      const change = (path: string, before: unknown, after: unknown) => ({
        path,
        before,
        after,
      });
      const bySupport = (
        changes: FieldChange[],
        personal: string[] = [],
        reference = 'SUP-1',
      ): Expected => ({ actor: support, reference, changes, personal });
      const expected: Expected[] = [
        bySupport(
          [
            change('name', null, name),
            change('status', null, 'active'),
            change('profile.displayName', null, `Org ${name}`),
            change('profile.contactEmail', null, `ops@${name}.example`),
            change('labels.environment', null, 'production'),
            change('labels.region', null, 'eu'),
            change('labels.labels.team', null, 'core'),
            change('security.twoFactorRequired', null, false),
            change('security.ipAllowlist', null, []),
            change('security.sessionTimeoutMinutes', null, 720),
            change('security.apiKeyRotation.warnBeforeDays', null, 0),
            change('billing.usageAlertThresholds', null, [80, 100]),
            change('limits.products', null, 100),
            change('limits.devices', null, 10_000),
            change('limits.users', null, 50),
            change('limits.api_keys', null, 100),
            change('limits.webhooks', null, 25),
            change('usage.products', null, 0),
            change('usage.devices', null, 0),
            change('usage.api_keys', null, 0),
            change('usage.webhooks', null, 0),
            change('balance.outstandingCents', null, 0),
            change('ownerUserId', null, owner),
            change('members', null, ownerMember),
          ],
          ['profile.contactEmail', 'ownerUserId', 'members.userId'],
          'SUP-100',
        ),
        bySupport(
          [
            change(
              'profile.contactEmail',
              `ops@${name}.example`,
              `new@${name}.example`,
            ),
          ],
          ['profile.contactEmail'],
          'SUP-101',
        ),
        bySupport([change('members', null, developer)], ['members.userId']),
        {
          actor: { type: 'service', id: 'devices-service' },
          reference: null,
          changes: [change('usage.devices', 0, 8000)],
          personal: [],
        },
        {
          actor: { type: 'service', id: 'devices-service' },
          reference: null,
          changes: [],
          personal: [],
        },
        bySupport([
          change('labels.environment', 'production', 'staging'),
          change('labels.labels.team', 'core', 'edge'),
        ]),
        bySupport([
          change('status', 'active', 'suspended'),
          change('suspensionReason', null, 'unpaid'),
        ]),
        bySupport([
          change('status', 'suspended', 'active'),
          change('suspensionReason', 'unpaid', null),
        ]),
        bySupport(
          [
            change('ownerUserId', owner, 'u-2'),
            change('members', ownerMember, { ...ownerMember, role: 'admin' }),
            change('members', developer, { ...developer, role: 'owner' }),
          ],
          ['ownerUserId', 'members.userId'],
        ),
        {
          actor: { type: 'user', id: 'u-2' },
          reference: null,
          changes: [
            change('billing.billingEmail', null, `billing@${name}.example`),
          ],
          personal: ['actor.id', 'billing.billingEmail'],
        },
        bySupport([
          change('legalHolds', null, {
            caseReference: 'CASE-1',
            reason: 'litigation',
          }),
        ]),
      ];
      const recorded = await h.store.readStream(`organization-${id}`);
      const entries = await walk(h, { orgId: id, order: 'oldest', limit: 4 });

      expect(recorded.map((event) => event.type)).toEqual([
        'OrganizationCreated',
        'ProfileUpdated',
        'MemberAdded',
        'ResourceAllocated',
        'UsageThresholdCrossed',
        'LabelsChanged',
        'OrganizationSuspended',
        'OrganizationReactivated',
        'OwnershipTransferred',
        'BillingSettingsChanged',
        'LegalHoldPlaced',
      ]);
      expect(entries).toHaveLength(expected.length);
      recorded.forEach((event, i) => {
        expect(entries[i]).toEqual({
          ...identity(event, id, name),
          ...expected[i],
        });
      });
      expect(entries[0]).toMatchObject({
        commandId: 'cmd-1',
        correlationId: 'corr-1',
        causationId: 'cause-1',
      });
    });

    it('filters by organization, actor, event type and time, in any combination', async () => {
      const h = await started();
      const agent9: Actor = { type: 'support', id: 'agent-9' };
      const a = await h.log.create(uniqueName('a'));
      const b = await h.log.create(uniqueName('b'), {}, { actor: agent9 });
      h.log.advance(3_600_000);
      const noon = new Date(Date.parse(await lastOccurred(h)) + 1_800_000);
      await h.log.run(a, {
        type: 'UpdateProfile',
        payload: { displayName: 'A2' },
      });
      await h.log.run(
        b,
        { type: 'UpdateProfile', payload: { displayName: 'B2' } },
        { actor: agent9 },
      );
      await h.log.run(
        b,
        {
          type: 'AllocateResource',
          payload: { resource: 'webhooks', quantity: 1, idempotencyKey: 'w' },
        },
        { actor: SERVICE },
      );
      await h.caughtUp();
      const all = await walk(h, { order: 'oldest' });
      const types = (query: AuditQuery) =>
        walk(h, { order: 'oldest', ...query }).then((entries) =>
          entries.map((e) => `${e.orgId === a ? 'a' : 'b'}:${e.eventType}`),
        );

      expect(all).toHaveLength(5);
      expect(await types({ orgId: a })).toEqual([
        'a:OrganizationCreated',
        'a:ProfileUpdated',
      ]);
      expect(await types({ actor: agent9 })).toEqual([
        'b:OrganizationCreated',
        'b:ProfileUpdated',
      ]);
      expect(await types({ eventTypes: ['ProfileUpdated'] })).toEqual([
        'a:ProfileUpdated',
        'b:ProfileUpdated',
      ]);
      expect(
        await types({
          eventTypes: ['ResourceAllocated', 'OrganizationCreated'],
        }),
      ).toEqual([
        'a:OrganizationCreated',
        'b:OrganizationCreated',
        'b:ResourceAllocated',
      ]);
      expect(await types({ from: noon })).toEqual([
        'a:ProfileUpdated',
        'b:ProfileUpdated',
        'b:ResourceAllocated',
      ]);
      expect(await types({ to: noon.toISOString() })).toEqual([
        'a:OrganizationCreated',
        'b:OrganizationCreated',
      ]);
      expect(
        await types({ orgId: b, from: noon, eventTypes: ['ProfileUpdated'] }),
      ).toEqual(['b:ProfileUpdated']);
      expect(await types({ actor: agent9, to: noon })).toEqual([
        'b:OrganizationCreated',
      ]);
      expect(await types({ actor: SERVICE, orgId: a })).toEqual([]);
    });

    it('lists newest or oldest first with cursors, and exports the same', async () => {
      const h = await started();
      const id = await h.log.create(uniqueName());
      for (let i = 0; i < 6; i += 1) {
        await h.log.run(id, {
          type: 'UpdateProfile',
          payload: { displayName: `v${i}` },
        });
      }
      await h.caughtUp();
      const ids = (entries: readonly AuditEntry[]) =>
        entries.map((e) => e.eventId);

      const oldest = await walk(h, { order: 'oldest', limit: 2 });
      const newest = await walk(h, { limit: 3 });
      const exported: AuditEntry[] = [];
      for await (const entry of h.audit.entries({
        order: 'oldest',
        pageSize: 2,
      })) {
        exported.push(entry);
      }

      expect(oldest).toHaveLength(7);
      expect(ids(newest)).toEqual(ids(oldest).reverse());
      expect(ids(exported)).toEqual(ids(oldest));
      const first = await h.audit.list({ limit: 2 });
      await expect(
        h.audit.list({ order: 'oldest', cursor: first.nextCursor ?? '' }),
      ).rejects.toBeInstanceOf(InvalidQueryError);
      await expect(h.audit.list({ from: 'yesterday' })).rejects.toBeInstanceOf(
        InvalidQueryError,
      );
    });

    it('walks every page exactly once while commands keep arriving', async () => {
      const h = await started(4);
      const p = uniqueName('cc');
      const ids: string[] = [];
      // Random but unique, so that new names fall between the old ones.
      const name = (i: number) => `${p}-${randomUUID().slice(0, 6)}-${i}`;
      for (let i = 0; i < 25; i += 1) ids.push(await h.log.create(name(i)));
      await h.caughtUp();
      const names = (
        await h.directory.list({ namePrefix: p, limit: 1000 })
      ).items.map((entry) => entry.name);
      const events = (await walk(h, {})).map((entry) => entry.eventId);

      // Bounded, so that an oldest-first walk catches up with the writes.
      const done = new AbortController();
      let writes = 0;
      const writer = (async () => {
        for (; writes < 40 && !done.signal.aborted; writes += 1) {
          await h.log.create(name(ids.length + writes));
          await h.log.run(ids[writes % ids.length] ?? '', {
            type: 'UpdateProfile',
            payload: { displayName: `w${writes}` },
          });
          await yieldToEventLoop();
        }
      })();
      const walked = {
        directory: [] as string[],
        newest: [] as string[],
        oldest: [] as string[],
      };
      let cursor: string | undefined;
      do {
        const page = await h.directory.list({
          namePrefix: p,
          limit: 3,
          cursor,
        });
        walked.directory.push(...page.items.map((entry) => entry.name));
        cursor = page.nextCursor ?? undefined;
        await yieldToEventLoop();
      } while (cursor !== undefined);
      for (const order of ['newest', 'oldest'] as const) {
        do {
          const page = await h.audit.list({ order, limit: 4, cursor });
          walked[order].push(...page.items.map((entry) => entry.eventId));
          cursor = page.nextCursor ?? undefined;
          await yieldToEventLoop();
        } while (cursor !== undefined);
      }
      done.abort();
      await writer;
      await h.caughtUp();

      expect(writes).toBeGreaterThan(0);
      expect((await walk(h, {})).length).toBeGreaterThan(events.length);
      expect(onceEach(walked.directory, names)).toBe(true);
      expect(onceEach(walked.newest, events)).toBe(true);
      expect(onceEach(walked.oldest, events)).toBe(true);
    });
  });
}

/** Whether every expected item is walked exactly once, and nothing twice. */
function onceEach(walked: readonly string[], expected: readonly string[]) {
  const counts = new Map<string, number>();
  walked.forEach((item) => counts.set(item, (counts.get(item) ?? 0) + 1));
  return (
    [...counts.values()].every((count) => count === 1) &&
    expected.every((item) => counts.get(item) === 1)
  );
}

function identity(event: RecordedEvent, orgId: string, orgName: string) {
  const metadata = event.metadata;
  return {
    position: positionToJson(event.position),
    eventId: event.id,
    eventType: event.type,
    orgId,
    orgName,
    revision: event.revision,
    occurredAt: metadata.occurredAt,
    recordedAt: event.recordedAt,
    commandId: metadata.commandId,
    correlationId: metadata.correlationId,
    causationId: metadata.causationId,
  };
}

async function lastOccurred(h: ReadModelsHarness): Promise<string> {
  const [last] = await h.store
    .readAll({ after: undefined })
    .then((all) => all.slice(-1));
  return String(last?.metadata.occurredAt);
}
