import { ApiError, session } from './api.js';
import { h } from './dom.js';
import { errorPanel, isUnauthenticated } from './errors.js';
import { fleetAuditPage } from './fleet-audit.js';
import { fleetPage } from './fleet.js';
import { historyPage } from './history.js';
import { organizationPage } from './organization.js';
import { signInPage } from './sign-in.js';
import { timeTravelPage } from './time-travel.js';

/**
 * What a page shows: its title (the page's one heading) and its content.
 *
 * @typedef {{ readonly title: string, readonly body: Node }} View
 */

/** @param {string} id */
function byId(id) {
  const element = document.getElementById(id);
  if (element === null) throw new Error(`the page lacks #${id}`);
  return element;
}

const main = byId('main');
const nav = byId('site-nav');

// Why the person was sent back to sign in, shown there once.
/** @type {string | null} */
let notice = null;
// Renders race when the hash changes quickly; only the latest may show.
let generation = 0;

/**
 * The route in the hash: its path segments and parameters.
 *
 * @param {string} hash
 */
function parse(hash) {
  const text = hash.replace(/^#/, '');
  const at = text.indexOf('?');
  const path = at === -1 ? text : text.slice(0, at);
  const params = new URLSearchParams(at === -1 ? '' : text.slice(at + 1));
  const segments = path.split('/').filter((s) => s !== '');
  try {
    return { segments: segments.map(decodeURIComponent), params };
  } catch {
    return { segments: ['not-found'], params };
  }
}

/**
 * The page for a route; `null` when none has that address.
 *
 * @param {readonly string[]} segments
 * @param {URLSearchParams} params
 * @returns {(() => View | Promise<View>) | null}
 */
function page(segments, params) {
  const [first, id, sub, extra] = segments;
  if (first === 'sign-in' && id === undefined) {
    const shown = notice;
    notice = null;
    return () => signInPage(shown);
  }
  if (first === 'fleet' && id === undefined) return () => fleetPage(params);
  if (first === 'audit' && id === undefined) {
    return () => fleetAuditPage(params, signOutAfter);
  }
  if (first === 'org' && id !== undefined && extra === undefined) {
    if (sub === undefined) return () => organizationPage(id);
    if (sub === 'history') return () => historyPage(id, params);
    if (sub === 'time-travel') return () => timeTravelPage(id, params);
  }
  return null;
}

async function render() {
  const mine = ++generation;
  const { segments, params } = parse(location.hash);
  const signedIn = session.token() !== null;
  if (!signedIn && segments[0] !== 'sign-in') {
    location.replace('#/sign-in');
    return;
  }
  if (segments.length === 0) {
    location.replace('#/fleet');
    return;
  }
  nav.hidden = !signedIn;
  markSection(segments[0] ?? '');
  main.setAttribute('aria-busy', 'true');
  main.replaceChildren(
    h('p', { role: 'status', class: 'loading' }, 'Loading…'),
  );
  const view = await viewOf(page(segments, params));
  if (mine !== generation || view === null) return;
  document.title = `${view.title} · Organizations console`;
  const heading = h('h1', { tabindex: -1 }, view.title);
  main.replaceChildren(heading, view.body);
  main.removeAttribute('aria-busy');
  heading.focus();
}

/**
 * @param {(() => View | Promise<View>) | null} show
 * @returns {Promise<View | null>}
 */
async function viewOf(show) {
  if (show === null) {
    return {
      title: 'Not found',
      body: h(
        'p',
        {},
        'The console has no page at this address. ',
        h('a', { href: '#/fleet' }, 'Go to the fleet.'),
      ),
    };
  }
  try {
    return await show();
  } catch (error) {
    if (isUnauthenticated(error)) {
      signOutAfter(error);
      return null;
    }
    return { title: titleOf(error), body: errorPanel(error) };
  }
}

/** @param {unknown} error */
function titleOf(error) {
  if (!(error instanceof ApiError)) return 'Something went wrong';
  if (error.status === 403) return 'Not allowed';
  if (error.status === 404) return 'Not found';
  if (error.status === 400 || error.status === 422) return 'Not accepted';
  return 'Service unavailable';
}

/**
 * Forgets the token and asks for a new one, saying why.
 *
 * @param {unknown} error
 */
function signOutAfter(error) {
  session.signOut();
  notice = error instanceof ApiError ? error.message : null;
  if (location.hash === '#/sign-in') void render();
  else location.hash = '#/sign-in';
}

/** @param {string} section */
function markSection(section) {
  for (const link of nav.querySelectorAll('a[data-section]')) {
    const current =
      link.getAttribute('data-section') ===
      (section === 'org' ? 'fleet' : section);
    if (current) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

/** Anything unexpected is said in words where the page was. */
function showFailure() {
  main.removeAttribute('aria-busy');
  main.replaceChildren(
    h('h1', { tabindex: -1 }, 'Something went wrong'),
    errorPanel(null),
  );
}

window.addEventListener('hashchange', () => {
  void render().catch(showFailure);
});
window.addEventListener('unhandledrejection', showFailure);
byId('sign-out').addEventListener('click', () => {
  session.signOut();
  notice = 'You are signed out.';
  location.hash = '#/sign-in';
});
byId('skip-link').addEventListener('click', (event) => {
  event.preventDefault();
  main.focus();
});
void render().catch(showFailure);
