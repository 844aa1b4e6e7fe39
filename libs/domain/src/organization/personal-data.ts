import type { OrganizationEvent } from './events.js';

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
