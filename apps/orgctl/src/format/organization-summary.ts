import type {
  DeletionView,
  OrganizationStateView,
  OrganizationView,
} from '../queries/organization-view.js';
import { renderFields, renderTable, type Row } from './table.js';

/**
 * An organization as support reads it: who and what it is, its lifecycle
 * (holds, deletion), limits against usage, and members with their roles.
 * `--json` shows everything else.
 */
export function renderOrganization(view: OrganizationView): string {
  const { state } = view;
  return [
    renderFields([
      ['name', state.name],
      ['id', view.orgId],
      ['status', statusOf(state)],
      ['display name', state.profile.displayName],
      ['revision', String(view.revision)],
      ['owner', state.ownerUserId],
      ...legalHolds(state),
      ['deletion', deletion(state.deletion)],
    ]),
    renderTable(['resource', 'limit', 'usage'], resourceRows(state)),
    renderTable(['member', 'role', 'extra permissions'], memberRows(state)),
  ].join('\n\n');
}

function statusOf(state: OrganizationStateView): string {
  return state.status === 'suspended' && state.suspensionReason !== null
    ? `suspended (${state.suspensionReason})`
    : state.status;
}

function legalHolds(state: OrganizationStateView): [string, string][] {
  if (state.legalHolds.length === 0) return [['legal holds', 'none']];
  return state.legalHolds.map((hold, index) => [
    index === 0 ? 'legal holds' : '',
    `${hold.caseReference} (${hold.reason})`,
  ]);
}

function deletion(scheduled: DeletionView | null): string {
  if (scheduled === null) return 'not scheduled';
  const days = scheduled.gracePeriodDays === 1 ? 'day' : 'days';
  const when =
    `effective ${scheduled.effectiveAt} (requested ` +
    `${scheduled.requestedAt}, ${scheduled.gracePeriodDays} ${days} of grace)`;
  const blocked = scheduled.blockedBy ?? [];
  if (blocked.length === 0) return when;
  const reasons = blocked.map((unmet) => String(unmet.precondition));
  return `${when}; blocked by ${reasons.join(', ')}`;
}

// Users are counted as members, not reported as usage.
function resourceRows(state: OrganizationStateView): Row[] {
  return Object.entries(state.limits).map(([resource, limit]) => [
    resource,
    limit === null ? 'unlimited' : String(limit),
    String(
      resource === 'users'
        ? state.members.length
        : (state.usage[resource] ?? 0),
    ),
  ]);
}

function memberRows(state: OrganizationStateView): Row[] {
  return state.members.map((member) => [
    member.userId,
    member.role,
    member.permissions.length === 0 ? '-' : member.permissions.join(', '),
  ]);
}
