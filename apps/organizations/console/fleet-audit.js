import { getBlob } from './api.js';
import { h } from './dom.js';
import { auditFilters, auditQuery, auditResults } from './audit.js';
import { errorPanel, isUnauthenticated } from './errors.js';

/**
 * The audit history across the fleet, with the same filters, and the
 * export of everything they match as NDJSON or CSV.
 *
 * @param {URLSearchParams} params
 * @param {(error: unknown) => void} signOut
 * @returns {Promise<import('./console.js').View>}
 */
export async function fleetAuditPage(params, signOut) {
  const results = await auditResults('/v1/audit', '/audit', params, true);
  return {
    title: 'Fleet audit',
    body: h(
      'div',
      {},
      auditFilters('/audit', params, true),
      downloads(params, signOut),
      results,
    ),
  };
}

/**
 * @param {URLSearchParams} params
 * @param {(error: unknown) => void} signOut
 */
function downloads(params, signOut) {
  const outcome = h('div', { class: 'outcome' });
  /** @param {'ndjson' | 'csv'} format */
  const button = (format) => {
    const element = h(
      'button',
      { type: 'button', class: 'secondary' },
      `Download ${format === 'csv' ? 'CSV' : 'NDJSON'}`,
    );
    element.addEventListener('click', () => {
      void download(params, format, outcome, signOut);
    });
    return element;
  };
  return h(
    'section',
    { class: 'panel downloads', 'aria-labelledby': 'export-title' },
    h('h2', { id: 'export-title' }, 'Export'),
    h('p', {}, 'Every entry these filters match, not only this page.'),
    h('div', { class: 'actions' }, button('ndjson'), button('csv')),
    outcome,
  );
}

/**
 * Fetches the export with the token (a plain link could not send it) and
 * saves it under its name.
 *
 * Limitation: the whole export is held in the browser's memory as one blob
 * before it is saved; a very large export is better fetched from
 * `GET /v1/audit/export` directly.
 *
 * @param {URLSearchParams} params
 * @param {'ndjson' | 'csv'} format
 * @param {HTMLElement} outcome
 * @param {(error: unknown) => void} signOut
 */
async function download(params, format, outcome, signOut) {
  const query = auditQuery(params);
  query.delete('cursor');
  query.set('format', format);
  outcome.replaceChildren(h('p', { role: 'status' }, 'Preparing the export…'));
  try {
    const blob = await getBlob('/v1/audit/export', query);
    const url = URL.createObjectURL(blob);
    const link = h('a', { href: url, download: `audit.${format}` });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => {
      URL.revokeObjectURL(url);
    }, 60_000);
    outcome.replaceChildren(
      h(
        'p',
        { role: 'status' },
        `The ${format.toUpperCase()} export was downloaded.`,
      ),
    );
  } catch (error) {
    if (isUnauthenticated(error)) {
      signOut(error);
      return;
    }
    outcome.replaceChildren(errorPanel(error));
  }
}
