import { getJson } from './api.js';
import { h } from './dom.js';
import { auditFilters, auditResults } from './audit.js';
import { orgNav } from './org-nav.js';

/**
 * The audit timeline of one organization, filtered by actor, event type
 * and time range.
 *
 * @param {string} orgId
 * @param {URLSearchParams} params
 * @returns {Promise<import('./console.js').View>}
 */
export async function historyPage(orgId, params) {
  const api = `/v1/organizations/${encodeURIComponent(orgId)}`;
  const route = `/org/${encodeURIComponent(orgId)}/history`;
  const [view, results] = await Promise.all([
    /** @type {Promise<import('./api.js').OrganizationView>} */ (getJson(api)),
    auditResults(`${api}/audit`, route, params, false),
  ]);
  const { name } = view.state;
  return {
    title: `History of ${name}`,
    body: h(
      'div',
      {},
      orgNav(orgId, name, '/history'),
      auditFilters(route, params, false),
      results,
    ),
  };
}
