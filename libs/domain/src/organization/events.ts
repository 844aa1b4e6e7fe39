import type { Actor } from '../actor.js';
import type {
  AllocatableResource,
  Permission,
  Resource,
  Role,
} from './catalog.js';
import type {
  BillingSettings,
  Labels,
  Profile,
  ResourceLimits,
  SecuritySettings,
  UnmetPrecondition,
} from './state.js';

/** Recorded with every event: who, why and when. */
export interface EventMetadata {
  readonly orgId: string;
  readonly actor: Actor;
  /** The support ticket or sales contract the command was issued under. */
  readonly reference: string | null;
  readonly commandId: string;
  readonly correlationId: string;
  readonly causationId: string;
  readonly occurredAt: string;
}

interface Event<Type extends string, Data> {
  readonly type: Type;
  readonly schemaVersion: number;
  readonly data: Data;
  readonly metadata: EventMetadata;
}

type Empty = Readonly<Record<string, never>>;

export type OrganizationCreated = Event<
  'OrganizationCreated',
  {
    readonly name: string;
    readonly ownerUserId: string;
    readonly profile: Profile;
    readonly labels: Labels;
    readonly security: SecuritySettings;
    readonly billing: BillingSettings;
    readonly limits: ResourceLimits;
  }
>;

/** The `...Updated` and `...Changed` events hold only the fields that changed. */
export type ProfileUpdated = Event<'ProfileUpdated', Partial<Profile>>;
export type LabelsChanged = Event<'LabelsChanged', Partial<Labels>>;
export type SecuritySettingsChanged = Event<
  'SecuritySettingsChanged',
  Partial<SecuritySettings>
>;
export type BillingSettingsChanged = Event<
  'BillingSettingsChanged',
  Partial<BillingSettings>
>;

export type ResourceLimitChanged = Event<
  'ResourceLimitChanged',
  { readonly resource: Resource; readonly limit: number | null }
>;

interface MemberData {
  readonly userId: string;
  readonly role: Role;
  readonly permissions: readonly Permission[];
}

export type MemberAdded = Event<'MemberAdded', MemberData>;
export type MemberRoleChanged = Event<'MemberRoleChanged', MemberData>;
export type MemberRemoved = Event<'MemberRemoved', { readonly userId: string }>;

export type OwnershipTransferred = Event<
  'OwnershipTransferred',
  {
    readonly previousOwnerUserId: string;
    readonly newOwnerUserId: string;
    readonly previousOwnerRole: Role;
  }
>;

interface UsageData {
  readonly resource: AllocatableResource;
  readonly quantity: number;
  readonly idempotencyKey: string;
}

export type ResourceAllocated = Event<'ResourceAllocated', UsageData>;
export type ResourceReleased = Event<'ResourceReleased', UsageData>;

export type UsageThresholdCrossed = Event<
  'UsageThresholdCrossed',
  {
    readonly resource: AllocatableResource;
    readonly threshold: number;
    readonly usage: number;
    readonly limit: number;
  }
>;

export type DeploymentStarted = Event<
  'DeploymentStarted',
  { readonly deploymentId: string }
>;
export type DeploymentStopped = Event<
  'DeploymentStopped',
  { readonly deploymentId: string }
>;

export type BillingBalanceRecorded = Event<
  'BillingBalanceRecorded',
  { readonly outstandingCents: number; readonly currency: string }
>;

export type OrganizationSuspended = Event<
  'OrganizationSuspended',
  { readonly reason: string }
>;
export type OrganizationReactivated = Event<'OrganizationReactivated', Empty>;

export type LegalHoldPlaced = Event<
  'LegalHoldPlaced',
  { readonly caseReference: string; readonly reason: string }
>;
export type LegalHoldReleased = Event<
  'LegalHoldReleased',
  { readonly caseReference: string }
>;

export type DeletionRequested = Event<
  'DeletionRequested',
  {
    readonly gracePeriodDays: number;
    readonly effectiveAt: string;
    readonly reason: string | null;
  }
>;
export type DeletionCancelled = Event<'DeletionCancelled', Empty>;

/** A completion attempt found preconditions unmet; support has to act. */
export type DeletionBlocked = Event<
  'DeletionBlocked',
  { readonly unmet: readonly UnmetPrecondition[] }
>;
export type OrganizationDeleted = Event<'OrganizationDeleted', Empty>;

export type OrganizationEvent =
  | OrganizationCreated
  | ProfileUpdated
  | LabelsChanged
  | SecuritySettingsChanged
  | BillingSettingsChanged
  | ResourceLimitChanged
  | MemberAdded
  | MemberRoleChanged
  | MemberRemoved
  | OwnershipTransferred
  | ResourceAllocated
  | ResourceReleased
  | UsageThresholdCrossed
  | DeploymentStarted
  | DeploymentStopped
  | BillingBalanceRecorded
  | OrganizationSuspended
  | OrganizationReactivated
  | LegalHoldPlaced
  | LegalHoldReleased
  | DeletionRequested
  | DeletionCancelled
  | DeletionBlocked
  | OrganizationDeleted;

export type EventType = OrganizationEvent['type'];

/** An event as decided, before the command's metadata is attached. */
export type EventBody = OrganizationEvent extends infer E
  ? E extends OrganizationEvent
    ? Pick<E, 'type' | 'data'>
    : never
  : never;

/**
 * The schema version each event type is written with today. An event type
 * string never changes; a change of its data shape raises its version and
 * comes with an upcaster in the event store.
 */
export const EVENT_SCHEMA_VERSIONS: Readonly<Record<EventType, number>> = {
  OrganizationCreated: 1,
  ProfileUpdated: 1,
  LabelsChanged: 1,
  SecuritySettingsChanged: 1,
  BillingSettingsChanged: 1,
  ResourceLimitChanged: 1,
  MemberAdded: 1,
  MemberRoleChanged: 1,
  MemberRemoved: 1,
  OwnershipTransferred: 1,
  ResourceAllocated: 1,
  ResourceReleased: 1,
  UsageThresholdCrossed: 1,
  DeploymentStarted: 1,
  DeploymentStopped: 1,
  BillingBalanceRecorded: 1,
  OrganizationSuspended: 1,
  OrganizationReactivated: 1,
  LegalHoldPlaced: 1,
  LegalHoldReleased: 1,
  DeletionRequested: 1,
  DeletionCancelled: 1,
  DeletionBlocked: 1,
  OrganizationDeleted: 1,
};

export const EVENT_TYPES = Object.keys(
  EVENT_SCHEMA_VERSIONS,
) as readonly EventType[];
