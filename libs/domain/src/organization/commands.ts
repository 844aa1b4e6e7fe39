import type {
  AllocatableResource,
  PaymentMethod,
  Permission,
  Resource,
  Role,
} from './catalog.js';

interface Command<Type extends string, Payload> {
  readonly type: Type;
  readonly payload: Payload;
}

export interface ApiKeyRotation {
  readonly maxAgeDays: number | null;
  readonly warnBeforeDays: number;
}

export type CreateOrganization = Command<
  'CreateOrganization',
  {
    readonly name: string;
    readonly displayName: string;
    readonly description?: string;
    readonly contactEmail: string;
    readonly ownerUserId: string;
    readonly environment?: string;
    readonly businessUnit?: string;
    readonly region?: string;
    readonly labels?: Readonly<Record<string, string>>;
  }
>;

/** In the `Change...` and `Update...` commands an absent field keeps its value and `null` clears an optional one. */
export type UpdateProfile = Command<
  'UpdateProfile',
  {
    readonly displayName?: string;
    readonly description?: string | null;
    readonly contactEmail?: string;
  }
>;

export type ChangeLabels = Command<
  'ChangeLabels',
  {
    readonly environment?: string | null;
    readonly businessUnit?: string | null;
    readonly region?: string | null;
    readonly labels?: Readonly<Record<string, string>>;
  }
>;

export type ChangeSecuritySettings = Command<
  'ChangeSecuritySettings',
  {
    readonly twoFactorRequired?: boolean;
    readonly ipAllowlist?: readonly string[];
    readonly sessionTimeoutMinutes?: number;
    readonly apiKeyRotation?: ApiKeyRotation;
  }
>;

export type ChangeBillingSettings = Command<
  'ChangeBillingSettings',
  {
    readonly billingEmail?: string | null;
    readonly paymentMethod?: PaymentMethod;
    readonly usageAlertThresholds?: readonly number[];
  }
>;

export type SetResourceLimit = Command<
  'SetResourceLimit',
  { readonly resource: Resource; readonly limit: number | null }
>;

interface MemberPayload {
  readonly userId: string;
  readonly role: Role;
  readonly permissions?: readonly Permission[];
}

export type AddMember = Command<'AddMember', MemberPayload>;
export type ChangeMemberRole = Command<'ChangeMemberRole', MemberPayload>;
export type RemoveMember = Command<'RemoveMember', { readonly userId: string }>;

export type TransferOwnership = Command<
  'TransferOwnership',
  { readonly newOwnerUserId: string; readonly previousOwnerRole?: Role }
>;

interface UsagePayload {
  readonly resource: AllocatableResource;
  readonly quantity: number;
  readonly idempotencyKey: string;
}

export type AllocateResource = Command<'AllocateResource', UsagePayload>;
export type ReleaseResource = Command<'ReleaseResource', UsagePayload>;

export type RecordDeploymentStarted = Command<
  'RecordDeploymentStarted',
  { readonly deploymentId: string }
>;
export type RecordDeploymentStopped = Command<
  'RecordDeploymentStopped',
  { readonly deploymentId: string }
>;

export type RecordBillingBalance = Command<
  'RecordBillingBalance',
  { readonly outstandingCents: number; readonly currency: string }
>;

type Empty = Readonly<Record<string, never>>;

export type SuspendOrganization = Command<
  'SuspendOrganization',
  { readonly reason: string }
>;
export type ReactivateOrganization = Command<'ReactivateOrganization', Empty>;

export type PlaceLegalHold = Command<
  'PlaceLegalHold',
  { readonly caseReference: string; readonly reason: string }
>;
export type ReleaseLegalHold = Command<
  'ReleaseLegalHold',
  { readonly caseReference: string }
>;

export type RequestDeletion = Command<
  'RequestDeletion',
  { readonly gracePeriodDays?: number; readonly reason?: string }
>;
export type CancelDeletion = Command<'CancelDeletion', Empty>;
export type CompleteDeletion = Command<'CompleteDeletion', Empty>;

export type OrganizationCommand =
  | CreateOrganization
  | UpdateProfile
  | ChangeLabels
  | ChangeSecuritySettings
  | ChangeBillingSettings
  | SetResourceLimit
  | AddMember
  | ChangeMemberRole
  | RemoveMember
  | TransferOwnership
  | AllocateResource
  | ReleaseResource
  | RecordDeploymentStarted
  | RecordDeploymentStopped
  | RecordBillingBalance
  | SuspendOrganization
  | ReactivateOrganization
  | PlaceLegalHold
  | ReleaseLegalHold
  | RequestDeletion
  | CancelDeletion
  | CompleteDeletion;

export type CommandType = OrganizationCommand['type'];

export type CommandOf<T extends CommandType> = Extract<
  OrganizationCommand,
  { type: T }
>;

export const COMMAND_TYPES: readonly CommandType[] = [
  'CreateOrganization',
  'UpdateProfile',
  'ChangeLabels',
  'ChangeSecuritySettings',
  'ChangeBillingSettings',
  'SetResourceLimit',
  'AddMember',
  'ChangeMemberRole',
  'RemoveMember',
  'TransferOwnership',
  'AllocateResource',
  'ReleaseResource',
  'RecordDeploymentStarted',
  'RecordDeploymentStopped',
  'RecordBillingBalance',
  'SuspendOrganization',
  'ReactivateOrganization',
  'PlaceLegalHold',
  'ReleaseLegalHold',
  'RequestDeletion',
  'CancelDeletion',
  'CompleteDeletion',
];
