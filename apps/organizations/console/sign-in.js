import { ApiError, getJson, session } from './api.js';
import { field, h } from './dom.js';
import { errorPanel } from './errors.js';

/**
 * Asks for the bearer token, checks it against the API, and keeps it for
 * this tab only.
 *
 * @param {string | null} notice why the person is asked to sign in again
 * @returns {import('./console.js').View}
 */
export function signInPage(notice) {
  const token = h('input', {
    id: 'token',
    name: 'token',
    type: 'password',
    autocomplete: 'off',
    spellcheck: 'false',
    required: true,
  });
  const outcome = h('div', { class: 'outcome' });
  const form = h(
    'form',
    { class: 'panel sign-in', 'aria-describedby': 'sign-in-about' },
    h(
      'p',
      { id: 'sign-in-about' },
      'Sign in with the bearer token you use for the API. It stays in this ' +
        'browser tab only, until you sign out or close the tab.',
    ),
    field('Bearer token', token),
    h('button', { type: 'submit' }, 'Sign in'),
  );
  if (notice !== null) {
    outcome.append(h('p', { class: 'problem', role: 'alert' }, notice));
  }
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void signIn(token, outcome);
  });
  return { title: 'Sign in', body: h('div', {}, outcome, form) };
}

/**
 * @param {HTMLInputElement} token
 * @param {HTMLElement} outcome
 */
async function signIn(token, outcome) {
  const value = token.value.trim();
  if (value === '') {
    outcome.replaceChildren(
      h('p', { class: 'problem', role: 'alert' }, 'Enter your token first.'),
    );
    token.focus();
    return;
  }
  session.signIn(value);
  outcome.replaceChildren(h('p', { role: 'status' }, 'Checking the token…'));
  try {
    await getJson('/v1/organizations', new URLSearchParams({ limit: '1' }));
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 403) {
      session.signOut();
      outcome.replaceChildren(errorPanel(error));
      token.select();
      return;
    }
  }
  location.hash = '#/fleet';
}
