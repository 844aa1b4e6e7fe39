import {
  type CommandJsonSchemas,
  type CommandType,
  commandJsonSchemas,
} from '@org/contracts';

import { camelToKebab } from './names.js';

/** A field that takes one value on the command line. */
export type ScalarType =
  | { readonly kind: 'text'; readonly format?: string; readonly max?: number }
  | { readonly kind: 'integer'; readonly min?: number; readonly max?: number }
  | { readonly kind: 'enum'; readonly choices: readonly string[] };

/** A field of a nested object such as `apiKeyRotation`. */
export interface NestedField {
  readonly type: ScalarType;
  readonly nullable: boolean;
}

/** How a payload field is typed, as its JSON Schema says. */
export type FieldType =
  | ScalarType
  | { readonly kind: 'boolean' }
  | { readonly kind: 'list'; readonly item: ScalarType; readonly max?: number }
  | { readonly kind: 'record'; readonly max?: number }
  | {
      readonly kind: 'object';
      readonly fields: Readonly<Record<string, NestedField>>;
    }
  | { readonly kind: 'json' };

/** One property of a command's payload, and the flag that sets it. */
export interface PayloadField {
  readonly property: string;
  /** The kebab-case flag name without dashes, such as `contact-email`. */
  readonly flag: string;
  readonly type: FieldType;
  readonly required: boolean;
  readonly nullable: boolean;
  readonly description: string | undefined;
}

/** The subset of JSON Schema that payload schemas use. */
interface SchemaNode {
  readonly type?: string;
  readonly format?: string;
  readonly enum?: readonly unknown[];
  readonly minimum?: number;
  readonly maximum?: number;
  readonly maxLength?: number;
  readonly maxItems?: number;
  readonly maxProperties?: number;
  readonly nullable?: boolean;
  readonly description?: string;
  readonly $ref?: string;
  readonly items?: SchemaNode;
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly additionalProperties?: boolean | SchemaNode;
  readonly required?: readonly string[];
}

/**
 * The fields of the payload of `type`, read from the contracts' JSON Schema
 * so that a field added to a payload becomes a flag without a change here.
 */
export function payloadFields(
  type: CommandType,
  schemas: CommandJsonSchemas = commandJsonSchemas(),
): PayloadField[] {
  const schema = schemas[`${type}Payload`] as SchemaNode;
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).map(([property, node]) => ({
    property,
    flag: camelToKebab(property),
    type: fieldType(node, schemas),
    required: required.has(property),
    nullable: node.nullable === true,
    description: node.description,
  }));
}

function fieldType(node: SchemaNode, schemas: CommandJsonSchemas): FieldType {
  const scalar = scalarType(node);
  if (scalar !== undefined) return scalar;
  if (node.type === 'boolean') return { kind: 'boolean' };
  if (node.type === 'array') return listType(node);
  if (node.type === 'object') return objectType(node, schemas);
  return { kind: 'json' };
}

function scalarType(node: SchemaNode): ScalarType | undefined {
  if (node.type === 'string' && node.enum !== undefined) {
    return { kind: 'enum', choices: node.enum.map(String) };
  }
  if (node.type === 'string') {
    return { kind: 'text', format: node.format, max: node.maxLength };
  }
  if (node.type === 'integer') {
    return { kind: 'integer', min: node.minimum, max: node.maximum };
  }
  return undefined;
}

function listType(node: SchemaNode): FieldType {
  const item = node.items === undefined ? undefined : scalarType(node.items);
  if (item === undefined) return { kind: 'json' };
  return { kind: 'list', item, max: node.maxItems };
}

function objectType(node: SchemaNode, schemas: CommandJsonSchemas): FieldType {
  if (node.$ref !== undefined) return nestedType(node.$ref, schemas);
  const values = node.additionalProperties;
  if (typeof values === 'object' && values.type === 'string') {
    return { kind: 'record', max: node.maxProperties };
  }
  return { kind: 'json' };
}

function nestedType(ref: string, schemas: CommandJsonSchemas): FieldType {
  const name = ref.slice(ref.lastIndexOf('/') + 1);
  const schema = (schemas as Readonly<Record<string, SchemaNode | undefined>>)[
    name
  ];
  const fields: Record<string, NestedField> = {};
  for (const [key, node] of Object.entries(schema?.properties ?? {})) {
    const type = scalarType(node);
    if (type === undefined) return { kind: 'json' };
    fields[key] = { type, nullable: node.nullable === true };
  }
  return { kind: 'object', fields };
}
