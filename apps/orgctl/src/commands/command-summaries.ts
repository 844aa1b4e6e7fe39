import type { CommandType } from '@org/contracts';

/** One line of help per command type; the record makes a new type need one. */
export const COMMAND_SUMMARIES: Readonly<Record<CommandType, string>> = {
  CreateOrganization: 'Create an organization',
  UpdateProfile: 'Change display name, description, e-mail',
  ChangeLabels: 'Change environment, unit, region, labels',
  ChangeSecuritySettings: 'Change 2FA, IP allowlist, sessions, keys',
  ChangeBillingSettings: 'Change billing e-mail, payment, alerts',
  SetResourceLimit: 'Set the limit of one resource',
  AddMember: 'Add a member with a role',
  ChangeMemberRole: "Replace a member's role and permissions",
  RemoveMember: 'Remove a member',
  TransferOwnership: 'Make an existing member the owner',
  AllocateResource: 'Report resources allocated',
  ReleaseResource: 'Report resources released',
  RecordDeploymentStarted: 'Report a deployment started',
  RecordDeploymentStopped: 'Report a deployment stopped',
  RecordBillingBalance: 'Report the outstanding balance',
  SuspendOrganization: 'Suspend the organization, with a reason',
  ReactivateOrganization: 'Reactivate a suspended organization',
  PlaceLegalHold: 'Place a legal hold (blocks deletion)',
  ReleaseLegalHold: 'Release a legal hold',
  RequestDeletion: 'Schedule deletion after a grace period',
  CancelDeletion: 'Cancel a scheduled deletion',
  CompleteDeletion: 'Complete a scheduled deletion',
};
