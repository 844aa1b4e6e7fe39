import { afterEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';

import { ERASED, type Organization } from '@org/domain';
import {
  ErasingEventStore,
  InMemoryEventStore,
  InMemoryKeyStore,
  ORGANIZATION_PERSONAL_DATA,
  PersonalDataCipher,
  type RecordedEvent,
} from '@org/event-store';
import {
  AuditHistoryProjection,
  CheckpointConflictError,
  type DirectoryEntry,
  InvalidQueryError,
  OrganizationDirectoryProjection,
  positionToJson,
} from '@org/read-models';

import { SERVICE } from './support/organization-log.js';
import {
  type OpenReadModels,
  ReadModelsHarness,
} from './support/read-models-harness.js';

/** A name no other test uses. */
function uniqueName(prefix = 'org'): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

/** The directory's view of a state the domain folded. */
function viewOf(state: Organization | null): Partial<DirectoryEntry> {
  if (state === null) throw new Error('no such organization');
  const { recentIdempotencyKeys: _internal, ...view } = state;
  return view;
}

/**
 * The contract every read-model adapter meets: the organization directory,
 * the audit history, and what the projection runner does with them.
 */
export function describeReadModelsContract(
  adapter: string,
  open: OpenReadModels,
): void {
  describe(`${adapter} read models`, () => {
    const harnesses: ReadModelsHarness[] = [];

    async function started(
      options: Parameters<typeof ReadModelsHarness.open>[1] = {},
    ): Promise<ReadModelsHarness> {
      const harness = await ReadModelsHarness.open(open, options);
      harnesses.push(harness);
      await harness.start();
      return harness;
    }

    afterEach(async () => {
      await Promise.all(harnesses.splice(0).map((h) => h.close()));
    });

    describe('organization directory', () => {
      it('holds the current state the domain folds, without internals', async () => {
        const h = await started();
        const id = await h.log.create(uniqueName(), { region: 'eu' });
        await h.log.run(id, {
          type: 'UpdateProfile',
          payload: { displayName: 'Renamed' },
        });
        await h.log.run(
          id,
          {
            type: 'AllocateResource',
            payload: { resource: 'devices', quantity: 3, idempotencyKey: 'k1' },
          },
          { actor: SERVICE },
        );
        await h.caughtUp();

        const entry = await h.directory.getById(id);

        expect(entry).toMatchObject(viewOf(h.log.state(id)));
        expect(entry).not.toHaveProperty('recentIdempotencyKeys');
        expect(entry?.revision).toBe(2);
        expect(entry?.profile.displayName).toBe('Renamed');
        expect(entry?.usage.devices).toBe(3);
      });

      it('finds an organization by name, whatever its case', async () => {
        const h = await started();
        const name = uniqueName('acme');
        const id = await h.log.create(name);
        await h.caughtUp();

        expect((await h.directory.getByName(name.toUpperCase()))?.id).toBe(id);
        expect(await h.directory.getByName(uniqueName('none'))).toBeNull();
        expect(await h.directory.getById(randomUUID())).toBeNull();
      });

      it('lists by every filter, alone and combined, ordered by name', async () => {
        const h = await started();
        const p = uniqueName('f');
        const make = (suffix: string, payload: object) =>
          h.log.create(`${p}-${suffix}`, payload);
        const a = await make('a', {
          environment: 'production',
          businessUnit: 'industrial',
          region: 'eu',
          labels: { tier: 'gold', team: 'core' },
        });
        const b = await make('b', {
          environment: 'production',
          region: 'us',
          labels: { tier: 'gold' },
        });
        const c = await make('c', { environment: 'staging', region: 'eu' });
        await h.log.run(c, {
          type: 'SuspendOrganization',
          payload: { reason: 'unpaid' },
        });
        await h.caughtUp();
        const ids = async (query: object) =>
          (
            await h.directory.list({ namePrefix: p, ...query, limit: 100 })
          ).items.map((entry) => entry.id);

        expect(await ids({})).toEqual([a, b, c]);
        expect(await ids({ environment: 'production' })).toEqual([a, b]);
        expect(await ids({ businessUnit: 'industrial' })).toEqual([a]);
        expect(await ids({ region: 'eu' })).toEqual([a, c]);
        expect(await ids({ labels: { tier: 'gold' } })).toEqual([a, b]);
        expect(await ids({ labels: { tier: 'gold', team: 'core' } })).toEqual([
          a,
        ]);
        expect(await ids({ status: 'suspended' })).toEqual([c]);
        expect(await ids({ status: 'active', region: 'eu' })).toEqual([a]);
        expect(
          await ids({ environment: 'production', labels: { tier: 'silver' } }),
        ).toEqual([]);
        expect(await ids({ namePrefix: `${p}-B`.toUpperCase() })).toEqual([b]);
      });

      it('moves an entry between filters when its labels change', async () => {
        const h = await started();
        const p = uniqueName('m');
        const id = await h.log.create(`${p}-x`, {
          environment: 'staging',
          labels: { tier: 'gold' },
        });
        await h.log.run(id, {
          type: 'ChangeLabels',
          payload: { environment: 'production', labels: { tier: 'silver' } },
        });
        await h.caughtUp();
        const count = async (query: object) =>
          (await h.directory.list({ namePrefix: p, ...query })).items.length;

        expect(await count({ environment: 'staging' })).toBe(0);
        expect(await count({ environment: 'production' })).toBe(1);
        expect(await count({ labels: { tier: 'gold' } })).toBe(0);
        expect(await count({ labels: { tier: 'silver' } })).toBe(1);
      });

      it('pages with an opaque cursor and refuses a foreign one', async () => {
        const h = await started();
        const p = uniqueName('pg');
        for (const suffix of ['e', 'a', 'd', 'b', 'c']) {
          await h.log.create(`${p}-${suffix}`);
        }
        await h.caughtUp();

        const names: string[] = [];
        let cursor: string | undefined;
        do {
          const page = await h.directory.list({
            namePrefix: p,
            limit: 2,
            cursor,
          });
          names.push(...page.items.map((entry) => entry.name));
          cursor = page.nextCursor ?? undefined;
        } while (cursor !== undefined);

        expect(names).toEqual(
          ['a', 'b', 'c', 'd', 'e'].map((s) => `${p}-${s}`),
        );
        await expect(
          h.directory.list({ cursor: 'bm90LWEtY3Vyc29y' }),
        ).rejects.toBeInstanceOf(InvalidQueryError);
        await expect(h.directory.list({ limit: 0 })).rejects.toBeInstanceOf(
          InvalidQueryError,
        );
      });
    });

    describe('erasure of a deleted organization', () => {
      it('leaves no personal value of it, and equals a rebuild after its key is destroyed', async () => {
        const keys = new InMemoryKeyStore();
        const store = new ErasingEventStore(
          new InMemoryEventStore(),
          new PersonalDataCipher(keys, ORGANIZATION_PERSONAL_DATA),
        );
        const h = await ReadModelsHarness.open(open, { batchSize: 2 }, store);
        harnesses.push(h);
        await h.start();
        const name = uniqueName('gone');
        const id = await h.log.create(name, { contactEmail: 'a@gone.example' });
        const kept = await h.log.create(uniqueName('kept'), {
          contactEmail: 'k@kept.example',
        });
        await h.log.run(id, {
          type: 'UpdateProfile',
          payload: { contactEmail: 'b@gone.example', displayName: 'Gone' },
        });
        await h.log.run(id, {
          type: 'ChangeBillingSettings',
          payload: { billingEmail: 'c@gone.example' },
        });
        await h.caughtUp();
        const beforeDeletion = await h.audit.list({ orgId: id, limit: 100 });
        expect(JSON.stringify(beforeDeletion)).toContain('b@gone.example');
        await h.log.run(id, {
          type: 'RequestDeletion',
          payload: { gracePeriodDays: 0 },
        });
        await h.log.run(
          id,
          { type: 'CompleteDeletion', payload: {} },
          { actor: { type: 'system', id: 'deletion-executor' } },
        );
        await h.caughtUp();

        const entries = await h.audit.list({ orgId: id, limit: 100 });
        const entry = await h.directory.getById(id);
        expect(JSON.stringify([entries, entry])).not.toContain('gone.example');
        expect(entries.items).toHaveLength(5);
        expect(entry?.profile).toMatchObject({
          contactEmail: ERASED,
          displayName: 'Gone',
        });
        expect(JSON.stringify(await h.directory.getById(kept))).toContain(
          'k@kept.example',
        );
        const live = await checksums(h);

        await keys.destroy(id);
        await h.runners.directory.rebuild();
        await h.runners.audit.rebuild();
        expect(await checksums(h)).toEqual(live);
      });
    });

    describe('projection runner', () => {
      it('changes nothing when events it applied are applied again', async () => {
        const h = await started();
        const id = await h.log.create(uniqueName());
        await h.log.run(id, {
          type: 'UpdateProfile',
          payload: { description: 'again' },
        });
        await h.caughtUp();
        const before = await checksums(h);
        const events = await h.store.readAll();
        const org = events.filter((e) =>
          e.streamId.startsWith('organization-'),
        );

        await replay(h, org);
        await h.runners.directory.stop();
        await h.runners.audit.stop();
        await h.start();
        await h.caughtUp();

        expect(await checksums(h)).toEqual(before);
      });

      it('writes nothing when the checkpoint moved under it', async () => {
        const h = await started();
        await h.log.create(uniqueName());
        await h.caughtUp();
        const generation = await h.directory.activeGeneration();
        const before = await h.directory.checksum();
        const entry = (await h.directory.list()).items[0];
        if (entry === undefined) throw new Error('no entry');

        await expect(
          h.directory.commit(
            generation,
            [{ before: entry, after: { ...entry, status: 'deleted' } }],
            null,
            { commit: 999n, prepare: 999n },
          ),
        ).rejects.toBeInstanceOf(CheckpointConflictError);
        expect(await h.directory.checksum()).toBe(before);
      });

      it('ignores the streams of other aggregates', async () => {
        const h = await started();
        await h.log.create(uniqueName());
        await h.caughtUp();

        const status = await h.runners.directory.status();

        expect(status.state).toBe('live');
        expect(status.error).toBeUndefined();
        expect(status.lagEvents).toBe(0);
        expect(status.lagSeconds).toBe(0);
      });

      it('stops at an event it cannot apply and says which, never skipping it', async () => {
        let now = new Date();
        const h = await started({ now: () => now });
        const id = await h.log.create(uniqueName());
        await h.caughtUp();
        const bad = await h.store.append(
          `organization-${id}`,
          [
            {
              id: randomUUID(),
              type: 'OrganizationTeleported',
              schemaVersion: 1,
              data: {},
              metadata: {},
            },
          ],
          0,
        );
        const [recorded] = await h.store.readStream(`organization-${id}`, {
          fromRevision: 1,
        });
        now = new Date(Date.parse(recorded?.recordedAt ?? '') + 30_000);
        const later = await h.log.create(uniqueName());

        expect(await h.runners.directory.waitUntil(h.log.head, 5000)).toBe(
          false,
        );
        const status = await h.runners.directory.status();
        expect(status).toMatchObject({
          state: 'stopped',
          error: {
            eventId: recorded?.id,
            eventType: 'OrganizationTeleported',
            streamId: `organization-${id}`,
            position: positionToJson(bad.position),
            reason: expect.stringContaining('unknown event type'),
          },
          checkpoint: positionToJson({
            commit: bad.position.commit - 1n,
            prepare: bad.position.prepare - 1n,
          }),
          lagEvents: Number(h.log.head.commit - bad.position.commit + 1n),
          lagSeconds: 30,
        });
        expect(await h.directory.getById(later)).toBeNull();
      });

      it('lets a query wait for its own write, or gives up in time', async () => {
        const h = await started();
        const id = await h.log.create(uniqueName());
        const written = h.log.head;

        expect(await h.runners.directory.waitUntil(written, 5000)).toBe(true);
        expect(await h.directory.getById(id)).not.toBeNull();
        expect(
          await h.runners.directory.waitUntil(
            { commit: written.commit + 1000n, prepare: 0n },
            20,
          ),
        ).toBe(false);
      });

      it('rebuilds into a new generation while serving, then switches', async () => {
        const h = await started({ batchSize: 3 });
        const p = uniqueName('rb');
        const ids: string[] = [];
        for (let i = 0; i < 12; i += 1) {
          ids.push(await h.log.create(`${p}-${i.toString().padStart(2, '0')}`));
        }
        await h.caughtUp();
        const before = await checksums(h);
        const generation = await h.directory.activeGeneration();

        const rebuilt = h.runners.directory.rebuild();
        const during = await h.runners.directory.status();
        const served = await h.directory.list({ namePrefix: p, limit: 100 });
        const late = await h.log.create(`${p}-late`);
        const outcome = await rebuilt;
        await h.caughtUp();

        expect(during.state).toBe('rebuilding');
        expect(served.items).toHaveLength(12);
        expect(outcome.replaced).toBe(generation);
        expect(await h.directory.activeGeneration()).toBe(outcome.generation);
        expect(await h.directory.inactiveGenerations()).toEqual([]);
        expect(await h.directory.getById(late)).not.toBeNull();
        expect((await h.runners.directory.status()).state).toBe('live');
        const audit = await h.runners.audit.rebuild();
        expect(audit.events).toBeGreaterThan(12);
        await h.log.run(late, {
          type: 'UpdateProfile',
          payload: { displayName: 'x' },
        });
        await h.caughtUp();
        const after = await checksums(h);
        expect(after).not.toEqual(before);
        await expect(h.runners.directory.rebuild()).resolves.toMatchObject({
          replaced: outcome.generation,
        });
        expect(await checksums(h)).toEqual(after);
      });

      it('abandons a rebuild when the runner stops, keeping the old generation', async () => {
        const h = await started();
        await h.log.create(uniqueName());
        await h.caughtUp();
        const generation = await h.directory.activeGeneration();
        const before = await h.directory.checksum();

        const rebuilt = h.runners.directory.rebuild();
        await h.runners.directory.stop();

        await expect(rebuilt).rejects.toThrow('stopped');
        expect(await h.directory.activeGeneration()).toBe(generation);
        expect(await h.directory.inactiveGenerations()).toEqual([]);
        expect(await h.directory.checksum()).toBe(before);
      });

      it('reports rebuild progress until the switch', async () => {
        const h = await started({ batchSize: 1 });
        for (let i = 0; i < 20; i += 1) await h.log.create(uniqueName());
        await h.caughtUp();

        const rebuilt = h.runners.audit.rebuild();
        const seen: number[] = [];
        for (;;) {
          const { rebuild } = await h.runners.audit.status();
          if (rebuild === undefined) break;
          seen.push(rebuild.done);
          expect(rebuild.total).toBeGreaterThanOrEqual(rebuild.done);
          // Lets the rebuild run; no time passes.
          await new Promise(setImmediate);
        }
        await rebuilt;

        expect(seen.length).toBeGreaterThan(0);
        expect(seen).toEqual([...seen].sort((a, b) => a - b));
      });
    });
  });
}

async function checksums(h: ReadModelsHarness): Promise<string[]> {
  return [await h.directory.checksum(), await h.audit.checksum()];
}

async function replay(
  h: ReadModelsHarness,
  events: readonly RecordedEvent[],
): Promise<void> {
  const directory = new OrganizationDirectoryProjection(h.directory);
  const audit = new AuditHistoryProjection(h.audit);
  for (const projection of [directory, audit]) {
    const generation = await projection.store.activeGeneration();
    const checkpoint = await projection.store.readCheckpoint(generation);
    await projection.applyBatch(generation, events, checkpoint);
  }
}
