import { type Checked, invalid, valid } from './checked.js';
import { checkLine } from './text.js';

export const MAX_FREE_LABELS = 20;

const LABEL_KEY = /^[a-z0-9_.-]{1,63}$/;
// Keys become object properties in every consumer of the wire format.
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** The value of a fleet dimension (environment, business unit, region). */
export function checkDimension(text: string): Checked<string> {
  const trimmed = text.trim();
  const value = trimmed.toLowerCase();
  if (!/^[A-Za-z0-9_.-]{1,63}$/.test(trimmed)) {
    return invalid('must be 1 to 63 characters of a-z, 0-9, "_", "." and "-"');
  }
  return valid(value);
}

/** Free labels, sorted by key so that equal sets compare equal. */
export function checkFreeLabels(
  labels: Readonly<Record<string, string>>,
): Checked<Record<string, string>> {
  const entries = Object.entries(labels);
  if (entries.length > MAX_FREE_LABELS) {
    return invalid(`at most ${MAX_FREE_LABELS} labels, got ${entries.length}`);
  }
  const checked: [string, string][] = [];
  for (const [key, value] of entries) {
    const problem = labelProblem(key, value);
    if (problem !== undefined) return invalid(problem);
    checked.push([key, value.trim()]);
  }
  checked.sort(([a], [b]) => (a < b ? -1 : 1));
  return valid(Object.fromEntries(checked));
}

function labelProblem(key: string, value: unknown): string | undefined {
  if (!LABEL_KEY.test(key) || RESERVED_KEYS.has(key)) {
    return `label key "${key.slice(0, 70)}" must be 1 to 63 characters of a-z, 0-9, "_", "." and "-"`;
  }
  if (typeof value !== 'string') return `label "${key}" must have a text value`;
  const checked = checkLine(value, 0, 255);
  return checked.ok ? undefined : `label "${key}" ${checked.problem}`;
}
