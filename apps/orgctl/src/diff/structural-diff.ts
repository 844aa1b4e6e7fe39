/** One difference between two JSON values, at a path inside them. */
export interface Change {
  /** Such as `profile.displayName` or `members[userId=u-2].role`. */
  readonly path: string;
  readonly kind: 'added' | 'removed' | 'changed';
  readonly before?: unknown;
  readonly after?: unknown;
}

type JsonObject = Readonly<Record<string, unknown>>;

/**
 * The keys that identify the items of a list of objects, so that a member
 * added in the middle reads as one addition, not as every later item
 * changed.
 */
const IDENTITY_KEYS = ['userId', 'caseReference', 'id', 'key'] as const;

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * The differences between two JSON values: objects compared key by key,
 * lists of identified objects (members, legal holds) item by item by their
 * identity, and any other list or value as a whole.
 */
export function diff(before: unknown, after: unknown, path = ''): Change[] {
  if (deepEqual(before, after)) return [];
  if (before === undefined) return [{ path, kind: 'added', after }];
  if (after === undefined) return [{ path, kind: 'removed', before }];
  if (isObject(before) && isObject(after)) {
    return unionOfKeys(before, after).flatMap((key) =>
      diff(before[key], after[key], childPath(path, key)),
    );
  }
  const identity = identityKey(before, after);
  if (identity !== undefined) {
    return diffIdentified(
      before as JsonObject[],
      after as JsonObject[],
      identity,
      path,
    );
  }
  return [{ path, kind: 'changed', before, after }];
}

/** Structural equality of JSON values; the order of object keys does not matter. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length &&
      keys.every((key) => key in b && deepEqual(a[key], b[key]))
    );
  }
  return false;
}

function diffIdentified(
  before: readonly JsonObject[],
  after: readonly JsonObject[],
  identity: string,
  path: string,
): Change[] {
  const byId = (items: readonly JsonObject[]) =>
    new Map(items.map((item) => [String(item[identity]), item]));
  const was = byId(before);
  const is = byId(after);
  const ids = unionOfKeys(Object.fromEntries(was), Object.fromEntries(is));
  return ids.flatMap((id) =>
    diff(was.get(id), is.get(id), `${path}[${identity}=${id}]`),
  );
}

function identityKey(before: unknown, after: unknown): string | undefined {
  if (!Array.isArray(before) || !Array.isArray(after)) return undefined;
  const items = [...(before as unknown[]), ...(after as unknown[])];
  return IDENTITY_KEYS.find((key) => {
    const ids = (list: unknown[]) =>
      list.map((item) => (isObject(item) ? item[key] : undefined));
    return (
      items.every((item) => isObject(item) && typeof item[key] === 'string') &&
      unique(ids(before)) &&
      unique(ids(after))
    );
  });
}

function unique(values: readonly unknown[]): boolean {
  return new Set(values).size === values.length;
}

function unionOfKeys(a: JsonObject, b: JsonObject): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])];
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function childPath(path: string, key: string): string {
  if (!IDENTIFIER.test(key)) return `${path}[${JSON.stringify(key)}]`;
  return path === '' ? key : `${path}.${key}`;
}
