import { getJson } from './api.js';
import { field, h, input, select, table } from './dom.js';
import { errorPanel, isUnauthenticated } from './errors.js';
import * as format from './format.js';
import { formParams, href, pager, pageSize } from './paging.js';

// The event types of the domain; a type string never changes.
// Limitation: the list is copied from the domain's EVENT_TYPES, since the
// browser code imports nothing from outside its folder and the API does not
// list them; a new event type must be added here to be offered as a filter
// (its entries show either way).
const EVENT_TYPES = [
  'OrganizationCreated',
  'ProfileUpdated',
  'LabelsChanged',
  'SecuritySettingsChanged',
  'BillingSettingsChanged',
  'ResourceLimitChanged',
  'MemberAdded',
  'MemberRoleChanged',
  'MemberRemoved',
  'OwnershipTransferred',
  'ResourceAllocated',
  'ResourceReleased',
  'UsageThresholdCrossed',
  'DeploymentStarted',
  'DeploymentStopped',
  'BillingBalanceRecorded',
  'OrganizationSuspended',
  'OrganizationReactivated',
  'LegalHoldPlaced',
  'LegalHoldReleased',
  'DeletionRequested',
  'DeletionCancelled',
  'DeletionBlocked',
  'OrganizationDeleted',
];

const PAGE_SIZE = '25';

/**
 * The audit filters as the API takes them, from a route's parameters;
 * times in the route are the UTC fields' values.
 *
 * @param {URLSearchParams} params
 */
export function auditQuery(params) {
  const query = new URLSearchParams();
  for (const name of ['orgId', 'actor', 'type', 'order', 'cursor']) {
    const given = params.get(name);
    if (given !== null && given !== '') query.set(name, given);
  }
  for (const name of ['from', 'to']) {
    const given = params.get(name);
    if (given !== null && given !== '') {
      query.set(name, format.utcFromField(given));
    }
  }
  return query;
}

/**
 * The filter form: actor, event type, time range and order, and the
 * organization too when `withOrganization`.
 *
 * @param {string} path the route the form searches
 * @param {URLSearchParams} params
 * @param {boolean} withOrganization
 */
export function auditFilters(path, params, withOrganization) {
  /** @param {string} name */
  const given = (name) => params.get(name) ?? '';
  const form = h(
    'form',
    {
      class: 'panel filters',
      role: 'search',
      'aria-label': 'Filter the history',
    },
    h(
      'div',
      { class: 'fields' },
      withOrganization
        ? field('Organization id', input('orgId', given('orgId')))
        : null,
      field(
        'Actor',
        input('actor', given('actor')),
        'type:id, e.g. support:agent-7',
      ),
      field(
        'Event type',
        select(
          'type',
          [
            ['', 'any type'],
            ...EVENT_TYPES.map((t) => /** @type {const} */ ([t, t])),
          ],
          given('type'),
        ),
      ),
      field(
        'From (UTC)',
        input('from', given('from'), { type: 'datetime-local', step: 1 }),
      ),
      field(
        'To (UTC)',
        input('to', given('to'), { type: 'datetime-local', step: 1 }),
      ),
      field(
        'Order',
        select(
          'order',
          [
            ['newest', 'newest first'],
            ['oldest', 'oldest first'],
          ],
          given('order') || 'newest',
        ),
      ),
    ),
    h('button', { type: 'submit' }, 'Filter'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    location.hash = href(path, formParams(form));
  });
  return form;
}

/**
 * One page of audit entries for the filters, or what went wrong.
 *
 * @param {string} apiPath
 * @param {string} routePath
 * @param {URLSearchParams} params
 * @param {boolean} withOrganization
 */
export async function auditResults(
  apiPath,
  routePath,
  params,
  withOrganization,
) {
  const query = auditQuery(params);
  query.set('limit', pageSize(params, PAGE_SIZE));
  try {
    const page =
      /** @type {import('./api.js').Page<import('./api.js').AuditEntry>} */ (
        await getJson(apiPath, query)
      );
    return h(
      'section',
      { 'aria-label': 'Audit entries' },
      h(
        'p',
        { role: 'status', class: 'count' },
        page.items.length === 1
          ? '1 entry on this page.'
          : `${page.items.length} entries on this page.`,
      ),
      entriesTable(page.items, withOrganization),
      pager(routePath, params, page.nextCursor),
    );
  } catch (error) {
    if (isUnauthenticated(error)) throw error;
    return errorPanel(error);
  }
}

/**
 * @param {readonly import('./api.js').AuditEntry[]} entries
 * @param {boolean} withOrganization
 */
function entriesTable(entries, withOrganization) {
  const headings = [
    'When',
    ...(withOrganization ? ['Organization'] : []),
    'Who',
    'What',
    'Ticket or contract',
    'Changes',
    'Revision',
  ];
  const rows = entries.map((entry) => {
    const org = `/org/${encodeURIComponent(entry.orgId)}`;
    const travel = new URLSearchParams({ revision: String(entry.revision) });
    return [
      h('time', { datetime: entry.occurredAt }, format.time(entry.occurredAt)),
      ...(withOrganization ? [h('a', { href: href(org) }, entry.orgName)] : []),
      format.actor(entry.actor),
      entry.eventType,
      entry.reference ?? '—',
      changes(entry.changes),
      h(
        'a',
        {
          href: href(`${org}/time-travel`, travel),
          'aria-label': `State at revision ${entry.revision}`,
        },
        String(entry.revision),
      ),
    ];
  });
  return table(
    'Audit entries',
    headings,
    rows,
    'No entry matches these filters.',
  );
}

/** @param {readonly import('./api.js').FieldChange[]} list */
function changes(list) {
  if (list.length === 0) return '—';
  return h(
    'ul',
    { class: 'changes' },
    ...list.map((change) =>
      h(
        'li',
        {},
        h('code', {}, change.path),
        ' ',
        h('span', { class: 'visually-hidden' }, 'before '),
        h('span', { class: 'before' }, format.value(change.before)),
        h('span', { 'aria-hidden': 'true' }, ' → '),
        h('span', { class: 'visually-hidden' }, ' after '),
        h('span', { class: 'after' }, format.value(change.after)),
      ),
    ),
  );
}
