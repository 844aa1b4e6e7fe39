import type { OrganizationEvent } from './events.js';
import type { Organization } from './state.js';

/**
 * Where events hold personal data: e-mail addresses. User ids are
 * pseudonymous and stay, since other services need them to act.
 */
const PERSONAL_FIELDS: Partial<
  Record<OrganizationEvent['type'], readonly string[]>
> = {
  OrganizationCreated: ['profile.contactEmail', 'billing.billingEmail'],
  ProfileUpdated: ['contactEmail'],
  BillingSettingsChanged: ['billingEmail'],
};

/**
 * What a personal value shows once its organization's key is destroyed:
 * in old events, in state folded from them, in read models and exports.
 */
export const ERASED = '[erased]';

/** Where an organization's state holds the personal values of its events. */
export const PERSONAL_STATE_PATHS: readonly string[] = [
  'profile.contactEmail',
  'billing.billingEmail',
];

/** The dotted paths of personal data in an event of this type. */
export function personalFieldsOf(
  type: OrganizationEvent['type'],
): readonly string[] {
  return PERSONAL_FIELDS[type] ?? [];
}

/** A copy of the event's data with every personal field present set to null. */
export function withoutPersonalData<E extends OrganizationEvent>(event: E): E {
  let data: unknown = event.data;
  for (const path of personalFieldsOf(event.type))
    data = blank(data, path.split('.'));
  return { ...event, data };
}

function blank(value: unknown, path: readonly string[]): unknown {
  const [head, ...rest] = path;
  if (head === undefined || typeof value !== 'object' || value === null)
    return value;
  const record = value as Record<string, unknown>;
  if (!Object.hasOwn(record, head)) return value;
  return {
    ...record,
    [head]: rest.length === 0 ? null : blank(record[head], rest),
  };
}

/**
 * The organization with its personal values shown as erased, as it is
 * once deleted: what the events held is unreadable from then on, and the
 * state folded from them must not keep a copy.
 */
export function withPersonalDataErased(org: Organization): Organization {
  return {
    ...org,
    profile: { ...org.profile, contactEmail: ERASED },
    billing: {
      ...org.billing,
      billingEmail: org.billing.billingEmail === null ? null : ERASED,
    },
  };
}
