/**
 * Flattens organization states into dotted paths and compares them, for
 * time travel: what differs between then and now.
 */

// Lists whose elements have a natural key: compared by it, not by position.
const KEYS = ['userId', 'caseReference'];

/**
 * @param {unknown} value
 * @param {string} [prefix]
 * @param {Map<string, unknown>} [into]
 * @returns {Map<string, unknown>}
 */
export function flatten(value, prefix = '', into = new Map()) {
  if (Array.isArray(value)) {
    const items = /** @type {unknown[]} */ (value);
    const key = keyOf(items);
    if (key === undefined || items.length === 0) {
      into.set(prefix, items);
      return into;
    }
    for (const item of items) {
      const record = /** @type {Record<string, unknown>} */ (item);
      const { [key]: id, ...rest } = record;
      flatten(rest, `${prefix}[${String(id)}]`, into);
    }
    return into;
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value);
    if (entries.length === 0 && prefix !== '') into.set(prefix, {});
    for (const [name, inner] of entries) {
      flatten(inner, prefix === '' ? name : `${prefix}.${name}`, into);
    }
    return into;
  }
  into.set(prefix, value);
  return into;
}

/** @param {readonly unknown[]} items */
function keyOf(items) {
  return KEYS.find((key) =>
    items.every(
      (item) => typeof item === 'object' && item !== null && key in item,
    ),
  );
}

/**
 * @typedef {{ readonly path: string, readonly then: unknown, readonly now: unknown, readonly changed: boolean }} Difference
 */

/**
 * Every path of either state, in the order of the state now, with both
 * values and whether they differ.
 *
 * @param {unknown} then
 * @param {unknown} now
 * @returns {Difference[]}
 */
export function compare(then, now) {
  const before = flatten(then);
  const after = flatten(now);
  const paths = [...new Set([...after.keys(), ...before.keys()])];
  return paths.map((path) => {
    const a = before.get(path);
    const b = after.get(path);
    return {
      path,
      then: a,
      now: b,
      changed:
        before.has(path) !== after.has(path) ||
        JSON.stringify(a) !== JSON.stringify(b),
    };
  });
}
