/** Structural equality of plain data: primitives, arrays and plain objects. */
export function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (
    typeof a !== 'object' ||
    typeof b !== 'object' ||
    a === null ||
    b === null
  ) {
    return false;
  }
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const aKeys = Object.keys(a);
  const bKeys = Object.keys(b);
  if (aKeys.length !== bKeys.length) return false;
  const bRecord = b as Record<string, unknown>;
  const aRecord = a as Record<string, unknown>;
  return aKeys.every(
    (key) => Object.hasOwn(b, key) && sameData(aRecord[key], bRecord[key]),
  );
}

/** The fields of `proposed` whose values differ from `current`. */
export function changedFields<T extends object>(
  current: T,
  proposed: Partial<T>,
): Partial<T> {
  const changed: Partial<T> = {};
  for (const key of Object.keys(proposed) as (keyof T)[]) {
    const value = proposed[key];
    if (value !== undefined && !sameData(current[key], value))
      changed[key] = value;
  }
  return changed;
}
