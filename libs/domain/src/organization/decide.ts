import { DomainError } from '../errors.js';
import { authorize, authorizeMember, notFound } from './authorization.js';
import type { CommandType, OrganizationCommand } from './commands.js';
import type { CommandContext } from './context.js';
import {
  EVENT_SCHEMA_VERSIONS,
  type EventBody,
  type EventMetadata,
  type OrganizationEvent,
} from './events.js';
import {
  decideCancelDeletion,
  decideCompleteDeletion,
  decidePlaceLegalHold,
  decideReactivate,
  decideReleaseLegalHold,
  decideRequestDeletion,
  decideSuspend,
} from './lifecycle.js';
import {
  decideAddMember,
  decideChangeMemberRole,
  decideRemoveMember,
  decideTransferOwnership,
} from './members.js';
import {
  decideChangeLabels,
  decideCreate,
  decideUpdateProfile,
} from './profile.js';
import {
  decideChangeBillingSettings,
  decideChangeSecuritySettings,
} from './settings.js';
import type { Organization, OrganizationState } from './state.js';
import {
  decideAllocate,
  decideBillingBalance,
  decideDeployment,
  decideRelease,
  decideSetResourceLimit,
  isUsageReplay,
} from './usage.js';

/** What a scheduled deletion still lets through: its own course, and facts. */
const WHILE_DELETION_SCHEDULED: readonly CommandType[] = [
  'CancelDeletion',
  'CompleteDeletion',
  'PlaceLegalHold',
  'ReleaseLegalHold',
  'ReleaseResource',
  'RecordDeploymentStarted',
  'RecordDeploymentStopped',
  'RecordBillingBalance',
];

const REFUSED_WHILE_SUSPENDED: readonly CommandType[] = [
  'AllocateResource',
  'RequestDeletion',
];

/**
 * Decides what a command means for an organization: the events to record, or
 * a {@link DomainError}. Pure: the clock comes with the context. An empty list
 * means the command is accepted and changes nothing.
 */
export function decide(
  state: OrganizationState,
  command: OrganizationCommand,
  context: CommandContext,
): OrganizationEvent[] {
  authorize(command, context);
  if (command.type === 'CreateOrganization') {
    return stamp(decideCreate(state, command.payload, context), context);
  }
  if (state === null) throw notFound(context.orgId);
  authorizeMember(state, command, context.actor);
  if (state.status === 'deleted') {
    throw new DomainError(
      'INVALID_STATE',
      'the organization is deleted; nothing can change it',
    );
  }
  if (isReplayedUsage(state, command)) return [];
  checkStatus(state, command, context);
  return stamp(decideExisting(state, command, context), context);
}

function decideExisting(
  org: Organization,
  command: Exclude<OrganizationCommand, { type: 'CreateOrganization' }>,
  context: CommandContext,
): EventBody[] {
  switch (command.type) {
    case 'UpdateProfile':
      return decideUpdateProfile(org, command.payload);
    case 'ChangeLabels':
      return decideChangeLabels(org, command.payload);
    case 'ChangeSecuritySettings':
      return decideChangeSecuritySettings(org, command.payload);
    case 'ChangeBillingSettings':
      return decideChangeBillingSettings(org, command.payload);
    case 'SetResourceLimit':
      return decideSetResourceLimit(org, command.payload, context.actor);
    case 'AddMember':
      return decideAddMember(org, command.payload);
    case 'ChangeMemberRole':
      return decideChangeMemberRole(org, command.payload);
    case 'RemoveMember':
      return decideRemoveMember(org, command.payload);
    case 'TransferOwnership':
      return decideTransferOwnership(org, command.payload);
    case 'AllocateResource':
      return decideAllocate(org, command.payload);
    case 'ReleaseResource':
      return decideRelease(org, command.payload);
    case 'RecordDeploymentStarted':
      return decideDeployment(org, command.payload.deploymentId, true);
    case 'RecordDeploymentStopped':
      return decideDeployment(org, command.payload.deploymentId, false);
    case 'RecordBillingBalance':
      return decideBillingBalance(org, command.payload);
    case 'SuspendOrganization':
      return decideSuspend(org, command.payload);
    case 'ReactivateOrganization':
      return decideReactivate(org);
    case 'PlaceLegalHold':
      return decidePlaceLegalHold(org, command.payload);
    case 'ReleaseLegalHold':
      return decideReleaseLegalHold(org, command.payload);
    case 'RequestDeletion':
      return decideRequestDeletion(org, command.payload, context.now);
    case 'CancelDeletion':
      return decideCancelDeletion(org, context.now);
    case 'CompleteDeletion':
      return decideCompleteDeletion(org, context.now);
  }
}

// A retried allocation or release is answered as done even if the
// organization has since been suspended or scheduled for deletion.
function isReplayedUsage(
  org: Organization,
  command: OrganizationCommand,
): boolean {
  return (
    (command.type === 'AllocateResource' ||
      command.type === 'ReleaseResource') &&
    isUsageReplay(org, command)
  );
}

function checkStatus(
  org: Organization,
  command: OrganizationCommand,
  context: CommandContext,
): void {
  if (
    org.status === 'deletion_scheduled' &&
    !WHILE_DELETION_SCHEDULED.includes(command.type)
  ) {
    throw new DomainError(
      'INVALID_STATE',
      `the organization is frozen until its deletion at ${org.deletion?.effectiveAt ?? 'its scheduled time'}; cancel the deletion to change it`,
      { status: org.status },
    );
  }
  const refusedWhileSuspended =
    REFUSED_WHILE_SUSPENDED.includes(command.type) ||
    context.actor.type === 'user';
  if (org.status === 'suspended' && refusedWhileSuspended) {
    throw new DomainError(
      'INVALID_STATE',
      `the organization is suspended; ${command.type} needs it reactivated by support`,
      { status: org.status },
    );
  }
}

/** The metadata every event of a command carries. */
export function eventMetadata(context: CommandContext): EventMetadata {
  return {
    orgId: context.orgId,
    actor: context.actor,
    reference: context.reference,
    commandId: context.commandId,
    correlationId: context.correlationId,
    causationId: context.causationId,
    occurredAt: context.now.toISOString(),
  };
}

function stamp(
  bodies: readonly EventBody[],
  context: CommandContext,
): OrganizationEvent[] {
  const metadata = eventMetadata(context);
  return bodies.map((body) => ({
    ...body,
    schemaVersion: EVENT_SCHEMA_VERSIONS[body.type],
    metadata,
  }));
}
