import { h } from './dom.js';
import { href } from './paging.js';

const PAGES = /** @type {const} */ ([
  ['', 'Overview'],
  ['/history', 'History'],
  ['/time-travel', 'Time travel'],
]);

/**
 * The pages of one organization, the current one marked.
 *
 * @param {string} orgId
 * @param {string} name
 * @param {'' | '/history' | '/time-travel'} current
 */
export function orgNav(orgId, name, current) {
  return h(
    'nav',
    { class: 'org-nav', 'aria-label': `Pages of ${name}` },
    h(
      'ul',
      {},
      ...PAGES.map(([page, text]) =>
        h(
          'li',
          {},
          h(
            'a',
            {
              href: href(`/org/${encodeURIComponent(orgId)}${page}`),
              'aria-current': page === current ? 'page' : undefined,
            },
            text,
          ),
        ),
      ),
    ),
  );
}
