/** How values of the API read on the page. */

/**
 * A moment as UTC, to the second: one clock for every reader.
 *
 * @param {string | null | undefined} iso
 */
export function time(iso) {
  if (iso === null || iso === undefined || iso === '') return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/**
 * Any state value as short text: `—` for none.
 *
 * @param {unknown} value
 */
export function value(value) {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value === '' ? '""' : value;
  if (typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  return JSON.stringify(value);
}

/** @param {boolean} flag */
export function yesNo(flag) {
  return flag ? 'yes' : 'no';
}

/** @param {{ readonly type: string, readonly id: string }} actor */
export function actor(actor) {
  return `${actor.type}:${actor.id}`;
}

/**
 * `status` words as people say them.
 *
 * @param {string} status
 */
export function status(status) {
  return status.replace(/_/g, ' ');
}

/**
 * @param {number} cents
 * @param {string | null} currency
 */
export function money(cents, currency) {
  return `${(cents / 100).toFixed(2)} ${currency ?? ''}`.trim();
}

/**
 * The UTC value of a `datetime-local` field as ISO 8601; the fields say
 * they are UTC, so the browser's own time zone plays no part.
 *
 * @param {string} local
 */
export function utcFromField(local) {
  return local === '' ? '' : new Date(`${local}Z`).toISOString();
}

/**
 * An ISO time as a UTC `datetime-local` value.
 *
 * @param {string | null} iso
 */
export function fieldFromUtc(iso) {
  if (iso === null || iso === '') return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : date.toISOString().slice(0, 19);
}
