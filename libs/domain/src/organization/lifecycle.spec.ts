import { describe, expect, it } from '@jest/globals';

import { addMember, allocate, create, release } from '../testing/commands.js';
import { actors, fold, given, history, NOW } from '../testing/decider-spec.js';
import type { OrganizationCommand } from './commands.js';
import type { CommandContext } from './context.js';
import { ERASED } from './personal-data.js';

const DAY = 86_400_000;
const asService = { actor: actors.service };
const asSystem = { actor: actors.system };
const asOwner = { actor: actors.owner };
const at = (days: number): Partial<CommandContext> => ({
  now: new Date(NOW.getTime() + days * DAY),
});
const later = (days: number) => ({ ...asSystem, ...at(days) });

const suspend: OrganizationCommand = {
  type: 'SuspendOrganization',
  payload: { reason: 'unpaid invoices' },
};
const reactivate: OrganizationCommand = {
  type: 'ReactivateOrganization',
  payload: {},
};
const requestDeletion = (gracePeriodDays?: number): OrganizationCommand => ({
  type: 'RequestDeletion',
  payload: gracePeriodDays === undefined ? {} : { gracePeriodDays },
});
const cancelDeletion: OrganizationCommand = {
  type: 'CancelDeletion',
  payload: {},
};
const completeDeletion: OrganizationCommand = {
  type: 'CompleteDeletion',
  payload: {},
};
const hold = (caseReference: string): OrganizationCommand => ({
  type: 'PlaceLegalHold',
  payload: { caseReference, reason: 'litigation' },
});
const releaseHold = (caseReference: string): OrganizationCommand => ({
  type: 'ReleaseLegalHold',
  payload: { caseReference },
});
const deploymentStarted = (deploymentId: string): OrganizationCommand => ({
  type: 'RecordDeploymentStarted',
  payload: { deploymentId },
});
const balance = (outstandingCents: number): OrganizationCommand => ({
  type: 'RecordBillingBalance',
  payload: { outstandingCents, currency: 'EUR' },
});

describe('suspension', () => {
  it('suspends an active organization with a reason', () => {
    given(...history(create()))
      .when(suspend)
      .then({
        type: 'OrganizationSuspended',
        data: { reason: 'unpaid invoices' },
      });
  });

  it('records nothing when suspending a suspended organization', () => {
    given(...history(create(), suspend))
      .when(suspend)
      .thenNothing();
  });

  it('requires a reason', () => {
    given(...history(create()))
      .when({ type: 'SuspendOrganization', payload: { reason: ' ' } })
      .thenRefuses('VALIDATION_FAILED');
  });

  it('reactivates a suspended organization, and records nothing for an active one', () => {
    const state = given(...history(create(), suspend))
      .when(reactivate)
      .thenState();
    expect(state?.status).toBe('active');
    expect(state?.suspensionReason).toBeNull();
    given(...history(create()))
      .when(reactivate)
      .thenNothing();
  });

  it('refuses allocations and changes by users while suspended, but accepts facts', () => {
    const past = history(create(), suspend);
    given(...past)
      .when(allocate('devices', 1), asService)
      .thenRefuses('INVALID_STATE');
    given(...past)
      .when({ type: 'UpdateProfile', payload: { displayName: 'X' } }, asOwner)
      .thenRefuses('INVALID_STATE');
    given(...past)
      .when(deploymentStarted('d-1'), asService)
      .then({ type: 'DeploymentStarted', data: { deploymentId: 'd-1' } });
  });

  it('lets support change settings of a suspended organization', () => {
    given(...history(create(), suspend))
      .when({
        type: 'UpdateProfile',
        payload: { displayName: 'Acme (suspended)' },
      })
      .then({
        type: 'ProfileUpdated',
        data: { displayName: 'Acme (suspended)' },
      });
  });

  it('refuses a deletion request while suspended', () => {
    given(...history(create(), suspend))
      .when(requestDeletion())
      .thenRefuses('INVALID_STATE');
  });
});

describe('legal hold', () => {
  it('places a hold with its case reference and reason', () => {
    given(...history(create()))
      .when(hold('CASE-1'))
      .then({
        type: 'LegalHoldPlaced',
        data: { caseReference: 'CASE-1', reason: 'litigation' },
      });
  });

  it('records nothing when the same case already holds the organization', () => {
    given(...history(create(), hold('CASE-1')))
      .when(hold('CASE-1'))
      .thenNothing();
  });

  it('releases a hold by its case reference', () => {
    given(...history(create(), hold('CASE-1')))
      .when(releaseHold('CASE-1'))
      .then({ type: 'LegalHoldReleased', data: { caseReference: 'CASE-1' } });
  });

  it('refuses releasing a case that holds nothing, naming the holds that stand', () => {
    given(...history(create(), hold('CASE-1')))
      .when(releaseHold('CASE-2'))
      .thenRefuses('INVALID_STATE', { standing: ['CASE-1'] });
  });
});

describe('RequestDeletion', () => {
  it('schedules the deletion after the default grace period of 7 days', () => {
    given(...history(create()))
      .when(requestDeletion(), asOwner)
      .then({
        type: 'DeletionRequested',
        data: {
          gracePeriodDays: 7,
          effectiveAt: new Date(NOW.getTime() + 7 * DAY).toISOString(),
          reason: null,
        },
      });
  });

  it('takes a grace period of 0 to 30 days from the injected clock', () => {
    const state = given(...history(create()))
      .when(requestDeletion(0), { now: new Date('2027-01-01T00:00:00Z') })
      .thenState();
    expect(state?.status).toBe('deletion_scheduled');
    expect(state?.deletion?.effectiveAt).toBe('2027-01-01T00:00:00.000Z');
    given(...history(create()))
      .when(requestDeletion(31))
      .thenRefuses('VALIDATION_FAILED');
    given(...history(create()))
      .when(requestDeletion(-1))
      .thenRefuses('VALIDATION_FAILED');
  });

  it('lists every unmet precondition with its numbers, not just the first', () => {
    const past = history(
      create(),
      [allocate('devices', 3), asService],
      [deploymentStarted('d-1'), asService],
      addMember('u-1'),
      addMember('u-2'),
      [balance(1250), asService],
      hold('CASE-7'),
    );
    const error = given(...past)
      .when(requestDeletion(), asOwner)
      .thenRefuses('PRECONDITIONS_UNMET');
    expect(error.details).toEqual({
      unmet: [
        { precondition: 'devices_remain', devices: 3 },
        { precondition: 'deployments_active', deployments: 1 },
        { precondition: 'members_remain', members: 2 },
        {
          precondition: 'balance_outstanding',
          outstandingCents: 1250,
          currency: 'EUR',
        },
        { precondition: 'legal_hold', caseReferences: ['CASE-7'] },
      ],
    });
    expect(error.message).toBe(
      '3 devices remain; 1 deployment is active; 2 members other than the owner remain; ' +
        '1250 cents EUR are outstanding; a legal hold stands (CASE-7)',
    );
  });

  it('is accepted once devices are released, deployments stopped, members removed, balance paid and holds released', () => {
    const past = history(
      create(),
      [allocate('devices', 3), asService],
      [deploymentStarted('d-1'), asService],
      addMember('u-1'),
      [balance(1250), asService],
      hold('CASE-7'),
      [release('devices', 3), asService],
      [
        { type: 'RecordDeploymentStopped', payload: { deploymentId: 'd-1' } },
        asService,
      ],
      { type: 'RemoveMember', payload: { userId: 'u-1' } },
      [balance(0), asService],
      releaseHold('CASE-7'),
    );
    const state = given(...past)
      .when(requestDeletion(), asOwner)
      .thenState();
    expect(state?.status).toBe('deletion_scheduled');
  });

  it('allows products, API keys and webhooks to remain: only devices block deletion', () => {
    const past = history(create(), [allocate('products', 2), asService]);
    given(...past)
      .when(requestDeletion(), asOwner)
      .thenState();
  });

  it('refuses a second request while one is scheduled', () => {
    given(...history(create(), requestDeletion()))
      .when(requestDeletion())
      .thenRefuses('INVALID_STATE');
  });
});

describe('while deletion is scheduled', () => {
  const scheduled = () => history(create(), requestDeletion(7));

  it.each<[string, OrganizationCommand, Partial<CommandContext>]>([
    [
      'a profile change',
      { type: 'UpdateProfile', payload: { displayName: 'X' } },
      {},
    ],
    ['an allocation', allocate('products', 1), asService],
    ['a new member', addMember('u-9'), {}],
    ['a suspension', suspend, {}],
    [
      'a limit change',
      { type: 'SetResourceLimit', payload: { resource: 'webhooks', limit: 5 } },
      {},
    ],
  ])('refuses %s: the organization is frozen', (_what, command, overrides) => {
    given(...scheduled())
      .when(command, overrides)
      .thenRefuses('INVALID_STATE');
  });

  it('accepts a legal hold, and facts reported by other services', () => {
    given(...scheduled())
      .when(hold('CASE-1'))
      .then({
        type: 'LegalHoldPlaced',
        data: { caseReference: 'CASE-1', reason: 'litigation' },
      });
    given(...scheduled())
      .when(deploymentStarted('d-1'), asService)
      .then({ type: 'DeploymentStarted', data: { deploymentId: 'd-1' } });
    given(...scheduled())
      .when(balance(500), asService)
      .then({
        type: 'BillingBalanceRecorded',
        data: { outstandingCents: 500, currency: 'EUR' },
      });
  });

  it('cancels within the grace period, back to active', () => {
    const state = given(...scheduled())
      .when(cancelDeletion, { ...asOwner, ...at(6) })
      .thenState();
    expect(state?.status).toBe('active');
    expect(state?.deletion).toBeNull();
  });

  it('refuses cancelling once the grace period is over', () => {
    given(...scheduled())
      .when(cancelDeletion, at(7))
      .thenRefuses('INVALID_STATE');
  });

  it('refuses cancelling when no deletion is scheduled', () => {
    given(...history(create()))
      .when(cancelDeletion)
      .thenRefuses('INVALID_STATE');
  });
});

describe('CompleteDeletion', () => {
  const scheduled = () => history(create(), requestDeletion(7));

  it('deletes the organization when the grace period is over', () => {
    given(...scheduled())
      .when(completeDeletion, later(7))
      .then({ type: 'OrganizationDeleted', data: {} });
  });

  it('leaves a deleted organization with its e-mails erased and everything else', () => {
    const past = history(
      create(),
      {
        type: 'ChangeBillingSettings',
        payload: { billingEmail: 'billing@acme.example' },
      },
      requestDeletion(0),
      [completeDeletion, later(0)],
    );
    const deleted = fold(past);
    expect(deleted).toMatchObject({
      status: 'deleted',
      name: 'acme-industrial',
      profile: { contactEmail: ERASED, displayName: 'Acme Industrial' },
      billing: { billingEmail: ERASED },
    });
    expect(JSON.stringify(deleted)).not.toContain('@acme.example');
  });

  it('keeps an unset billing e-mail unset on deletion', () => {
    const deleted = fold(
      history(create(), requestDeletion(0), [completeDeletion, later(0)]),
    );
    expect(deleted?.billing.billingEmail).toBeNull();
  });

  it('completes at once with a grace period of 0', () => {
    given(...history(create(), requestDeletion(0)))
      .when(completeDeletion, later(0))
      .then({ type: 'OrganizationDeleted', data: {} });
  });

  it('refuses completing before the grace period is over', () => {
    given(...scheduled())
      .when(completeDeletion, later(6.9))
      .thenRefuses('INVALID_STATE');
  });

  const blockedByHold = {
    type: 'DeletionBlocked',
    data: {
      unmet: [{ precondition: 'legal_hold', caseReferences: ['CASE-3'] }],
    },
  } as const;

  it('checks the preconditions again and records the refusal when one no longer holds', () => {
    const past = history(create(), requestDeletion(7), hold('CASE-3'), [
      deploymentStarted('d-1'),
      asService,
    ]);
    const state = given(...past)
      .when(completeDeletion, later(8))
      .thenState();
    expect(state?.status).toBe('deletion_scheduled');
    expect(state?.deletion?.blockedBy).toEqual([
      { precondition: 'deployments_active', deployments: 1 },
      { precondition: 'legal_hold', caseReferences: ['CASE-3'] },
    ]);
  });

  it('records a blocked completion only once while nothing changes', () => {
    const past = history(create(), requestDeletion(7), hold('CASE-3'));
    const blocked = given(...past)
      .when(completeDeletion, later(8))
      .then(blockedByHold);
    given(...past, ...blocked)
      .when(completeDeletion, later(9))
      .thenNothing();
  });

  it('lets support cancel a blocked deletion after the grace period', () => {
    const past = history(create(), requestDeletion(7), hold('CASE-3'));
    const blocked = given(...past)
      .when(completeDeletion, later(8))
      .then(blockedByHold);
    const state = given(...past, ...blocked)
      .when(cancelDeletion, at(10))
      .thenState();
    expect(state?.status).toBe('active');
  });

  it('completes once the legal hold that blocked it is released', () => {
    const past = history(
      create(),
      requestDeletion(7),
      hold('CASE-3'),
      releaseHold('CASE-3'),
    );
    given(...past)
      .when(completeDeletion, later(8))
      .then({ type: 'OrganizationDeleted', data: {} });
  });
});

describe('deleted is terminal', () => {
  const deleted = () =>
    history(create(), requestDeletion(0), [completeDeletion, later(0)]);

  it.each<[string, OrganizationCommand, Partial<CommandContext>]>([
    ['reactivation', reactivate, {}],
    ['a cancellation', cancelDeletion, {}],
    ['a fact from a service', balance(0), asService],
    ['a legal hold', hold('CASE-1'), {}],
    ['a completion', completeDeletion, later(1)],
    [
      'a profile change',
      { type: 'UpdateProfile', payload: { displayName: 'X' } },
      {},
    ],
  ])('refuses %s after deletion', (_what, command, overrides) => {
    given(...deleted())
      .when(command, overrides)
      .thenRefuses('INVALID_STATE');
  });

  it('refuses recreating the organization under the same id', () => {
    given(...deleted())
      .when(create())
      .thenRefuses('CONFLICT');
  });
});
