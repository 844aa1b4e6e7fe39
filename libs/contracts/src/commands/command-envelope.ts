import {
  IsIn,
  IsObject,
  IsUUID,
  ValidateBy,
  ValidateIf,
} from 'class-validator';
import { JSONSchema } from 'class-validator-jsonschema';

import {
  COMMAND_TYPES,
  type CommandType,
  isCommandType,
} from '../command-types.js';
import { Integer, Text, Uuid } from '../validation/fields.js';
import { TEXT_CAPS } from './limits.js';
import type { PayloadOf } from './payloads.js';

const CREATE = 'CreateOrganization';

/** The problem reported for a `type` that names no command. */
export const UNKNOWN_TYPE_PROBLEM = `must be one of the command types: ${COMMAND_TYPES.join(', ')}`;

/**
 * The command envelope as it arrives on HTTP (`POST /v1/commands`) and on the
 * bus. The actor is not part of it: it comes from authentication.
 */
export class CommandEnvelope {
  /** Chosen by the sender; the same id sent again gets the first answer. */
  @Uuid()
  readonly commandId!: string;

  @IsIn([...COMMAND_TYPES], {
    message: ({ value }) =>
      value === undefined ? 'is required' : UNKNOWN_TYPE_PROBLEM,
  })
  readonly type!: CommandType;

  /**
   * The organization the command is for. Required for every type except
   * `CreateOrganization`, where it must be absent: the service chooses it.
   */
  @ValidateIf(
    (envelope: CommandEnvelope, value: unknown) =>
      value !== undefined ||
      (isCommandType(envelope.type) && envelope.type !== CREATE),
  )
  @IsUUID('all', {
    message: ({ value, object }) =>
      value === undefined
        ? `is required for ${(object as CommandEnvelope).type}`
        : 'must be a UUID',
    validateIf: (envelope: CommandEnvelope) => envelope.type !== CREATE,
  })
  @ValidateBy(
    {
      name: 'isAbsent',
      validator: { validate: (value) => value === undefined },
    },
    {
      message: 'must be absent for CreateOrganization: the service chooses it',
      validateIf: (envelope: CommandEnvelope) => envelope.type === CREATE,
    },
  )
  @JSONSchema({
    format: 'uuid',
    description:
      'Required for every type except CreateOrganization, where it must be absent.',
  })
  readonly orgId?: string;

  /** When given, a command against a newer revision is refused. */
  @Integer({ min: 0, max: Number.MAX_SAFE_INTEGER, optional: true })
  readonly expectedRevision?: number;

  /** The support ticket or sales contract; required from those actors. */
  @Text({ max: TEXT_CAPS.envelopeText, optional: true })
  readonly reference?: string;

  @Text({
    max: TEXT_CAPS.envelopeText,
    optional: true,
    pattern: /^[\x21-\x7e]*$/,
    patternProblem: 'must be visible ASCII characters without spaces',
  })
  readonly correlationId?: string;

  @IsObject({
    message: ({ value }) =>
      value === undefined ? 'is required' : 'must be an object',
  })
  @JSONSchema({
    description:
      'The payload of the command named by type: see the <type>Payload schemas.',
  })
  readonly payload!: Readonly<Record<string, unknown>>;
}

interface EnvelopeOf<T extends CommandType> {
  readonly commandId: string;
  readonly type: T;
  readonly expectedRevision?: number;
  readonly reference?: string;
  readonly correlationId?: string;
  readonly payload: PayloadOf<T>;
}

/** A validated envelope of a command of type `T`, as plain data. */
export type ValidatedEnvelopeOf<T extends CommandType> = EnvelopeOf<T> &
  (T extends typeof CREATE
    ? { readonly orgId?: never }
    : { readonly orgId: string });

/**
 * A validated command envelope: a union discriminated by `type`, whose
 * payload has the type of that command's payload.
 */
export type ValidatedEnvelope = {
  [T in CommandType]: ValidatedEnvelopeOf<T>;
}[CommandType];
