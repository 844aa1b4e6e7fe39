import { DomainError } from '../errors.js';
import { invalid, valid, type Checked } from '../values/checked.js';
import {
  checkFields,
  list,
  oneOf,
  optional,
  text,
  then,
} from '../values/fields.js';
import { checkIdentifier } from '../values/text.js';
import { PERMISSIONS, type Permission, ROLES } from './catalog.js';
import type {
  AddMember,
  ChangeMemberRole,
  RemoveMember,
  TransferOwnership,
} from './commands.js';
import type { EventBody } from './events.js';
import type { Member, Organization } from './state.js';

export function decideAddMember(
  org: Organization,
  payload: AddMember['payload'],
): EventBody[] {
  const member = checkMember(payload);
  const existing = findMember(org, member.userId);
  if (existing !== undefined) {
    if (sameGrant(existing, member)) return [];
    throw new DomainError(
      'CONFLICT',
      `user ${member.userId} is already a member as ${existing.role}; use ChangeMemberRole`,
      { userId: member.userId, role: existing.role },
    );
  }
  const limit = org.limits.users;
  if (limit !== null && org.members.length >= limit) {
    throw new DomainError(
      'LIMIT_EXCEEDED',
      `users limit is ${limit} and ${org.members.length} are members; raise the limit or remove a member`,
      { resource: 'users', limit, usage: org.members.length, requested: 1 },
    );
  }
  return [{ type: 'MemberAdded', data: member }];
}

export function decideChangeMemberRole(
  org: Organization,
  payload: ChangeMemberRole['payload'],
): EventBody[] {
  const member = checkMember(payload);
  const existing = requireNonOwner(org, member.userId, 'change the role of');
  return sameGrant(existing, member)
    ? []
    : [{ type: 'MemberRoleChanged', data: member }];
}

export function decideRemoveMember(
  org: Organization,
  payload: RemoveMember['payload'],
): EventBody[] {
  const { userId } = checkFields({
    userId: text(payload.userId, checkIdentifier),
  });
  requireNonOwner(org, userId, 'remove');
  return [{ type: 'MemberRemoved', data: { userId } }];
}

export function decideTransferOwnership(
  org: Organization,
  payload: TransferOwnership['payload'],
): EventBody[] {
  const transfer = checkFields({
    newOwnerUserId: text(payload.newOwnerUserId, checkIdentifier),
    previousOwnerRole: optional(payload.previousOwnerRole, (r) =>
      oneOf(r, ROLES),
    ),
  });
  if (transfer.newOwnerUserId === org.ownerUserId) return [];
  requireMember(org, transfer.newOwnerUserId);
  return [
    {
      type: 'OwnershipTransferred',
      data: {
        previousOwnerUserId: org.ownerUserId,
        newOwnerUserId: transfer.newOwnerUserId,
        previousOwnerRole: transfer.previousOwnerRole ?? 'admin',
      },
    },
  ];
}

function checkMember(payload: AddMember['payload']) {
  return checkFields({
    userId: text(payload.userId, checkIdentifier),
    role: oneOf(payload.role, ROLES),
    permissions: checkPermissions(payload.permissions ?? []),
  });
}

function checkPermissions(value: unknown): Checked<readonly Permission[]> {
  return then(list(value, PERMISSIONS.length * 2), (items) => {
    const unknown = items.filter((p) => !PERMISSIONS.includes(p as Permission));
    if (unknown.length > 0) {
      return invalid(
        `unknown permissions ${unknown.map(String).join(', ')}; known: ${PERMISSIONS.join(', ')}`,
      );
    }
    return valid(PERMISSIONS.filter((p) => items.includes(p)));
  });
}

function sameGrant(a: Member, b: Member): boolean {
  return a.role === b.role && a.permissions.join() === b.permissions.join();
}

function findMember(org: Organization, userId: string): Member | undefined {
  return org.members.find((m) => m.userId === userId);
}

function requireMember(org: Organization, userId: string): Member {
  const member = findMember(org, userId);
  if (member === undefined) {
    throw new DomainError(
      'INVALID_STATE',
      `user ${userId} is not a member; add them first`,
      {
        userId,
      },
    );
  }
  return member;
}

function requireNonOwner(
  org: Organization,
  userId: string,
  action: string,
): Member {
  const member = requireMember(org, userId);
  if (member.role === 'owner') {
    throw new DomainError(
      'INVALID_STATE',
      `cannot ${action} the owner; transfer ownership first`,
      { userId },
    );
  }
  return member;
}
