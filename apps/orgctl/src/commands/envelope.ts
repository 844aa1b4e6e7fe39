import {
  type CommandType,
  type FieldProblem,
  type ValidatedEnvelope,
  validateCommandEnvelope,
} from '@org/contracts';

import { UsageError } from '../cli/errors.js';
import { payloadFromOptions } from './field-options.js';
import { camelToKebab } from './names.js';
import type { PayloadField } from './schema-fields.js';

/** The envelope flags of every domain command, as commander parses them. */
export interface EnvelopeFlags {
  readonly org?: string;
  readonly ref?: string;
  readonly expectedRevision?: number;
  readonly commandId?: string;
  readonly correlationId?: string;
  /** The `--payload` JSON object; payload flags override its fields. */
  readonly payload?: Readonly<Record<string, unknown>>;
}

const FLAG_OF_ENVELOPE_FIELD: Readonly<Record<string, string>> = {
  commandId: '--command-id',
  orgId: '--org',
  reference: '--ref',
  expectedRevision: '--expected-revision',
  correlationId: '--correlation-id',
  payload: '--payload',
};

/**
 * The envelope of a command from its flags, checked with the contracts'
 * own validation before anything is sent: a problem is a usage error that
 * names the flag to fix.
 */
export function buildEnvelope(
  type: CommandType,
  fields: readonly PayloadField[],
  flags: EnvelopeFlags & Readonly<Record<string, unknown>>,
  commandId: string,
): ValidatedEnvelope {
  const payload = { ...flags.payload, ...payloadFromOptions(fields, flags) };
  const envelope = {
    commandId,
    type,
    ...(flags.org === undefined ? {} : { orgId: flags.org }),
    ...(flags.expectedRevision === undefined
      ? {}
      : { expectedRevision: flags.expectedRevision }),
    ...(flags.ref === undefined ? {} : { reference: flags.ref }),
    ...(flags.correlationId === undefined
      ? {}
      : { correlationId: flags.correlationId }),
    payload,
  };
  const validated = validateCommandEnvelope(envelope);
  if (validated.ok) return validated.envelope;
  const lines = validated.problems.map((problem) => describe(problem, fields));
  throw new UsageError(`the command is not valid:\n${lines.join('\n')}`);
}

/** A problem of the envelope, said in terms of the flag that sets the field. */
export function describe(
  { field, problem }: FieldProblem,
  fields: readonly PayloadField[],
): string {
  const [head = '', property, ...rest] = field.split('.');
  const envelopeFlag = FLAG_OF_ENVELOPE_FIELD[head];
  if (head !== 'payload' || property === undefined) {
    return `  ${envelopeFlag ?? (field || 'the command')}: ${problem}`;
  }
  const known = fields.find((candidate) => candidate.property === property);
  const where =
    known === undefined
      ? `--payload field ${property}`
      : `--${camelToKebab(property)}`;
  const inner = rest.length === 0 ? '' : ` (${rest.join('.')})`;
  return `  ${where}${inner}: ${problem}`;
}
