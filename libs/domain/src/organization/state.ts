import type {
  AllocatableResource,
  MemberRole,
  PaymentMethod,
  Permission,
  Resource,
} from './catalog.js';
import type { ApiKeyRotation } from './commands.js';

export type OrganizationStatus =
  'active' | 'suspended' | 'deletion_scheduled' | 'deleted';

export interface Profile {
  readonly displayName: string;
  readonly description: string | null;
  readonly contactEmail: string;
}

export interface Labels {
  readonly environment: string | null;
  readonly businessUnit: string | null;
  readonly region: string | null;
  readonly labels: Readonly<Record<string, string>>;
}

export interface SecuritySettings {
  readonly twoFactorRequired: boolean;
  readonly ipAllowlist: readonly string[];
  readonly sessionTimeoutMinutes: number;
  readonly apiKeyRotation: ApiKeyRotation;
}

export interface BillingSettings {
  /** Where invoices and usage alerts go; `null` means the contact e-mail. */
  readonly billingEmail: string | null;
  readonly paymentMethod: PaymentMethod | null;
  readonly usageAlertThresholds: readonly number[];
}

export type ResourceLimits = Readonly<Record<Resource, number | null>>;

export interface Member {
  readonly userId: string;
  readonly role: MemberRole;
  /** Extra permissions beyond the role's, sorted and without duplicates. */
  readonly permissions: readonly Permission[];
}

export interface LegalHold {
  readonly caseReference: string;
  readonly reason: string;
}

export type UnmetPrecondition =
  | { readonly precondition: 'devices_remain'; readonly devices: number }
  | {
      readonly precondition: 'deployments_active';
      readonly deployments: number;
    }
  | { readonly precondition: 'members_remain'; readonly members: number }
  | {
      readonly precondition: 'balance_outstanding';
      readonly outstandingCents: number;
      readonly currency: string | null;
    }
  | {
      readonly precondition: 'legal_hold';
      readonly caseReferences: readonly string[];
    };

export interface ScheduledDeletion {
  readonly requestedAt: string;
  readonly effectiveAt: string;
  readonly gracePeriodDays: number;
  readonly reason: string | null;
  /** The preconditions that stopped the last completion attempt, if any. */
  readonly blockedBy: readonly UnmetPrecondition[] | null;
}

export interface RecentIdempotencyKey {
  readonly key: string;
  readonly fingerprint: string;
}

/**
 * An organization as folded from its events. Plain data only, so that it can
 * be stored as a snapshot and compared structurally.
 */
export interface Organization {
  readonly id: string;
  readonly name: string;
  readonly status: OrganizationStatus;
  readonly profile: Profile;
  readonly labels: Labels;
  readonly security: SecuritySettings;
  readonly billing: BillingSettings;
  readonly limits: ResourceLimits;
  readonly usage: Readonly<Record<AllocatableResource, number>>;
  readonly activeDeployments: readonly string[];
  readonly balance: {
    readonly outstandingCents: number;
    readonly currency: string | null;
  };
  readonly ownerUserId: string;
  /** Every member, the owner included. */
  readonly members: readonly Member[];
  readonly suspensionReason: string | null;
  readonly legalHolds: readonly LegalHold[];
  readonly deletion: ScheduledDeletion | null;
  /** The most recent allocation and release keys, oldest first. */
  readonly recentIdempotencyKeys: readonly RecentIdempotencyKey[];
}

/** `null` until the organization is created. */
export type OrganizationState = Organization | null;

export const initialState: OrganizationState = null;

/**
 * The shape version of {@link Organization}. Raise it whenever that shape
 * changes, so that stored snapshots of the old shape are ignored and rebuilt.
 */
export const ORGANIZATION_STATE_VERSION = 1;
