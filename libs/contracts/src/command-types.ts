/**
 * Every command the service accepts, by its `type` in the envelope. The names
 * are part of the wire contract and equal the domain's command types (a test
 * outside this library keeps the two lists equal).
 */
export const COMMAND_TYPES = [
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
] as const;

/** The `type` of a command envelope. */
export type CommandType = (typeof COMMAND_TYPES)[number];

/** Whether `value` names a command of {@link COMMAND_TYPES}. */
export function isCommandType(value: unknown): value is CommandType {
  return COMMAND_TYPES.includes(value as CommandType);
}
