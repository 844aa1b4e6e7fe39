export {
  ALLOCATABLE_RESOURCES,
  type AllocatableResource,
  PAYMENT_METHODS,
  type PaymentMethod,
  PERMISSIONS,
  type Permission,
  RESOURCES,
  type Resource,
  ROLES,
  type Role,
} from './catalog.js';
export {
  COMMAND_TYPES,
  type CommandType,
  isCommandType,
} from './command-types.js';
export {
  CommandEnvelope,
  type ValidatedEnvelope,
  type ValidatedEnvelopeOf,
} from './commands/command-envelope.js';
export {
  type CommandJsonSchemaOptions,
  type CommandJsonSchemas,
  commandJsonSchemas,
  type JsonSchema,
  type PayloadSchemaName,
} from './commands/json-schemas.js';
export {
  CancelDeletionPayload,
  CompleteDeletionPayload,
  PlaceLegalHoldPayload,
  ReactivateOrganizationPayload,
  ReleaseLegalHoldPayload,
  RequestDeletionPayload,
  SuspendOrganizationPayload,
} from './commands/lifecycle.payloads.js';
export { LIST_CAPS, TEXT_CAPS } from './commands/limits.js';
export {
  AddMemberPayload,
  ChangeMemberRolePayload,
  MemberGrant,
  RemoveMemberPayload,
  TransferOwnershipPayload,
} from './commands/members.payloads.js';
export { PAYLOAD_CLASSES, type PayloadOf } from './commands/payloads.js';
export {
  ChangeLabelsPayload,
  CreateOrganizationPayload,
  UpdateProfilePayload,
} from './commands/profile.payloads.js';
export {
  ApiKeyRotation,
  ChangeBillingSettingsPayload,
  ChangeSecuritySettingsPayload,
} from './commands/settings.payloads.js';
export {
  AllocateResourcePayload,
  DeploymentReport,
  RecordBillingBalancePayload,
  RecordDeploymentStartedPayload,
  RecordDeploymentStoppedPayload,
  ReleaseResourcePayload,
  ResourceUsage,
  SetResourceLimitPayload,
} from './commands/usage.payloads.js';
export {
  type EnvelopeValidation,
  validateCommandEnvelope,
} from './commands/validate-command-envelope.js';
export {
  type AcceptedReply,
  type CommandReply,
  ERROR_CODES,
  type ErrorCode,
  HTTP_STATUS_BY_CODE,
  INTERNAL_ERROR_STATUS,
  type InternalErrorReply,
  type RecordedEvent,
  type RejectedReply,
  validationFailedReply,
} from './replies.js';
export type { FieldProblem } from './validation/problems.js';
