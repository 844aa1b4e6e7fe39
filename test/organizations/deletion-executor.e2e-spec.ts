import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { AppHarness } from '../support/app-harness.js';
import {
  createOrganization,
  envelope,
  uniqueName,
} from '../support/envelopes.js';
import { waitFor } from '../support/wait-for.js';

const DAY = 86_400_000;

describe('the deletion executor, with two replicas on one store', () => {
  let first: AppHarness;
  let second: AppHarness;

  beforeAll(async () => {
    first = await AppHarness.start({ DELETION_CHECK_INTERVAL_MS: '0' });
    second = await first.replica({});
  });

  afterAll(async () => {
    await second.close();
    await first.stop();
  });

  async function scheduledDeletion(
    days: number,
  ): Promise<{ orgId: string; position: string }> {
    const orgId = (
      await first.accepted(
        first.tokens.support,
        createOrganization(uniqueName()),
      )
    ).orgId as string;
    const owner = first.tokens.user(orgId, 'owner-1');
    const reply = await first.accepted(
      owner,
      envelope('RequestDeletion', { gracePeriodDays: days }, { orgId }),
    );
    return { orgId, position: reply.position as string };
  }

  async function typesOf(orgId: string): Promise<string[]> {
    return (await first.organizationEvents(orgId)).map((e) => e.type);
  }

  async function visibleToExecutor(
    orgId: string,
    position: string,
  ): Promise<void> {
    const path = `/v1/organizations?status=deletion_scheduled&after=${position}`;
    await waitFor(async () =>
      (
        (await first.get(first.tokens.support, path)).body.items as {
          id: string;
        }[]
      ).some((o) => o.id === orgId),
    );
  }

  it('leaves a deletion alone while its grace period runs', async () => {
    const { orgId, position } = await scheduledDeletion(7);
    await visibleToExecutor(orgId, position);
    await Promise.all([
      first.completeDueDeletions(),
      second.completeDueDeletions(),
    ]);
    expect(await typesOf(orgId)).not.toContain('OrganizationDeleted');
  });

  it('completes a due deletion exactly once, however many replicas run it', async () => {
    const { orgId, position } = await scheduledDeletion(1);
    await visibleToExecutor(orgId, position);
    first.clock.advance(DAY);

    await Promise.all([
      first.completeDueDeletions(),
      second.completeDueDeletions(),
      first.completeDueDeletions(),
    ]);

    const types = await typesOf(orgId);
    expect(types.filter((t) => t === 'OrganizationDeleted')).toHaveLength(1);
    expect(types.at(-1)).toBe('OrganizationDeleted');
  });

  it('never completes while a legal hold stands, records that once, and completes after release', async () => {
    const { orgId } = await scheduledDeletion(1);
    const hold = await first.accepted(
      first.tokens.support,
      envelope(
        'PlaceLegalHold',
        { caseReference: 'CASE-9', reason: 'litigation' },
        {
          orgId,
          reference: 'SUP-9',
        },
      ),
    );
    await visibleToExecutor(orgId, hold.position as string);
    first.clock.advance(DAY);

    await Promise.all([
      first.completeDueDeletions(),
      second.completeDueDeletions(),
    ]);
    await first.completeDueDeletions();
    const blocked = await typesOf(orgId);
    expect(blocked.filter((t) => t === 'DeletionBlocked')).toHaveLength(1);
    expect(blocked).not.toContain('OrganizationDeleted');

    const release = await first.accepted(
      first.tokens.support,
      envelope(
        'ReleaseLegalHold',
        { caseReference: 'CASE-9' },
        { orgId, reference: 'SUP-9' },
      ),
    );
    await visibleToExecutor(orgId, release.position as string);
    await first.completeDueDeletions();
    expect((await typesOf(orgId)).at(-1)).toBe('OrganizationDeleted');
  });
});
