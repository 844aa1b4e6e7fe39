import { getJson } from './api.js';
import { field, h, input } from './dom.js';
import { compare } from './diff.js';
import { errorPanel, isUnauthenticated } from './errors.js';
import * as format from './format.js';
import { formParams, href } from './paging.js';
import { orgNav } from './org-nav.js';

/**
 * The organization as it was at a revision or a moment, beside how it is
 * now (or at another revision), with what differs highlighted.
 *
 * @param {string} orgId
 * @param {URLSearchParams} params
 * @returns {Promise<import('./console.js').View>}
 */
export async function timeTravelPage(orgId, params) {
  const api = `/v1/organizations/${encodeURIComponent(orgId)}`;
  const now = /** @type {import('./api.js').OrganizationView} */ (
    await getJson(api)
  );
  const { name } = now.state;
  const route = `/org/${encodeURIComponent(orgId)}/time-travel`;
  return {
    title: `Time travel: ${name}`,
    body: h(
      'div',
      {},
      orgNav(orgId, name, '/time-travel'),
      picker(route, params, now.revision),
      await comparison(api, params, now),
    ),
  };
}

/**
 * @param {string} route
 * @param {URLSearchParams} params
 * @param {number} latest
 */
function picker(route, params, latest) {
  const form = h(
    'form',
    { class: 'panel filters', 'aria-label': 'Choose a point in the history' },
    h(
      'p',
      {},
      'Give a revision or a moment; the revision wins if you give both.',
    ),
    h(
      'div',
      { class: 'fields' },
      field(
        'Revision',
        input('revision', params.get('revision') ?? '', {
          type: 'number',
          min: 0,
          max: latest,
          step: 1,
        }),
        `0 to ${latest}`,
      ),
      field(
        'Moment (UTC)',
        input('at', params.get('at') ?? '', {
          type: 'datetime-local',
          step: 1,
        }),
      ),
      field(
        'Compare with revision',
        input('against', params.get('against') ?? '', {
          type: 'number',
          min: 0,
          max: latest,
          step: 1,
        }),
        'empty: now',
      ),
    ),
    h('button', { type: 'submit' }, 'Show the state then'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const chosen = formParams(form);
    if (chosen.has('revision')) chosen.delete('at');
    location.hash = href(route, chosen);
  });
  return form;
}

/**
 * A point in the history as the API takes it, from the route's revision
 * (first) or moment.
 *
 * @param {string | null} revision
 * @param {string | null} at
 */
function pointOf(revision, at) {
  if (revision !== null && revision !== '') {
    return new URLSearchParams({ revision });
  }
  if (at !== null && at !== '') {
    return new URLSearchParams({ at: format.utcFromField(at) });
  }
  return null;
}

/**
 * @param {string} api
 * @param {URLSearchParams} params
 * @param {import('./api.js').OrganizationView} now
 */
async function comparison(api, params, now) {
  const point = pointOf(params.get('revision'), params.get('at'));
  if (point === null) {
    return h(
      'p',
      { class: 'empty' },
      'Choose a revision or a moment to see the state then.',
    );
  }
  const against = pointOf(params.get('against'), null);
  try {
    const [then, other] = await Promise.all([
      stateAt(api, point),
      against === null ? now : stateAt(api, against),
    ]);
    const label =
      against === null
        ? `now (revision ${now.revision})`
        : `revision ${other.revision}`;
    return differences(then, other, label);
  } catch (error) {
    if (isUnauthenticated(error)) throw error;
    return errorPanel(error);
  }
}

/**
 * @param {string} api
 * @param {URLSearchParams} point
 */
async function stateAt(api, point) {
  return /** @type {import('./api.js').OrganizationView} */ (
    await getJson(`${api}/state`, point)
  );
}

/**
 * @param {import('./api.js').OrganizationView} then
 * @param {import('./api.js').OrganizationView} other
 * @param {string} label what `other` is: now, or another revision
 */
function differences(then, other, label) {
  const rows = compare(then.state, other.state);
  const changed = rows.filter((row) => row.changed).length;
  const onlyChanged = h('input', {
    id: 'only-changed',
    type: 'checkbox',
    checked: true,
  });
  const body = h(
    'tbody',
    {},
    ...rows.map((row) =>
      h(
        'tr',
        { class: row.changed ? 'changed' : 'same', hidden: !row.changed },
        h('th', { scope: 'row' }, h('code', {}, row.path)),
        h('td', { class: 'then' }, format.value(row.then)),
        h('td', { class: 'against' }, format.value(row.now)),
        h('td', {}, row.changed ? 'changed' : 'same'),
      ),
    ),
  );
  onlyChanged.addEventListener('change', () => {
    for (const row of body.querySelectorAll('tr.same')) {
      row.toggleAttribute('hidden', onlyChanged.checked);
    }
  });
  return h(
    'section',
    { 'aria-labelledby': 'then-title' },
    h(
      'h2',
      { id: 'then-title' },
      `At revision ${then.revision}, compared with ${label}`,
    ),
    h(
      'p',
      { role: 'status', class: 'count' },
      changed === 0
        ? `Nothing differs from ${label}.`
        : changed === 1
          ? `1 field differs from ${label}.`
          : `${changed} fields differ from ${label}.`,
    ),
    h(
      'div',
      { class: 'field inline' },
      onlyChanged,
      h('label', { for: 'only-changed' }, 'Show only the fields that differ'),
    ),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'diff' },
        h('caption', {}, `State at revision ${then.revision} and ${label}`),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col' }, 'Field'),
            h('th', { scope: 'col' }, `Revision ${then.revision}`),
            h('th', { scope: 'col' }, capitalized(label)),
            h('th', { scope: 'col' }, 'Difference'),
          ),
        ),
        body,
      ),
    ),
  );
}

/** @param {string} text */
function capitalized(text) {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}
