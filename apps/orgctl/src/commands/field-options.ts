import { Option } from 'commander';

import {
  parseInteger,
  parseJsonValue,
  parseListItems,
  parseObjectEntries,
  parseRecordEntries,
} from './coerce.js';
import type { FieldType, PayloadField, ScalarType } from './schema-fields.js';

/**
 * The flags of one payload field: `--<flag> <value>` typed by its schema, a
 * `--no-<flag>` pair for booleans, and `--no-<flag>` sending `null` where
 * the field is nullable.
 */
export function optionsFor(field: PayloadField): Option[] {
  if (field.type.kind === 'boolean') return booleanOptions(field);
  const option = new Option(
    `--${field.flag} <${placeholder(field.type)}>`,
    describe(field),
  );
  configure(option, field.type);
  if (!field.nullable) return [option];
  const clear = new Option(
    `--no-${field.flag}`,
    `send ${field.property}: null`,
  );
  return [option, clear];
}

/**
 * The payload fields given as flags, under their payload names. A nullable
 * field's `--no-` flag gives `null`.
 */
export function payloadFromOptions(
  fields: readonly PayloadField[],
  options: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const payload: Record<string, unknown> = {};
  for (const field of fields) {
    const value = options[field.property];
    if (value === undefined) continue;
    payload[field.property] =
      value === false && field.type.kind !== 'boolean' ? null : value;
  }
  return payload;
}

function booleanOptions(field: PayloadField): Option[] {
  const required = field.required ? 'required: ' : '';
  return [
    new Option(`--${field.flag}`, `${required}${field.property}: true`),
    new Option(`--no-${field.flag}`, `${field.property}: false`),
  ];
}

function configure(
  option: Option,
  type: Exclude<FieldType, { kind: 'boolean' }>,
): void {
  switch (type.kind) {
    case 'enum':
      option.choices(type.choices);
      return;
    case 'integer':
      option.argParser(parseInteger);
      return;
    case 'text':
      return;
    case 'list':
      option.argParser((text, previous: unknown[] | undefined) =>
        parseListItems(type.item, text, previous),
      );
      return;
    case 'record':
      option.argParser(parseRecordEntries);
      return;
    case 'object':
      option.argParser((text, previous: Record<string, unknown> | undefined) =>
        parseObjectEntries(type.fields, text, previous),
      );
      return;
    case 'json':
      option.argParser(parseJsonValue);
      return;
  }
}

function placeholder(type: FieldType): string {
  switch (type.kind) {
    case 'text':
      return type.format ?? 'text';
    case 'integer':
      return 'n';
    case 'enum':
    case 'boolean':
      return 'value';
    case 'list':
      return placeholder(type.item);
    case 'record':
    case 'object':
      return 'key=value|json';
    case 'json':
      return 'json';
  }
}

function describe(field: PayloadField): string {
  const parts = [
    field.required ? 'required' : undefined,
    typeHint(field.type),
    field.nullable ? `--no-${field.flag} sends null` : undefined,
    field.description,
  ];
  return parts.filter((part) => part !== undefined).join('; ');
}

function typeHint(type: FieldType): string | undefined {
  switch (type.kind) {
    case 'text':
      return textHint(type);
    case 'integer':
      return `a whole number${rangeOf(type)}`;
    case 'enum':
    case 'boolean':
      return undefined;
    case 'list':
      return `${listHint(type.item)}: repeat the flag or separate with commas, '' for none`;
    case 'record':
      return "key=value (repeat, or separate with commas) or a JSON object, '{}' for none";
    case 'object':
      return `${Object.keys(type.fields).join(', ')} as key=value pairs or a JSON object`;
    case 'json':
      return 'JSON';
  }
}

function textHint(type: {
  readonly format?: string;
  readonly max?: number;
}): string {
  const what = type.format === 'email' ? 'an e-mail address' : 'text';
  return type.max === undefined
    ? what
    : `${what}, at most ${type.max} characters`;
}

function listHint(item: ScalarType): string {
  if (item.kind === 'integer') return 'a list of whole numbers';
  if (item.kind === 'text') return 'a list';
  const quoted = item.choices.map((choice) => `"${choice}"`);
  return `a list of ${quoted.join(', ')}`;
}

function rangeOf(type: {
  readonly min?: number;
  readonly max?: number;
}): string {
  if (type.min !== undefined && type.max !== undefined) {
    return type.max >= Number.MAX_SAFE_INTEGER
      ? `, at least ${type.min}`
      : `, ${type.min} to ${type.max}`;
  }
  if (type.min !== undefined) return `, at least ${type.min}`;
  if (type.max !== undefined) return `, at most ${type.max}`;
  return '';
}
