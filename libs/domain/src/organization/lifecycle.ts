import { DomainError } from '../errors.js';
import { sameData } from '../values/equal.js';
import { checkFields, integer, optional, text } from '../values/fields.js';
import { checkLine, checkNote } from '../values/text.js';
import { DEFAULT_GRACE_PERIOD_DAYS, MAX_GRACE_PERIOD_DAYS } from './catalog.js';
import type {
  PlaceLegalHold,
  ReleaseLegalHold,
  RequestDeletion,
  SuspendOrganization,
} from './commands.js';
import type { EventBody } from './events.js';
import type { Organization, UnmetPrecondition } from './state.js';

const DAY_MS = 86_400_000;

export function decideSuspend(
  org: Organization,
  payload: SuspendOrganization['payload'],
): EventBody[] {
  const { reason } = checkFields({
    reason: text(payload.reason, (r) => checkLine(r, 1, 500)),
  });
  if (org.status === 'suspended') return [];
  return [{ type: 'OrganizationSuspended', data: { reason } }];
}

export function decideReactivate(org: Organization): EventBody[] {
  return org.status === 'suspended'
    ? [{ type: 'OrganizationReactivated', data: {} }]
    : [];
}

export function decidePlaceLegalHold(
  org: Organization,
  payload: PlaceLegalHold['payload'],
): EventBody[] {
  const hold = checkFields({
    caseReference: text(payload.caseReference, (c) => checkLine(c, 1, 128)),
    reason: text(payload.reason, (r) => checkLine(r, 1, 500)),
  });
  if (org.legalHolds.some((h) => h.caseReference === hold.caseReference))
    return [];
  return [{ type: 'LegalHoldPlaced', data: hold }];
}

export function decideReleaseLegalHold(
  org: Organization,
  payload: ReleaseLegalHold['payload'],
): EventBody[] {
  const { caseReference } = checkFields({
    caseReference: text(payload.caseReference, (c) => checkLine(c, 1, 128)),
  });
  if (!org.legalHolds.some((h) => h.caseReference === caseReference)) {
    throw new DomainError(
      'INVALID_STATE',
      `no legal hold stands under case ${caseReference}; check the case reference`,
      { caseReference, standing: org.legalHolds.map((h) => h.caseReference) },
    );
  }
  return [{ type: 'LegalHoldReleased', data: { caseReference } }];
}

export function decideRequestDeletion(
  org: Organization,
  payload: RequestDeletion['payload'],
  now: Date,
): EventBody[] {
  const request = checkFields({
    gracePeriodDays: optional(payload.gracePeriodDays, (d) =>
      integer(d, 0, MAX_GRACE_PERIOD_DAYS),
    ),
    reason: optional(payload.reason, (r) =>
      text(r, (t) => checkNote(t, 1_000)),
    ),
  });
  if (org.status !== 'active') {
    throw new DomainError(
      'INVALID_STATE',
      `deletion can be requested only of an active organization, not a ${org.status} one`,
    );
  }
  const unmet = unmetPreconditions(org);
  if (unmet.length > 0) throw preconditionsUnmet(unmet);
  const gracePeriodDays = request.gracePeriodDays ?? DEFAULT_GRACE_PERIOD_DAYS;
  const effectiveAt = new Date(
    now.getTime() + gracePeriodDays * DAY_MS,
  ).toISOString();
  return [
    {
      type: 'DeletionRequested',
      data: { gracePeriodDays, effectiveAt, reason: request.reason ?? null },
    },
  ];
}

export function decideCancelDeletion(
  org: Organization,
  now: Date,
): EventBody[] {
  const deletion = requireScheduled(org);
  const graceOver = now.getTime() >= Date.parse(deletion.effectiveAt);
  if (graceOver && deletion.blockedBy === null) {
    throw new DomainError(
      'INVALID_STATE',
      `the grace period ended at ${deletion.effectiveAt}; the deletion can no longer be cancelled`,
      { effectiveAt: deletion.effectiveAt },
    );
  }
  return [{ type: 'DeletionCancelled', data: {} }];
}

/**
 * Completes a scheduled deletion once its grace period is over. Preconditions
 * are checked again: when one no longer holds, the refusal is recorded once
 * for support to act on, and the organization stays scheduled.
 */
export function decideCompleteDeletion(
  org: Organization,
  now: Date,
): EventBody[] {
  const deletion = requireScheduled(org);
  if (now.getTime() < Date.parse(deletion.effectiveAt)) {
    throw new DomainError(
      'INVALID_STATE',
      `the grace period ends at ${deletion.effectiveAt}`,
      {
        effectiveAt: deletion.effectiveAt,
      },
    );
  }
  const unmet = unmetPreconditions(org);
  if (unmet.length === 0) return [{ type: 'OrganizationDeleted', data: {} }];
  if (sameData(unmet, deletion.blockedBy)) return [];
  return [{ type: 'DeletionBlocked', data: { unmet } }];
}

/** Every deletion precondition that does not hold, with its numbers. */
export function unmetPreconditions(org: Organization): UnmetPrecondition[] {
  const unmet: UnmetPrecondition[] = [];
  const others = org.members.length - 1;
  if (org.usage.devices > 0) {
    unmet.push({ precondition: 'devices_remain', devices: org.usage.devices });
  }
  if (org.activeDeployments.length > 0) {
    unmet.push({
      precondition: 'deployments_active',
      deployments: org.activeDeployments.length,
    });
  }
  if (others > 0)
    unmet.push({ precondition: 'members_remain', members: others });
  if (org.balance.outstandingCents > 0) {
    unmet.push({ precondition: 'balance_outstanding', ...org.balance });
  }
  if (org.legalHolds.length > 0) {
    unmet.push({
      precondition: 'legal_hold',
      caseReferences: org.legalHolds.map((h) => h.caseReference),
    });
  }
  return unmet;
}

export function describePrecondition(unmet: UnmetPrecondition): string {
  switch (unmet.precondition) {
    case 'devices_remain':
      return `${unmet.devices} ${unmet.devices === 1 ? 'device remains' : 'devices remain'}`;
    case 'deployments_active':
      return `${unmet.deployments} ${unmet.deployments === 1 ? 'deployment is' : 'deployments are'} active`;
    case 'members_remain':
      return `${unmet.members} ${unmet.members === 1 ? 'member' : 'members'} other than the owner ${unmet.members === 1 ? 'remains' : 'remain'}`;
    case 'balance_outstanding':
      return `${unmet.outstandingCents} cents${unmet.currency === null ? '' : ` ${unmet.currency}`} are outstanding`;
    case 'legal_hold':
      return `a legal hold stands (${unmet.caseReferences.join(', ')})`;
  }
}

function preconditionsUnmet(unmet: readonly UnmetPrecondition[]): DomainError {
  return new DomainError(
    'PRECONDITIONS_UNMET',
    unmet.map(describePrecondition).join('; '),
    {
      unmet,
    },
  );
}

function requireScheduled(org: Organization) {
  if (org.deletion === null || org.status !== 'deletion_scheduled') {
    throw new DomainError(
      'INVALID_STATE',
      'no deletion is scheduled for this organization',
    );
  }
  return org.deletion;
}
