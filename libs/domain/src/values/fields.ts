import { type FieldProblem, validationFailed } from '../errors.js';
import { type Checked, invalid, valid } from './checked.js';

type Values<T> = { [K in keyof T]: T[K] extends Checked<infer V> ? V : never };

/**
 * Checks every field of a payload at once, so that a refusal lists all that
 * is wrong rather than the first thing.
 */
export function checkFields<T extends Record<string, Checked<unknown>>>(
  fields: T,
): Values<T> {
  const problems: FieldProblem[] = [];
  const values: Record<string, unknown> = {};
  for (const [field, checked] of Object.entries(fields)) {
    if (checked.ok) values[field] = checked.value;
    else problems.push({ field, problem: checked.problem });
  }
  if (problems.length > 0) throw validationFailed(problems);
  return values as Values<T>;
}

/** A required text field: anything but a string is refused before `check` runs. */
export function text<T>(
  value: unknown,
  check: (text: string) => Checked<T>,
): Checked<T> {
  return typeof value === 'string' ? check(value) : invalid('must be text');
}

/** An optional field: absent stays absent. */
export function optional<I, T>(
  value: I | undefined,
  check: (value: I) => Checked<T>,
): Checked<T | undefined> {
  return value === undefined ? valid(undefined) : check(value);
}

/** An optional field that `null` clears. */
export function clearable<I, T>(
  value: I | null | undefined,
  check: (value: I) => Checked<T>,
): Checked<T | null | undefined> {
  if (value === undefined) return valid(undefined);
  return value === null ? valid(null) : check(value);
}

export function integer(
  value: unknown,
  min: number,
  max: number,
): Checked<number> {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    return invalid('must be a whole number');
  }
  if (value < min || value > max) {
    return invalid(`must be between ${min} and ${max}, got ${value}`);
  }
  // -0 would survive here and come back from a JSON store as 0.
  return valid(value === 0 ? 0 : value);
}

export function boolean(value: unknown): Checked<boolean> {
  return typeof value === 'boolean'
    ? valid(value)
    : invalid('must be true or false');
}

export function oneOf<T extends string>(
  value: unknown,
  allowed: readonly T[],
): Checked<T> {
  return allowed.includes(value as T)
    ? valid(value as T)
    : invalid(`must be one of ${allowed.join(', ')}`);
}

export function list(value: unknown, max: number): Checked<readonly unknown[]> {
  if (!Array.isArray(value)) return invalid('must be a list');
  if (value.length > max)
    return invalid(`must hold at most ${max} items, got ${value.length}`);
  return valid(value as readonly unknown[]);
}

export function record(
  value: unknown,
): Checked<Readonly<Record<string, unknown>>> {
  const isRecord =
    typeof value === 'object' && value !== null && !Array.isArray(value);
  return isRecord
    ? valid(value as Record<string, unknown>)
    : invalid('must be an object');
}

export function then<A, B>(
  checked: Checked<A>,
  next: (value: A) => Checked<B>,
): Checked<B> {
  return checked.ok ? next(checked.value) : checked;
}
