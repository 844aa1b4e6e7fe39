import type { Actor } from '../actor.js';
import { DomainError } from '../errors.js';
import { notFound, permissionsOf } from './authorization.js';
import type { Organization } from './state.js';

/** What a query reads: the current state, or the history behind it. */
export type QueryScope = 'state' | 'history';

/**
 * Which organizations an actor may look through in fleet-wide queries: all
 * of them, or, for a user, only their own.
 */
export function fleetScope(
  actor: Actor,
  scope: QueryScope,
): { readonly orgId?: string } {
  if (!MAY_READ[actor.type].includes(scope)) {
    throw new DomainError(
      'FORBIDDEN',
      `a ${actor.type} actor may not read the fleet's ${scope}`,
    );
  }
  return actor.type === 'user' ? { orgId: actor.orgId } : {};
}

const MAY_READ: Readonly<Record<Actor['type'], readonly QueryScope[]>> = {
  support: ['state', 'history'],
  sales: ['state'],
  service: ['state'],
  system: ['state', 'history'],
  user: ['state', 'history'],
};

/**
 * Authorizes a query from what is known before reading: a user reads only
 * their own organization, and another organization's id is simply not found.
 */
export function authorizeQuery(
  actor: Actor,
  orgId: string,
  scope: QueryScope,
): void {
  if (!MAY_READ[actor.type].includes(scope)) {
    throw new DomainError(
      'FORBIDDEN',
      `a ${actor.type} actor may not read an organization's ${scope}`,
    );
  }
  if (actor.type === 'user' && actor.orgId !== orgId) throw notFound(orgId);
}

/** Authorizes a user's query against the members: history needs `audit:read`. */
export function authorizeMemberQuery(
  org: Pick<Organization, 'id' | 'members'>,
  actor: Actor,
  scope: QueryScope,
): void {
  if (actor.type !== 'user') return;
  const member = org.members.find((m) => m.userId === actor.id);
  if (member === undefined) throw notFound(org.id);
  if (scope === 'history' && !permissionsOf(member).has('audit:read')) {
    throw new DomainError(
      'FORBIDDEN',
      'reading history needs the audit:read permission',
      {
        required: 'audit:read',
      },
    );
  }
}
