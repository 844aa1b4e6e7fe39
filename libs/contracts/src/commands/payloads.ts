import type { CommandType } from '../command-types.js';
import {
  CancelDeletionPayload,
  CompleteDeletionPayload,
  PlaceLegalHoldPayload,
  ReactivateOrganizationPayload,
  ReleaseLegalHoldPayload,
  RequestDeletionPayload,
  SuspendOrganizationPayload,
} from './lifecycle.payloads.js';
import {
  AddMemberPayload,
  ChangeMemberRolePayload,
  RemoveMemberPayload,
  TransferOwnershipPayload,
} from './members.payloads.js';
import {
  ChangeLabelsPayload,
  CreateOrganizationPayload,
  UpdateProfilePayload,
} from './profile.payloads.js';
import {
  ChangeBillingSettingsPayload,
  ChangeSecuritySettingsPayload,
} from './settings.payloads.js';
import {
  AllocateResourcePayload,
  RecordBillingBalancePayload,
  RecordDeploymentStartedPayload,
  RecordDeploymentStoppedPayload,
  ReleaseResourcePayload,
  SetResourceLimitPayload,
} from './usage.payloads.js';

/** The class whose decorators check the payload of each command type. */
export const PAYLOAD_CLASSES = {
  CreateOrganization: CreateOrganizationPayload,
  UpdateProfile: UpdateProfilePayload,
  ChangeLabels: ChangeLabelsPayload,
  ChangeSecuritySettings: ChangeSecuritySettingsPayload,
  ChangeBillingSettings: ChangeBillingSettingsPayload,
  SetResourceLimit: SetResourceLimitPayload,
  AddMember: AddMemberPayload,
  ChangeMemberRole: ChangeMemberRolePayload,
  RemoveMember: RemoveMemberPayload,
  TransferOwnership: TransferOwnershipPayload,
  AllocateResource: AllocateResourcePayload,
  ReleaseResource: ReleaseResourcePayload,
  RecordDeploymentStarted: RecordDeploymentStartedPayload,
  RecordDeploymentStopped: RecordDeploymentStoppedPayload,
  RecordBillingBalance: RecordBillingBalancePayload,
  SuspendOrganization: SuspendOrganizationPayload,
  ReactivateOrganization: ReactivateOrganizationPayload,
  PlaceLegalHold: PlaceLegalHoldPayload,
  ReleaseLegalHold: ReleaseLegalHoldPayload,
  RequestDeletion: RequestDeletionPayload,
  CancelDeletion: CancelDeletionPayload,
  CompleteDeletion: CompleteDeletionPayload,
} as const satisfies Record<CommandType, new () => object>;

/** A class instance type as a plain, read-only object type. */
type Plain<T> = [keyof T] extends [never]
  ? Readonly<Record<string, never>>
  : { readonly [K in keyof T]: T[K] };

/** The validated payload of a command of type `T`, as plain data. */
export type PayloadOf<T extends CommandType> = Plain<
  InstanceType<(typeof PAYLOAD_CLASSES)[T]>
>;
