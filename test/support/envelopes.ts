import { randomUUID } from 'node:crypto';

/** A command envelope as other services send it, with a fresh command id. */
export function envelope(
  type: string,
  payload: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return { commandId: randomUUID(), type, payload, ...extra };
}

export function createOrganization(
  name: string,
  overrides: Record<string, unknown> = {},
) {
  return envelope(
    'CreateOrganization',
    {
      name,
      displayName: 'Acme Industrial',
      contactEmail: 'ops@acme.example',
      ownerUserId: 'owner-1',
      ...overrides,
    },
    { reference: 'SUP-1' },
  );
}

export function uniqueName(prefix = 'acme'): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}
