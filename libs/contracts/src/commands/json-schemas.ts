import { targetConstructorToSchema } from 'class-validator-jsonschema';

import type { CommandType } from '../command-types.js';
import {
  STRING_RECORD,
  type StringRecordLimits,
} from '../validation/string-record.js';
import { CommandEnvelope } from './command-envelope.js';
import { NO_FIELDS } from './lifecycle.payloads.js';
import { PAYLOAD_CLASSES } from './payloads.js';
import { ApiKeyRotation } from './settings.payloads.js';

type SchemaOptions = NonNullable<
  Parameters<typeof targetConstructorToSchema>[1]
>;

/** A JSON Schema object in the OpenAPI 3.0 dialect. */
export type JsonSchema = ReturnType<typeof targetConstructorToSchema>;

/** The name of the schema of the payload of `T`, such as `AddMemberPayload`. */
export type PayloadSchemaName<T extends CommandType = CommandType> =
  `${T}Payload`;

/** The schemas of {@link commandJsonSchemas}, by name. */
export type CommandJsonSchemas = Readonly<
  Record<'CommandEnvelope' | 'ApiKeyRotation' | PayloadSchemaName, JsonSchema>
>;

export interface CommandJsonSchemaOptions {
  /**
   * Where references to other schemas point, such as
   * `#/components/schemas/` in an OpenAPI document. Default `#/definitions/`.
   */
  readonly refPointerPrefix?: string;
}

/**
 * JSON Schemas of the command envelope, of each command's payload (named
 * `<type>Payload`) and of the objects nested in payloads, derived from the
 * class-validator decorators, for the OpenAPI document. Every schema refuses
 * unknown properties, as the validation does.
 */
export function commandJsonSchemas(
  options: CommandJsonSchemaOptions = {},
): CommandJsonSchemas {
  const schemaOptions: Partial<SchemaOptions> = {
    additionalConverters: { [STRING_RECORD]: stringRecordSchema },
    ...(options.refPointerPrefix === undefined
      ? {}
      : { refPointerPrefix: options.refPointerPrefix }),
  };
  const schemaOf = (type: new () => object) =>
    closedObject(targetConstructorToSchema(type, schemaOptions));
  const payloads = Object.entries(PAYLOAD_CLASSES).map(([type, payload]) => [
    `${type}Payload`,
    schemaOf(payload),
  ]);
  return {
    CommandEnvelope: schemaOf(CommandEnvelope),
    ApiKeyRotation: schemaOf(ApiKeyRotation),
    ...(Object.fromEntries(payloads) as Record<PayloadSchemaName, JsonSchema>),
  };
}

function closedObject(schema: JsonSchema): JsonSchema {
  const hasFields = Object.keys(schema.properties ?? {}).length > 0;
  return {
    type: 'object',
    properties: {},
    ...(hasFields ? {} : { description: NO_FIELDS }),
    ...schema,
    additionalProperties: false,
  };
}

function stringRecordSchema(meta: { constraints: unknown[] }): JsonSchema {
  const limits = meta.constraints[0] as StringRecordLimits;
  return {
    type: 'object',
    maxProperties: limits.maxKeys,
    additionalProperties: { type: 'string', maxLength: limits.maxValueLength },
    description: `Keys of 1 to ${limits.maxKeyLength} characters.`,
  };
}
