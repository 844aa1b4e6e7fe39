import {
  maxLength,
  ValidateBy,
  type ValidationArguments,
  type ValidationOptions,
} from 'class-validator';

/** The limits of an object used as a map from text keys to text values. */
export interface StringRecordLimits {
  readonly maxKeys: number;
  readonly maxKeyLength: number;
  readonly maxValueLength: number;
}

/** The class-validator name of the rule, also the key of its JSON Schema. */
export const STRING_RECORD = 'isStringRecord';

// Keys become object properties in every consumer of the wire format.
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * A plain object of at most `maxKeys` entries whose keys are non-empty and
 * not reserved, and whose values are text of bounded length.
 */
export function StringRecord(
  limits: StringRecordLimits,
  options?: ValidationOptions,
): PropertyDecorator {
  return ValidateBy(
    {
      name: STRING_RECORD,
      constraints: [limits],
      validator: {
        validate: (value: unknown) =>
          stringRecordProblem(value, limits) === undefined,
        defaultMessage: ({ value }: ValidationArguments) =>
          stringRecordProblem(value, limits) ?? 'is not valid',
      },
    },
    options,
  );
}

/** Why `value` is not such a record, or undefined when it is one. */
export function stringRecordProblem(
  value: unknown,
  limits: StringRecordLimits,
): string | undefined {
  if (value === undefined) return 'is required';
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return 'must be an object of text values';
  }
  const entries = Object.entries(value);
  if (entries.length > limits.maxKeys) {
    return `must hold at most ${limits.maxKeys} entries, got ${entries.length}`;
  }
  for (const [key, item] of entries) {
    const problem = entryProblem(key, item, limits);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

function entryProblem(
  key: string,
  item: unknown,
  limits: StringRecordLimits,
): string | undefined {
  if (RESERVED_KEYS.has(key)) return `key ${quote(key)} is reserved`;
  if (key.length === 0 || !maxLength(key, limits.maxKeyLength)) {
    return `key ${quote(key)} must have 1 to ${limits.maxKeyLength} characters`;
  }
  if (typeof item !== 'string') return `value of ${quote(key)} must be text`;
  if (!maxLength(item, limits.maxValueLength)) {
    return `value of ${quote(key)} must have at most ${limits.maxValueLength} characters`;
  }
  return undefined;
}

function quote(key: string): string {
  return JSON.stringify(key.length > 40 ? `${key.slice(0, 40)}…` : key);
}
