import { getJson } from './api.js';
import { field, h, input } from './dom.js';
import { compare } from './diff.js';
import { errorPanel, isUnauthenticated } from './errors.js';
import * as format from './format.js';
import { formParams, href } from './paging.js';
import { orgNav } from './org-nav.js';

/**
 * The organization as it was at a revision or a moment, beside how it is
 * now, with what differs highlighted.
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
 * @param {string} api
 * @param {URLSearchParams} params
 * @param {import('./api.js').OrganizationView} now
 */
async function comparison(api, params, now) {
  const point = new URLSearchParams();
  const revision = params.get('revision');
  const at = params.get('at');
  if (revision !== null && revision !== '') point.set('revision', revision);
  else if (at !== null && at !== '') point.set('at', format.utcFromField(at));
  else
    return h(
      'p',
      { class: 'empty' },
      'Choose a revision or a moment to see the state then.',
    );
  try {
    const then = /** @type {import('./api.js').OrganizationView} */ (
      await getJson(`${api}/state`, point)
    );
    return differences(then, now);
  } catch (error) {
    if (isUnauthenticated(error)) throw error;
    return errorPanel(error);
  }
}

/**
 * @param {import('./api.js').OrganizationView} then
 * @param {import('./api.js').OrganizationView} now
 */
function differences(then, now) {
  const rows = compare(then.state, now.state);
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
        h('td', { class: 'now' }, format.value(row.now)),
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
      `At revision ${then.revision}, compared with now (revision ${now.revision})`,
    ),
    h(
      'p',
      { role: 'status', class: 'count' },
      changed === 0
        ? 'Nothing differs from now.'
        : changed === 1
          ? '1 field differs from now.'
          : `${changed} fields differ from now.`,
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
        h('caption', {}, `State at revision ${then.revision} and now`),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col' }, 'Field'),
            h('th', { scope: 'col' }, `Revision ${then.revision}`),
            h('th', { scope: 'col' }, `Now (revision ${now.revision})`),
            h('th', { scope: 'col' }, 'Difference'),
          ),
        ),
        body,
      ),
    ),
  );
}
