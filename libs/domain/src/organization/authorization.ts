import type { Actor, ActorType } from '../actor.js';
import { DomainError, validationFailed } from '../errors.js';
import { checkLine } from '../values/text.js';
import {
  LIMIT_POLICIES,
  type MemberRole,
  type Permission,
  ROLE_PERMISSIONS,
} from './catalog.js';
import type { CommandType, OrganizationCommand } from './commands.js';
import type { CommandContext } from './context.js';
import type { Member, Organization } from './state.js';

const USAGE_REPORTS: readonly CommandType[] = [
  'AllocateResource',
  'ReleaseResource',
  'RecordDeploymentStarted',
  'RecordDeploymentStopped',
  'RecordBillingBalance',
];

/** What a `user` needs, beyond being a member, for the commands users may send. */
const USER_REQUIREMENTS: Partial<Record<CommandType, Permission | 'owner'>> = {
  UpdateProfile: 'settings:write',
  ChangeLabels: 'settings:write',
  ChangeSecuritySettings: 'settings:write',
  ChangeBillingSettings: 'billing:write',
  RequestDeletion: 'owner',
  CancelDeletion: 'owner',
};

const MAY_SEND: Readonly<Record<ActorType, (type: CommandType) => boolean>> = {
  support: () => true,
  sales: (type) => type === 'SetResourceLimit',
  user: (type) => type in USER_REQUIREMENTS,
  service: (type) => USAGE_REPORTS.includes(type),
  system: (type) => type === 'CompleteDeletion',
};

const NEEDS_REFERENCE: readonly ActorType[] = ['support', 'sales'];

/**
 * Authorizes a command from what is known before any state is read: the
 * actor's kind, its organization, its reference, and the limit it asks for.
 * Rules that need the member list are in {@link authorizeMember}.
 */
export function authorize(
  command: OrganizationCommand,
  context: CommandContext,
): void {
  const { actor } = context;
  if (!MAY_SEND[actor.type](command.type)) {
    throw new DomainError(
      'FORBIDDEN',
      `a ${actor.type} actor may not send ${command.type}`,
    );
  }
  if (actor.type === 'user' && actor.orgId !== context.orgId) {
    throw notFound(context.orgId);
  }
  checkReference(actor, context.reference);
  if (command.type === 'SetResourceLimit')
    checkSupportCeiling(actor, command.payload);
}

/** Authorizes a `user` actor against the organization's members and their roles. */
export function authorizeMember(
  org: Organization,
  command: OrganizationCommand,
  actor: Actor,
): void {
  if (actor.type !== 'user') return;
  const member = org.members.find((m) => m.userId === actor.id);
  if (member === undefined) {
    throw new DomainError(
      'FORBIDDEN',
      'you are not a member of this organization',
    );
  }
  const requirement = USER_REQUIREMENTS[command.type];
  if (requirement === undefined || allows(member, requirement)) return;
  throw new DomainError(
    'FORBIDDEN',
    requirement === 'owner'
      ? `only the owner may send ${command.type}`
      : `${command.type} needs the ${requirement} permission; ask an admin or support`,
    { required: requirement },
  );
}

export function permissionsOf(member: Member): ReadonlySet<Permission> {
  return new Set([...ROLE_PERMISSIONS[member.role], ...member.permissions]);
}

export function notFound(orgId: string): DomainError {
  return new DomainError('NOT_FOUND', `organization ${orgId} not found`);
}

function allows(member: Member, requirement: Permission | 'owner'): boolean {
  const role: MemberRole = member.role;
  if (requirement === 'owner') return role === 'owner';
  return permissionsOf(member).has(requirement);
}

function checkReference(actor: Actor, reference: string | null): void {
  if (reference === null) {
    if (!NEEDS_REFERENCE.includes(actor.type)) return;
    const what =
      actor.type === 'sales' ? 'the sales contract' : 'the support ticket';
    throw validationFailed([
      { field: 'reference', problem: `${what} is required` },
    ]);
  }
  const checked = checkLine(reference, 1, 128);
  if (!checked.ok)
    throw validationFailed([{ field: 'reference', problem: checked.problem }]);
}

function checkSupportCeiling(
  actor: Actor,
  payload: { readonly resource: string; readonly limit: number | null },
): void {
  const policy = Object.hasOwn(LIMIT_POLICIES, payload.resource)
    ? LIMIT_POLICIES[payload.resource as keyof typeof LIMIT_POLICIES]
    : undefined;
  if (actor.type !== 'support' || policy?.salesMayExceed !== true) return;
  if (payload.limit === null || payload.limit > policy.supportCeiling) {
    throw new DomainError(
      'FORBIDDEN',
      `raising ${payload.resource} above ${policy.supportCeiling} is a sales decision; ask sales with a contract reference`,
      { resource: payload.resource, ceiling: policy.supportCeiling },
    );
  }
}
