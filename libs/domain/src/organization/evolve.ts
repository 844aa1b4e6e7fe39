import { IDEMPOTENCY_KEY_WINDOW } from './catalog.js';
import type { OrganizationEvent } from './events.js';
import { usageFingerprint } from './usage-fingerprint.js';
import { withPersonalDataErased } from './personal-data.js';
import type { Member, Organization, OrganizationState } from './state.js';

/** Applies one recorded event. Never refuses: events are facts. */
export function evolve(
  state: OrganizationState,
  event: OrganizationEvent,
): OrganizationState {
  if (event.type === 'OrganizationCreated') return created(event);
  if (state === null) return state;
  return evolveExisting(state, event);
}

function created(
  event: Extract<OrganizationEvent, { type: 'OrganizationCreated' }>,
): Organization {
  const { data, metadata } = event;
  return {
    id: metadata.orgId,
    name: data.name,
    status: 'active',
    profile: data.profile,
    labels: data.labels,
    security: data.security,
    billing: data.billing,
    limits: data.limits,
    usage: { products: 0, devices: 0, api_keys: 0, webhooks: 0 },
    activeDeployments: [],
    balance: { outstandingCents: 0, currency: null },
    ownerUserId: data.ownerUserId,
    members: [{ userId: data.ownerUserId, role: 'owner', permissions: [] }],
    suspensionReason: null,
    legalHolds: [],
    deletion: null,
    recentIdempotencyKeys: [],
  };
}

function evolveExisting(
  org: Organization,
  event: OrganizationEvent,
): Organization {
  switch (event.type) {
    case 'OrganizationCreated':
    case 'UsageThresholdCrossed':
      return org;
    case 'ProfileUpdated':
      return { ...org, profile: { ...org.profile, ...event.data } };
    case 'LabelsChanged':
      return { ...org, labels: { ...org.labels, ...event.data } };
    case 'SecuritySettingsChanged':
      return { ...org, security: { ...org.security, ...event.data } };
    case 'BillingSettingsChanged':
      return { ...org, billing: { ...org.billing, ...event.data } };
    case 'ResourceLimitChanged':
      return {
        ...org,
        limits: { ...org.limits, [event.data.resource]: event.data.limit },
      };
    case 'MemberAdded':
      return { ...org, members: [...org.members, event.data] };
    case 'MemberRoleChanged':
      return { ...org, members: replaceMember(org.members, event.data) };
    case 'MemberRemoved':
      return {
        ...org,
        members: without(org.members, 'userId', event.data.userId),
      };
    case 'OwnershipTransferred':
      return transferred(org, event.data);
    case 'ResourceAllocated':
    case 'ResourceReleased':
      return usageChanged(org, event);
    case 'DeploymentStarted':
      return {
        ...org,
        activeDeployments: [...org.activeDeployments, event.data.deploymentId],
      };
    case 'DeploymentStopped':
      return {
        ...org,
        activeDeployments: org.activeDeployments.filter(
          (id) => id !== event.data.deploymentId,
        ),
      };
    case 'BillingBalanceRecorded':
      return { ...org, balance: event.data };
    case 'OrganizationSuspended':
      return {
        ...org,
        status: 'suspended',
        suspensionReason: event.data.reason,
      };
    case 'OrganizationReactivated':
      return { ...org, status: 'active', suspensionReason: null };
    case 'LegalHoldPlaced':
      return { ...org, legalHolds: [...org.legalHolds, event.data] };
    case 'LegalHoldReleased':
      return {
        ...org,
        legalHolds: without(
          org.legalHolds,
          'caseReference',
          event.data.caseReference,
        ),
      };
    case 'DeletionRequested':
      return deletionRequested(org, event);
    case 'DeletionCancelled':
      return { ...org, status: 'active', deletion: null };
    case 'DeletionBlocked':
      return org.deletion === null
        ? org
        : {
            ...org,
            deletion: { ...org.deletion, blockedBy: event.data.unmet },
          };
    case 'OrganizationDeleted':
      return withPersonalDataErased({ ...org, status: 'deleted' });
  }
}

function deletionRequested(
  org: Organization,
  event: Extract<OrganizationEvent, { type: 'DeletionRequested' }>,
): Organization {
  return {
    ...org,
    status: 'deletion_scheduled',
    deletion: {
      requestedAt: event.metadata.occurredAt,
      effectiveAt: event.data.effectiveAt,
      gracePeriodDays: event.data.gracePeriodDays,
      reason: event.data.reason,
      blockedBy: null,
    },
  };
}

function without<T, K extends keyof T>(
  items: readonly T[],
  key: K,
  value: T[K],
): T[] {
  return items.filter((item) => item[key] !== value);
}

function replaceMember(members: readonly Member[], changed: Member): Member[] {
  return members.map((m) => (m.userId === changed.userId ? changed : m));
}

function transferred(
  org: Organization,
  data: Extract<OrganizationEvent, { type: 'OwnershipTransferred' }>['data'],
): Organization {
  const members = org.members.map((m): Member => {
    if (m.userId === data.newOwnerUserId)
      return { ...m, role: 'owner', permissions: [] };
    if (m.userId === data.previousOwnerUserId)
      return { ...m, role: data.previousOwnerRole };
    return m;
  });
  return { ...org, ownerUserId: data.newOwnerUserId, members };
}

function usageChanged(
  org: Organization,
  event: Extract<
    OrganizationEvent,
    { type: 'ResourceAllocated' | 'ResourceReleased' }
  >,
): Organization {
  const { resource, quantity, idempotencyKey } = event.data;
  const delta = event.type === 'ResourceAllocated' ? quantity : -quantity;
  const remembered = {
    key: idempotencyKey,
    fingerprint: usageFingerprint(event.type, event.data),
  };
  return {
    ...org,
    usage: { ...org.usage, [resource]: org.usage[resource] + delta },
    recentIdempotencyKeys: [...org.recentIdempotencyKeys, remembered].slice(
      -IDEMPOTENCY_KEY_WINDOW,
    ),
  };
}
