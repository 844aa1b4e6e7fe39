import type { CommandType } from '../command-types.js';

/** One valid payload of each command type, for tests. */
export const VALID_PAYLOADS: Readonly<
  Record<CommandType, Readonly<Record<string, unknown>>>
> = {
  CreateOrganization: {
    name: 'acme-iot',
    displayName: 'Acme IoT',
    description: 'Connected sensors',
    contactEmail: 'ops@acme.example',
    ownerUserId: 'user-1',
    environment: 'production',
    businessUnit: 'industrial',
    region: 'eu',
    labels: { tier: 'gold', 'cost.center': '42' },
  },
  UpdateProfile: { displayName: 'Acme', description: null },
  ChangeLabels: { environment: null, region: 'na', labels: {} },
  ChangeSecuritySettings: {
    twoFactorRequired: true,
    ipAllowlist: ['203.0.113.0/24', '2001:db8::/32'],
    sessionTimeoutMinutes: 60,
    apiKeyRotation: { maxAgeDays: null, warnBeforeDays: 0 },
  },
  ChangeBillingSettings: {
    billingEmail: null,
    paymentMethod: 'invoice',
    usageAlertThresholds: [50, 80, 100],
  },
  SetResourceLimit: { resource: 'devices', limit: null },
  AddMember: { userId: 'user-2', role: 'developer', permissions: [] },
  ChangeMemberRole: {
    userId: 'user-2',
    role: 'operator',
    permissions: ['billing:read', 'audit:read'],
  },
  RemoveMember: { userId: 'user-2' },
  TransferOwnership: { newOwnerUserId: 'user-2', previousOwnerRole: 'viewer' },
  AllocateResource: {
    resource: 'devices',
    quantity: 3,
    idempotencyKey: 'alloc-1',
  },
  ReleaseResource: { resource: 'webhooks', quantity: 1, idempotencyKey: 'r-1' },
  RecordDeploymentStarted: { deploymentId: 'dep-1' },
  RecordDeploymentStopped: { deploymentId: 'dep-1' },
  RecordBillingBalance: { outstandingCents: 0, currency: 'EUR' },
  SuspendOrganization: { reason: 'unpaid invoices' },
  ReactivateOrganization: {},
  PlaceLegalHold: { caseReference: 'CASE-7', reason: 'litigation' },
  ReleaseLegalHold: { caseReference: 'CASE-7' },
  RequestDeletion: { gracePeriodDays: 0, reason: '' },
  CancelDeletion: {},
  CompleteDeletion: {},
};

export const COMMAND_ID = '0192f6c4-1a2b-7c3d-8e4f-5a6b7c8d9e0f';
export const ORG_ID = '0192f6c3-0000-7000-8000-000000000001';

/** A valid envelope of `type` carrying `payload`. */
export function envelopeOf(
  type: CommandType,
  payload: unknown = VALID_PAYLOADS[type],
): Record<string, unknown> {
  return {
    commandId: COMMAND_ID,
    type,
    ...(type === 'CreateOrganization' ? {} : { orgId: ORG_ID }),
    payload,
  };
}
