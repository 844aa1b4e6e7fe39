import { describe, expect, it } from '@jest/globals';

import { refusalOf } from '../testing/decider-spec.js';
import { addMember, create } from '../testing/commands.js';
import {
  actors,
  fold,
  history,
  ORG_ID,
  OTHER_ORG_ID,
  user,
} from '../testing/decider-spec.js';
import {
  authorizeMemberQuery,
  authorizeQuery,
  fleetScope,
} from './query-authorization.js';

const org = fold(
  history(create(), addMember('viewer-1', 'viewer'), {
    type: 'AddMember',
    payload: {
      userId: 'auditor-1',
      role: 'viewer',
      permissions: ['audit:read'],
    },
  }),
)!;

describe('query authorization', () => {
  it('lets support read state and history of any organization', () => {
    expect(() => {
      authorizeQuery(actors.support, OTHER_ORG_ID, 'history');
    }).not.toThrow();
  });

  it('lets services and sales read state but not history', () => {
    expect(() => {
      authorizeQuery(actors.service, ORG_ID, 'state');
    }).not.toThrow();
    expect(
      refusalOf(() => {
        authorizeQuery(actors.sales, ORG_ID, 'history');
      }).code,
    ).toBe('FORBIDDEN');
  });

  it('answers a user asking for another organization with NOT_FOUND, revealing nothing', () => {
    const error = refusalOf(() => {
      authorizeQuery(actors.stranger, ORG_ID, 'state');
    });
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toBe(`organization ${ORG_ID} not found`);
  });

  it('answers a user who is not a member with NOT_FOUND', () => {
    const error = refusalOf(() => {
      authorizeMemberQuery(org, user('ghost'), 'state');
    });
    expect(error.code).toBe('NOT_FOUND');
  });

  it('lets any member read the state, and only members with audit:read the history', () => {
    expect(() => {
      authorizeMemberQuery(org, actors.viewer, 'state');
    }).not.toThrow();
    expect(
      refusalOf(() => {
        authorizeMemberQuery(org, actors.viewer, 'history');
      }).code,
    ).toBe('FORBIDDEN');
    expect(() => {
      authorizeMemberQuery(org, user('auditor-1'), 'history');
    }).not.toThrow();
    expect(() => {
      authorizeMemberQuery(org, actors.owner, 'history');
    }).not.toThrow();
  });
});

describe('fleet queries', () => {
  it('let support, sales and services look through every organization', () => {
    expect(fleetScope(actors.support, 'history')).toEqual({});
    expect(fleetScope(actors.service, 'state')).toEqual({});
  });

  it('restrict a user to their own organization', () => {
    expect(fleetScope(actors.owner, 'state')).toEqual({ orgId: ORG_ID });
  });

  it('refuse the fleet history to services and sales', () => {
    expect(refusalOf(() => fleetScope(actors.service, 'history')).code).toBe(
      'FORBIDDEN',
    );
    expect(refusalOf(() => fleetScope(actors.sales, 'history')).code).toBe(
      'FORBIDDEN',
    );
  });
});
