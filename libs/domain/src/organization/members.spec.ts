import { describe, expect, it } from '@jest/globals';

import { addMember, create, setLimit } from '../testing/commands.js';
import { given, history, OWNER } from '../testing/decider-spec.js';
import type { ChangeMemberRole, OrganizationCommand } from './commands.js';

const created = () => history(create());

function changeRole(
  userId: string,
  role: ChangeMemberRole['payload']['role'],
  permissions?: ChangeMemberRole['payload']['permissions'],
): OrganizationCommand {
  return {
    type: 'ChangeMemberRole',
    payload:
      permissions === undefined
        ? { userId, role }
        : { userId, role, permissions },
  };
}

function transfer(
  newOwnerUserId: string,
  previousOwnerRole?: 'viewer',
): OrganizationCommand {
  return {
    type: 'TransferOwnership',
    payload:
      previousOwnerRole === undefined
        ? { newOwnerUserId }
        : { newOwnerUserId, previousOwnerRole },
  };
}

describe('AddMember', () => {
  it('adds a member with their role and extra permissions, sorted and deduplicated', () => {
    given(...created())
      .when({
        type: 'AddMember',
        payload: {
          userId: 'u-1',
          role: 'developer',
          permissions: ['audit:read', 'billing:read', 'audit:read'],
        },
      })
      .then({
        type: 'MemberAdded',
        data: {
          userId: 'u-1',
          role: 'developer',
          permissions: ['billing:read', 'audit:read'],
        },
      });
  });

  it('refuses an unknown permission outside the catalogue', () => {
    given(...created())
      .when({
        type: 'AddMember',
        payload: {
          userId: 'u-1',
          role: 'viewer',
          permissions: ['devices:delete' as never],
        },
      })
      .thenRefuses('VALIDATION_FAILED');
  });

  it('refuses an unknown role, and the owner role, which only a transfer gives', () => {
    for (const role of ['superuser', 'owner']) {
      given(...created())
        .when({
          type: 'AddMember',
          payload: { userId: 'u-1', role: role as never },
        })
        .thenRefuses('VALIDATION_FAILED');
    }
  });

  it('records nothing when the member already has that role', () => {
    given(...history(create(), addMember('u-1', 'operator')))
      .when(addMember('u-1', 'operator'))
      .thenNothing();
  });

  it('refuses adding an existing member with another role (CONFLICT)', () => {
    given(...history(create(), addMember('u-1', 'operator')))
      .when(addMember('u-1', 'admin'))
      .thenRefuses('CONFLICT', { role: 'operator' });
  });

  it('keeps members within the users limit, the owner counted', () => {
    const past = history(create(), setLimit('users', 2), addMember('u-1'));
    given(...past)
      .when(addMember('u-2'))
      .thenRefuses('LIMIT_EXCEEDED', { resource: 'users', limit: 2, usage: 2 });
  });
});

describe('ChangeMemberRole', () => {
  it('changes the role and permissions of a member', () => {
    given(...history(create(), addMember('u-1')))
      .when(changeRole('u-1', 'operator', ['audit:read']))
      .then({
        type: 'MemberRoleChanged',
        data: { userId: 'u-1', role: 'operator', permissions: ['audit:read'] },
      });
  });

  it('records nothing when role and permissions are unchanged', () => {
    given(...history(create(), addMember('u-1', 'billing')))
      .when(changeRole('u-1', 'billing'))
      .thenNothing();
  });

  it('never demotes the owner: only an ownership transfer does', () => {
    given(...created())
      .when(changeRole(OWNER, 'viewer'))
      .thenRefuses('INVALID_STATE', { userId: OWNER });
  });

  it('refuses a user who is not a member', () => {
    given(...created())
      .when(changeRole('ghost', 'viewer'))
      .thenRefuses('INVALID_STATE');
  });
});

describe('RemoveMember', () => {
  it('removes a member', () => {
    const state = given(...history(create(), addMember('u-1')))
      .when({ type: 'RemoveMember', payload: { userId: 'u-1' } })
      .thenState();
    expect(state?.members.map((m) => m.userId)).toEqual([OWNER]);
  });

  it('never removes the owner', () => {
    given(...created())
      .when({ type: 'RemoveMember', payload: { userId: OWNER } })
      .thenRefuses('INVALID_STATE');
  });

  it('refuses removing a user who is not a member', () => {
    given(...created())
      .when({ type: 'RemoveMember', payload: { userId: 'ghost' } })
      .thenRefuses('INVALID_STATE');
  });
});

describe('TransferOwnership', () => {
  it('makes an existing member the owner; the previous owner stays as admin', () => {
    const past = history(create(), addMember('u-1', 'developer'));
    given(...past)
      .when(transfer('u-1'))
      .then({
        type: 'OwnershipTransferred',
        data: {
          previousOwnerUserId: OWNER,
          newOwnerUserId: 'u-1',
          previousOwnerRole: 'admin',
        },
      });
    const state = given(...past)
      .when(transfer('u-1'))
      .thenState();
    expect(state?.ownerUserId).toBe('u-1');
    expect(state?.members).toEqual([
      { userId: OWNER, role: 'admin', permissions: [] },
      { userId: 'u-1', role: 'owner', permissions: [] },
    ]);
  });

  it('gives the previous owner the role asked for', () => {
    const state = given(...history(create(), addMember('u-1')))
      .when(transfer('u-1', 'viewer'))
      .thenState();
    expect(state?.members.find((m) => m.userId === OWNER)?.role).toBe('viewer');
  });

  it('transfers only to an existing member', () => {
    given(...created())
      .when(transfer('stranger'))
      .thenRefuses('INVALID_STATE');
  });

  it('records nothing when the new owner already owns the organization', () => {
    given(...created())
      .when(transfer(OWNER))
      .thenNothing();
  });

  it('keeps exactly one owner across transfers', () => {
    const events = history(
      create(),
      addMember('u-1'),
      addMember('u-2'),
      transfer('u-1'),
      transfer('u-2'),
      transfer(OWNER),
    );
    const state = given(...events)
      .when(transfer(OWNER))
      .thenState();
    expect(state?.members.filter((m) => m.role === 'owner')).toEqual([
      { userId: OWNER, role: 'owner', permissions: [] },
    ]);
  });
});
