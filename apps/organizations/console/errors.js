import { ApiError } from './api.js';
import { h } from './dom.js';

/**
 * What went wrong, in words, with what the service said and the
 * correlation id to quote: never a stack trace.
 *
 * @param {unknown} error
 */
export function errorPanel(error) {
  const known = error instanceof ApiError;
  const message = known
    ? error.message
    : 'Something went wrong in the console. Reload the page and try again.';
  return h(
    'div',
    { class: 'problem', role: 'alert' },
    h('p', { class: 'problem-message' }, message),
    known && error.detail !== '' && error.status !== 401
      ? h('p', {}, `The service said: ${error.detail}.`)
      : null,
    known && error.correlationId !== null
      ? h('p', { class: 'hint' }, `Correlation id: ${error.correlationId}`)
      : null,
  );
}

/** @param {unknown} error */
export function isUnauthenticated(error) {
  return error instanceof ApiError && error.status === 401;
}
