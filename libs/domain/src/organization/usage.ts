import type { Actor } from '../actor.js';
import { DomainError, validationFailed } from '../errors.js';
import { checkCurrency } from '../values/currency.js';
import { checkFields, integer, oneOf, text } from '../values/fields.js';
import { checkIdentifier } from '../values/text.js';
import { valid } from '../values/checked.js';
import {
  ALLOCATABLE_RESOURCES,
  type AllocatableResource,
  LIMIT_POLICIES,
  MAX_ALLOCATION_QUANTITY,
  RESOURCES,
  type Resource,
} from './catalog.js';
import type {
  AllocateResource,
  RecordBillingBalance,
  ReleaseResource,
  SetResourceLimit,
} from './commands.js';
import type { EventBody } from './events.js';
import type { Organization } from './state.js';
import { usageFingerprint } from './usage-fingerprint.js';

// Beyond this a limit is written as unlimited (null).
const HIGHEST_NUMERIC_LIMIT = 2_147_483_647;

export function decideSetResourceLimit(
  org: Organization,
  payload: SetResourceLimit['payload'],
  actor: Actor,
): EventBody[] {
  const { resource, limit } = checkFields({
    resource: oneOf(payload.resource, RESOURCES),
    limit:
      payload.limit === null
        ? valid(null)
        : integer(payload.limit, 0, HIGHEST_NUMERIC_LIMIT),
  });
  checkLimitPolicy(resource, limit, actor);
  const usage = usageOf(org, resource);
  if (limit !== null && limit < usage) {
    throw new DomainError(
      'LIMIT_EXCEEDED',
      `${resource} usage is ${usage}, above the requested limit of ${limit}; release some first`,
      { resource, limit, usage },
    );
  }
  if (org.limits[resource] === limit) return [];
  return [{ type: 'ResourceLimitChanged', data: { resource, limit } }];
}

/** Checks the payload of an allocation or release; shared with replay detection. */
export function checkUsagePayload(payload: AllocateResource['payload']) {
  return checkFields({
    resource: oneOf(payload.resource, ALLOCATABLE_RESOURCES),
    quantity: integer(payload.quantity, 1, MAX_ALLOCATION_QUANTITY),
    idempotencyKey: text(payload.idempotencyKey, checkIdentifier),
  });
}

/**
 * Whether this allocation or release was already applied under its key.
 * The same key for a different request is refused, never applied again.
 */
export function isUsageReplay(
  org: Organization,
  command: AllocateResource | ReleaseResource,
): boolean {
  const usage = checkUsagePayload(command.payload);
  const kind =
    command.type === 'AllocateResource'
      ? 'ResourceAllocated'
      : 'ResourceReleased';
  const seen = org.recentIdempotencyKeys.find(
    (k) => k.key === usage.idempotencyKey,
  );
  if (seen === undefined) return false;
  if (seen.fingerprint === usageFingerprint(kind, usage)) return true;
  throw new DomainError(
    'IDEMPOTENCY_MISMATCH',
    `idempotency key ${usage.idempotencyKey} was used for another request; use a new key`,
    { idempotencyKey: usage.idempotencyKey },
  );
}

export function decideAllocate(
  org: Organization,
  payload: AllocateResource['payload'],
): EventBody[] {
  const usage = checkUsagePayload(payload);
  const before = org.usage[usage.resource];
  const after = before + usage.quantity;
  const limit = org.limits[usage.resource];
  if (limit !== null && after > limit) {
    throw new DomainError(
      'LIMIT_EXCEEDED',
      `${usage.resource} limit is ${limit} and ${before} are in use; ${usage.quantity} more do not fit`,
      {
        resource: usage.resource,
        limit,
        usage: before,
        requested: usage.quantity,
      },
    );
  }
  return [
    { type: 'ResourceAllocated', data: usage },
    ...crossedThresholds(org, usage.resource, before, after),
  ];
}

export function decideRelease(
  org: Organization,
  payload: ReleaseResource['payload'],
): EventBody[] {
  const usage = checkUsagePayload(payload);
  const current = org.usage[usage.resource];
  if (usage.quantity > current) {
    throw new DomainError(
      'INVALID_STATE',
      `cannot release ${usage.quantity} ${usage.resource}: only ${current} are in use`,
      { resource: usage.resource, usage: current, requested: usage.quantity },
    );
  }
  return [{ type: 'ResourceReleased', data: usage }];
}

export function decideDeployment(
  org: Organization,
  deploymentId: unknown,
  started: boolean,
): EventBody[] {
  const { id } = checkFields({ id: text(deploymentId, checkIdentifier) });
  if (org.activeDeployments.includes(id) === started) return [];
  return [
    {
      type: started ? 'DeploymentStarted' : 'DeploymentStopped',
      data: { deploymentId: id },
    },
  ];
}

export function decideBillingBalance(
  org: Organization,
  payload: RecordBillingBalance['payload'],
): EventBody[] {
  const balance = checkFields({
    outstandingCents: integer(
      payload.outstandingCents,
      0,
      Number.MAX_SAFE_INTEGER,
    ),
    currency: text(payload.currency, checkCurrency),
  });
  const same =
    org.balance.outstandingCents === balance.outstandingCents &&
    org.balance.currency === balance.currency;
  return same ? [] : [{ type: 'BillingBalanceRecorded', data: balance }];
}

export function usageOf(org: Organization, resource: Resource): number {
  return resource === 'users' ? org.members.length : org.usage[resource];
}

function checkLimitPolicy(
  resource: Resource,
  limit: number | null,
  actor: Actor,
): void {
  const policy = LIMIT_POLICIES[resource];
  if (limit !== null && limit <= policy.supportCeiling) return;
  if (!policy.salesMayExceed) {
    throw validationFailed([
      {
        field: 'limit',
        problem: `${resource} limit can be at most ${policy.supportCeiling}`,
      },
    ]);
  }
  if (actor.type !== 'sales') {
    throw new DomainError(
      'FORBIDDEN',
      `raising ${resource} above ${policy.supportCeiling} is a sales decision`,
      { resource, ceiling: policy.supportCeiling },
    );
  }
}

// A threshold is crossed when usage moves from below it to at or above it.
function crossedThresholds(
  org: Organization,
  resource: AllocatableResource,
  before: number,
  after: number,
): EventBody[] {
  const limit = org.limits[resource];
  if (limit === null) return [];
  return org.billing.usageAlertThresholds
    .filter((t) => before * 100 < t * limit && after * 100 >= t * limit)
    .map((threshold) => ({
      type: 'UsageThresholdCrossed',
      data: { resource, threshold, usage: after, limit },
    }));
}
