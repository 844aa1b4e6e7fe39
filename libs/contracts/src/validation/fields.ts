import 'reflect-metadata';

import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
  type ValidationArguments,
  type ValidationOptions,
} from 'class-validator';
import { JSONSchema } from 'class-validator-jsonschema';

import { StringRecord, type StringRecordLimits } from './string-record.js';

/**
 * Whether a field may be left out and whether `null` is one of its values.
 * The default is a required field that must not be `null`.
 */
export interface Presence {
  /** The field may be absent. */
  readonly optional?: boolean;
  /** `null` is a valid value: it clears the field or means "none". */
  readonly nullable?: boolean;
  /** Documentation to add to the field's JSON Schema, such as a format. */
  readonly schema?: SchemaExtra;
}

/** What a field may add to its generated JSON Schema. */
export interface SchemaExtra {
  readonly type?: 'integer';
  readonly format?: string;
  readonly description?: string;
  readonly nullable?: boolean;
}

export interface TextRule extends Presence {
  /** Fewest characters; 1 unless given. */
  readonly min?: number;
  readonly max: number;
  readonly pattern?: RegExp;
  /** What the pattern demands, as a problem message. */
  readonly patternProblem?: string;
}

export interface IntegerRule extends Presence {
  readonly min?: number;
  readonly max?: number;
}

export interface ListRule extends Presence {
  readonly maxItems: number;
}

export interface TextListRule extends ListRule {
  readonly maxLength: number;
}

/** Builds the options of one rule from the problem it reports. */
type Says = (problem: string) => ValidationOptions;

/** Text of `min` (default 1) to `max` characters, optionally patterned. */
export function Text(rule: TextRule): PropertyDecorator {
  const min = rule.min ?? 1;
  return field(rule, (says) => [
    IsString(says(typeProblem(rule, 'must be text'))),
    min > 0
      ? Length(
          min,
          rule.max,
          says(`must have ${min} to ${rule.max} characters`),
        )
      : MaxLength(rule.max, says(`must have at most ${rule.max} characters`)),
    ...(rule.pattern === undefined
      ? []
      : [Matches(rule.pattern, says(rule.patternProblem ?? 'has a bad form'))]),
  ]);
}

/** A whole number, optionally bounded. */
export function Integer(rule: IntegerRule = {}): PropertyDecorator {
  const { min, max } = rule;
  // Min and Max would document the field as a number, not an integer.
  const documented = {
    ...rule,
    schema: { ...rule.schema, type: 'integer' as const },
  };
  return field(documented, (says) => [
    IsInt(says(typeProblem(rule, 'must be a whole number'))),
    ...(min === undefined ? [] : [Min(min, says(`must be at least ${min}`))]),
    ...(max === undefined ? [] : [Max(max, says(`must be at most ${max}`))]),
  ]);
}

/** `true` or `false`. */
export function Flag(rule: Presence = {}): PropertyDecorator {
  return field(rule, (says) => [
    IsBoolean(says(typeProblem(rule, 'must be true or false'))),
  ]);
}

/** One string of a closed set. */
export function OneOf(
  values: readonly string[],
  rule: Presence = {},
): PropertyDecorator {
  const problem = typeProblem(rule, `must be one of ${values.join(', ')}`);
  return field(rule, (says) => [IsIn([...values], says(problem))]);
}

/** A UUID of any version. */
export function Uuid(rule: Presence = {}): PropertyDecorator {
  return field(rule, (says) => [
    IsUUID('all', says(typeProblem(rule, 'must be a UUID'))),
  ]);
}

/** A list of strings of at most `maxLength` characters each. */
export function TextList(rule: TextListRule): PropertyDecorator {
  const problem = `must hold only text of at most ${rule.maxLength} characters`;
  return list(rule, (says) => [
    IsString(says(problem)),
    MaxLength(rule.maxLength, says(problem)),
  ]);
}

/** A list of whole numbers. */
export function IntegerList(rule: ListRule): PropertyDecorator {
  return list(rule, (says) => [IsInt(says('must hold only whole numbers'))]);
}

/** A list of strings from a closed set. */
export function OneOfList(
  values: readonly string[],
  rule: ListRule,
): PropertyDecorator {
  const problem = `must hold only ${values.join(', ')}`;
  return list(rule, (says) => [IsIn([...values], says(problem))]);
}

/** An object checked by the decorators of the class that `type` returns. */
export function Nested(
  type: () => new () => object,
  rule: Presence = {},
): PropertyDecorator {
  return field(rule, (says) => [
    IsObject(says(typeProblem(rule, 'must be an object'))),
    ValidateNested(says('must be an object')),
    Type(type),
  ]);
}

/** An object whose values are all text, such as free labels. */
export function TextRecord(
  rule: StringRecordLimits & Presence,
): PropertyDecorator {
  const { maxKeys, maxKeyLength, maxValueLength } = rule;
  const limits = { maxKeys, maxKeyLength, maxValueLength };
  return field(rule, () => [StringRecord(limits, skipNull(rule))]);
}

function list(
  rule: ListRule,
  items: (says: Says) => PropertyDecorator[],
): PropertyDecorator {
  return field(rule, (says) => [
    IsArray(says(typeProblem(rule, 'must be a list'))),
    ArrayMaxSize(
      rule.maxItems,
      says(`must hold at most ${rule.maxItems} items`),
    ),
    ...items((problem) => ({ ...says(problem), each: true })),
  ]);
}

/**
 * Applies the presence rule, then the field's rules in order. A refusal
 * reports only the first failing rule of a field, so the type check goes
 * first.
 */
function field(
  presence: Presence,
  rules: (says: Says) => PropertyDecorator[],
): PropertyDecorator {
  const says: Says = (problem) => ({
    ...skipNull(presence),
    message: ({ value }: ValidationArguments) =>
      value === undefined ? 'is required' : problem,
  });
  const decorators = [
    ...presenceRules(presence),
    ...rules(says),
    schemaOf(presence),
  ];
  return (target, key) => {
    for (const decorate of decorators) decorate(target, key);
  };
}

function presenceRules(presence: Presence): PropertyDecorator[] {
  if (presence.optional !== true) return [];
  // class-validator's IsOptional also skips null, which would let null
  // through to fields that cannot be cleared.
  const present =
    presence.nullable === true
      ? (_: object, value: unknown) => value !== undefined && value !== null
      : (_: object, value: unknown) => value !== undefined;
  return [ValidateIf(present)];
}

/** One JSON Schema decorator per field: a second one would replace the first. */
function schemaOf(presence: Presence): PropertyDecorator {
  const schema = {
    ...(presence.nullable === true ? { nullable: true } : {}),
    ...presence.schema,
  };
  return (target, key) => {
    JSONSchema(schema)(target, String(key));
  };
}

/** A required field that may be null skips its rules for null only. */
function skipNull(presence: Presence): ValidationOptions {
  return presence.nullable === true && presence.optional !== true
    ? { validateIf: (_: object, value: unknown) => value !== null }
    : {};
}

function typeProblem(presence: Presence, problem: string): string {
  return presence.nullable === true ? `${problem}, or null` : problem;
}
