import { h } from './dom.js';

// The first page has no cursor; it stands in the trail as this.
const FIRST = '.';

/**
 * Links to the next and the previous page of a cursor-paged listing. The
 * hash keeps the trail of cursors that led here, so that going back is a
 * link too.
 *
 * @param {string} path the route, e.g. `/fleet`
 * @param {URLSearchParams} params the route's parameters now
 * @param {string | null} nextCursor
 */
export function pager(path, params, nextCursor) {
  const trail = (params.get('trail') ?? '').split(',').filter((c) => c !== '');
  const links = [];
  const previous = trail.at(-1);
  if (previous !== undefined) {
    links.push(
      link(
        path,
        params,
        previous === FIRST ? null : previous,
        trail.slice(0, -1),
        'Previous page',
      ),
    );
  }
  if (nextCursor !== null) {
    const here = params.get('cursor') ?? FIRST;
    links.push(link(path, params, nextCursor, [...trail, here], 'Next page'));
  }
  if (links.length === 0) return null;
  return h('nav', { class: 'pager', 'aria-label': 'Pages' }, ...links);
}

/**
 * @param {string} path
 * @param {URLSearchParams} params
 * @param {string | null} cursor
 * @param {readonly string[]} trail
 * @param {string} text
 */
function link(path, params, cursor, trail, text) {
  const next = new URLSearchParams(params);
  next.delete('cursor');
  next.delete('trail');
  if (cursor !== null) next.set('cursor', cursor);
  if (trail.length > 0) next.set('trail', trail.join(','));
  return h('a', { href: href(path, next) }, text);
}

/**
 * A route's address in the hash.
 *
 * @param {string} path
 * @param {URLSearchParams} [params]
 */
export function href(path, params) {
  const search = params === undefined || params.size === 0 ? '' : `?${params}`;
  return `#${path}${search}`;
}

/**
 * The filled-in fields of a form as route parameters (the page starts again
 * at the first page).
 *
 * @param {HTMLFormElement} form
 */
export function formParams(form) {
  const params = new URLSearchParams();
  for (const [name, value] of new FormData(form)) {
    if (typeof value === 'string' && value.trim() !== '') {
      params.set(name, value.trim());
    }
  }
  return params;
}

/**
 * The API query for a route: its parameters without the trail.
 *
 * @param {URLSearchParams} params
 * @param {readonly string[]} names the parameters the API takes
 */
export function apiQuery(params, names) {
  const query = new URLSearchParams();
  for (const name of names) {
    const value = params.get(name);
    if (value !== null && value !== '') query.set(name, value);
  }
  return query;
}

/**
 * The page size the route asks for (`limit`, 1 to 999), else `fallback`.
 *
 * @param {URLSearchParams} params
 * @param {string} fallback
 */
export function pageSize(params, fallback) {
  const given = params.get('limit') ?? '';
  return /^[1-9]\d{0,2}$/.test(given) ? given : fallback;
}
