import { getJson } from './api.js';
import { field, h, input, select, table } from './dom.js';
import { errorPanel, isUnauthenticated } from './errors.js';
import * as format from './format.js';
import { apiQuery, formParams, href, pager, pageSize } from './paging.js';

const PAGE_SIZE = '20';

const STATUSES = /** @type {const} */ ([
  ['', 'any status'],
  ['active', 'active'],
  ['suspended', 'suspended'],
  ['deletion_scheduled', 'deletion scheduled'],
  ['deleted', 'deleted'],
]);

/**
 * The fleet: organizations found by name, environment, business unit,
 * region, label and status, a page at a time.
 *
 * @param {URLSearchParams} params
 * @returns {Promise<import('./console.js').View>}
 */
export async function fleetPage(params) {
  const form = filters(params);
  const query = apiQuery(params, [
    'namePrefix',
    'environment',
    'businessUnit',
    'region',
    'status',
    'cursor',
  ]);
  for (const label of (params.get('label') ?? '').split(',')) {
    if (label.trim() !== '') query.append('label', label.trim());
  }
  query.set('limit', pageSize(params, PAGE_SIZE));
  let results;
  try {
    const page =
      /** @type {import('./api.js').Page<import('./api.js').DirectoryEntry>} */ (
        await getJson('/v1/organizations', query)
      );
    results = listing(page, params);
  } catch (error) {
    if (isUnauthenticated(error)) throw error;
    results = errorPanel(error);
  }
  return { title: 'Fleet', body: h('div', {}, form, results) };
}

/** @param {URLSearchParams} params */
function filters(params) {
  /** @param {string} name */
  const given = (name) => params.get(name) ?? '';
  const form = h(
    'form',
    {
      class: 'panel filters',
      role: 'search',
      'aria-label': 'Find organizations',
    },
    h(
      'div',
      { class: 'fields' },
      field('Name starts with', input('namePrefix', given('namePrefix'))),
      field('Environment', input('environment', given('environment'))),
      field('Business unit', input('businessUnit', given('businessUnit'))),
      field('Region', input('region', given('region'))),
      field(
        'Label',
        input('label', given('label')),
        'key:value, several with commas',
      ),
      field('Status', select('status', STATUSES, given('status'))),
    ),
    h('button', { type: 'submit' }, 'Search'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    location.hash = href('/fleet', formParams(form));
  });
  return form;
}

/**
 * @param {import('./api.js').Page<import('./api.js').DirectoryEntry>} page
 * @param {URLSearchParams} params
 */
function listing(page, params) {
  const count = page.items.length;
  const rows = page.items.map((org) => [
    h('a', { href: href(`/org/${encodeURIComponent(org.id)}`) }, org.name),
    org.profile.displayName,
    h(
      'span',
      { class: `status status-${org.status}` },
      format.status(org.status),
    ),
    format.value(org.labels.environment),
    format.value(org.labels.businessUnit),
    format.value(org.labels.region),
    Object.entries(org.labels.labels)
      .map(([key, value]) => `${key}:${value}`)
      .join(', ') || '—',
  ]);
  return h(
    'section',
    { 'aria-label': 'Organizations found' },
    h(
      'p',
      { role: 'status', class: 'count' },
      count === 1
        ? '1 organization on this page.'
        : `${count} organizations on this page.`,
    ),
    table(
      'Organizations',
      [
        'Name',
        'Display name',
        'Status',
        'Environment',
        'Business unit',
        'Region',
        'Labels',
      ],
      rows,
      'No organization matches these filters.',
    ),
    pager('/fleet', params, page.nextCursor),
  );
}
