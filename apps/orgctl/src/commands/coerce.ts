import { InvalidArgumentError } from 'commander';

import { kebabToCamel } from './names.js';
import type { NestedField, ScalarType } from './schema-fields.js';

type JsonObject = Record<string, unknown>;

const PAIR_START = /^\s*[A-Za-z0-9_.-]+=/;

/** A whole number written in decimal digits, within the safe integer range. */
export function parseInteger(text: string): number {
  const value = Number(text.trim());
  if (!/^-?\d+$/.test(text.trim()) || !Number.isSafeInteger(value)) {
    throw new InvalidArgumentError(`"${text}" is not a whole number.`);
  }
  return value;
}

/** One value of a scalar field: text as is, a whole number, or a choice. */
export function parseScalar(type: ScalarType, text: string): string | number {
  switch (type.kind) {
    case 'integer':
      return parseInteger(text);
    case 'enum':
      if (type.choices.includes(text)) return text;
      throw new InvalidArgumentError(
        `"${text}" is not one of ${type.choices.join(', ')}.`,
      );
    case 'text':
      return text;
  }
}

/**
 * Adds the items of one occurrence of a list option to the earlier ones:
 * `--x a --x b` and `--x a,b` both give `[a, b]`; `--x ''` gives `[]`.
 */
export function parseListItems(
  item: ScalarType,
  text: string,
  previous: readonly unknown[] = [],
): unknown[] {
  const items = text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => parseScalar(item, part));
  return [...previous, ...items];
}

/**
 * Adds one occurrence of a record option such as `--labels` to the earlier
 * ones: `key=value` pairs (repeated, or comma-separated where each part
 * starts with `key=`), or a JSON object. `''` or `{}` gives an empty record.
 */
export function parseRecordEntries(
  text: string,
  previous: JsonObject = {},
): JsonObject {
  return {
    ...previous,
    ...entriesOf(
      text,
      (key) => key,
      (_, v) => v,
    ),
  };
}

/**
 * Adds one occurrence of a nested-object option such as
 * `--api-key-rotation max-age-days=90,warn-before-days=14` to the earlier
 * ones, typing each value by the nested schema; `null` is accepted where the
 * field is nullable. Keys may be written in kebab-case or camelCase.
 */
export function parseObjectEntries(
  fields: Readonly<Record<string, NestedField>>,
  text: string,
  previous: JsonObject = {},
): JsonObject {
  const entries = entriesOf(text, kebabToCamel, (key, value) =>
    nestedValue(fields, key, value),
  );
  for (const key of Object.keys(entries)) {
    if (fields[key] === undefined) {
      const known = Object.keys(fields).join(', ');
      throw new InvalidArgumentError(`"${key}" is not one of ${known}.`);
    }
  }
  return { ...previous, ...entries };
}

/** A JSON value given on the command line, such as `--payload`. */
export function parseJsonObject(text: string): JsonObject {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new InvalidArgumentError('it is not valid JSON.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidArgumentError('it must be a JSON object.');
  }
  return value as JsonObject;
}

/** Any JSON value, for fields whose schema orgctl cannot turn into flags. */
export function parseJsonValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new InvalidArgumentError('it is not valid JSON.');
  }
}

function entriesOf(
  text: string,
  keyOf: (key: string) => string,
  valueOf: (key: string, value: string) => unknown,
): JsonObject {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) return parseJsonObject(trimmed);
  const entries: JsonObject = {};
  for (const pair of splitPairs(trimmed)) {
    const at = pair.indexOf('=');
    if (at < 1) {
      throw new InvalidArgumentError(
        `"${pair}" is not key=value (or give a JSON object).`,
      );
    }
    const key = keyOf(pair.slice(0, at).trim());
    entries[key] = valueOf(key, pair.slice(at + 1));
  }
  return entries;
}

/** Splits at the commas that are followed by another `key=`. */
function splitPairs(text: string): string[] {
  if (text === '') return [];
  return text.split(',').reduce<string[]>((pairs, part) => {
    const previous = pairs.at(-1);
    if (previous === undefined || PAIR_START.test(part))
      return [...pairs, part];
    return [...pairs.slice(0, -1), `${previous},${part}`];
  }, []);
}

function nestedValue(
  fields: Readonly<Record<string, NestedField>>,
  key: string,
  text: string,
): unknown {
  const field = fields[key];
  if (field === undefined) return text;
  if (field.nullable && text.trim() === 'null') return null;
  return parseScalar(field.type, text.trim());
}
