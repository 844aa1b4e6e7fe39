import { Injectable } from '@nestjs/common';
import {
  type Actor,
  authorizeMemberQuery,
  authorizeQuery,
  evolve,
  notFound,
  validationFailed,
  type Organization,
  type OrganizationEvent,
  type OrganizationState,
  type QueryScope,
} from '@org/domain';

import { OrganizationStreams } from '../commands/organization-streams.js';

/** An organization as the API shows it, with the revision it was read at. */
export interface OrganizationView {
  readonly orgId: string;
  readonly revision: number;
  readonly state: Omit<Organization, 'recentIdempotencyKeys'>;
}

/** Where in its history to look at an organization: a revision or a moment. */
export type PointInTime = { readonly revision: number } | { readonly at: Date };

/** Reads organizations from the event log, the source of truth. */
@Injectable()
export class OrganizationQueries {
  constructor(private readonly streams: OrganizationStreams) {}

  async current(actor: Actor, orgId: string): Promise<OrganizationView> {
    authorizeQuery(actor, orgId, 'state');
    const { state, revision } = await this.streams.load(orgId);
    return view(authorized(state, actor, orgId, 'state'), revision);
  }

  /** The state as it was at a revision or a moment, folded from the events up to there. */
  async asOf(
    actor: Actor,
    orgId: string,
    point: PointInTime,
  ): Promise<OrganizationView> {
    authorizeQuery(actor, orgId, 'history');
    const events = await this.streams.history(orgId);
    authorized(
      events.reduce<OrganizationState>(evolve, null),
      actor,
      orgId,
      'history',
    );
    const upTo = events.filter((event, revision) =>
      isWithin(event, revision, point),
    );
    const state = upTo.reduce<OrganizationState>(evolve, null);
    if (state === null) throw notFound(orgId);
    return view(state, upTo.length - 1);
  }
}

function authorized(
  state: OrganizationState,
  actor: Actor,
  orgId: string,
  scope: QueryScope,
): Organization {
  if (state === null) throw notFound(orgId);
  authorizeMemberQuery(state, actor, scope);
  return state;
}

function isWithin(
  event: OrganizationEvent,
  revision: number,
  point: PointInTime,
): boolean {
  if ('revision' in point) return revision <= point.revision;
  return Date.parse(event.metadata.occurredAt) <= point.at.getTime();
}

function view(org: Organization, revision: number): OrganizationView {
  const { recentIdempotencyKeys: _internal, ...state } = org;
  return { orgId: org.id, revision, state };
}

/** A point in time from query parameters: exactly one of `at` (ISO 8601) and `revision`. */
export function pointInTime(at: unknown, revision: unknown): PointInTime {
  if ((at === undefined) === (revision === undefined)) {
    throw validationFailed([
      { field: 'at', problem: 'give either at=<ISO time> or revision=<n>' },
    ]);
  }
  const text =
    typeof revision === 'string' || typeof revision === 'number'
      ? String(revision)
      : '';
  if (revision !== undefined && /^\d{1,15}$/.test(text))
    return { revision: Number(text) };
  if (
    typeof at === 'string' &&
    /^\d{4}-\d\d-\d\d/.test(at) &&
    !Number.isNaN(Date.parse(at))
  ) {
    return { at: new Date(at) };
  }
  const field = revision === undefined ? 'at' : 'revision';
  const problem =
    field === 'at' ? 'must be an ISO 8601 time' : 'must be a whole number';
  throw validationFailed([{ field, problem }]);
}
