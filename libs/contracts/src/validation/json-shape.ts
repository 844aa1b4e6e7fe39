import { type FieldProblem, fieldPath } from './problems.js';

/** How much structure a value may have before its fields are checked. */
export interface ShapeLimits {
  /** Deepest nesting of objects and arrays; the top value is at depth 0. */
  readonly maxDepth: number;
  /** Most values (objects, arrays, scalars) in the whole tree. */
  readonly maxValues: number;
}

// Keys that change prototypes or constructors when a consumer copies the
// object carelessly; class-transformer would even drop two of them silently.
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_PROBLEMS = 10;

interface Pending {
  readonly value: unknown;
  readonly key: string;
  readonly path: string;
  readonly depth: number;
}

/**
 * Checks that `value` is plain JSON data of bounded size before any library
 * walks it: only plain objects, arrays, strings, finite numbers, booleans and
 * null; no reserved keys; nesting and size within `limits`. Iterative, so
 * that hostile nesting cannot exhaust the stack.
 */
export function jsonShapeProblems(
  value: unknown,
  limits: ShapeLimits,
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const pending: Pending[] = [{ value, key: '', path: '', depth: 0 }];
  let counted = 1;
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const problem = valueProblem(next, limits);
    if (problem !== undefined) {
      problems.push({ field: next.path, problem });
      if (problems.length >= MAX_PROBLEMS) break;
      continue;
    }
    counted += childCount(next.value);
    if (counted > limits.maxValues) {
      const problem = `holds more than ${limits.maxValues} values`;
      return [{ field: '', problem }];
    }
    for (const child of children(next)) pending.push(child);
  }
  return problems;
}

function valueProblem(
  { value, key, depth }: Pending,
  limits: ShapeLimits,
): string | undefined {
  if (RESERVED_KEYS.has(key)) return 'is a reserved name';
  switch (typeof value) {
    case 'string':
    case 'boolean':
    case 'undefined':
      return undefined;
    case 'number':
      return Number.isFinite(value) ? undefined : 'must be a finite number';
    case 'object':
      if (value === null) return undefined;
      if (!Array.isArray(value) && !isPlainObject(value)) {
        return 'must be plain JSON data';
      }
      return depth >= limits.maxDepth
        ? `nests deeper than ${limits.maxDepth} levels`
        : undefined;
    case 'bigint':
    case 'symbol':
    case 'function':
      return 'must be plain JSON data';
  }
}

function childCount(value: unknown): number {
  if (Array.isArray(value)) return value.length;
  return isPlainObject(value) ? Object.keys(value).length : 0;
}

function children({ value, path, depth }: Pending): Pending[] {
  if (typeof value !== 'object' || value === null) return [];
  const entries = Object.entries(value as Record<string, unknown>);
  return entries.map(([key, child]) => ({
    value: child,
    key,
    path: fieldPath(path, key),
    depth: depth + 1,
  }));
}

/** An object made by a JSON parser or an object literal. */
export function isPlainObject(
  value: unknown,
): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
