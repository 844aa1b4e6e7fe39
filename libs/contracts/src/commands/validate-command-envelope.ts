import { plainToInstance } from 'class-transformer';
import { isUUID, validateSync, type ValidatorOptions } from 'class-validator';

import { isCommandType } from '../command-types.js';
import { isPlainObject, jsonShapeProblems } from '../validation/json-shape.js';
import { type FieldProblem, toFieldProblems } from '../validation/problems.js';
import { CommandEnvelope, type ValidatedEnvelope } from './command-envelope.js';
import { PAYLOAD_CLASSES } from './payloads.js';

/** The outcome of {@link validateCommandEnvelope}. */
export type EnvelopeValidation =
  | { readonly ok: true; readonly envelope: ValidatedEnvelope }
  | {
      readonly ok: false;
      readonly problems: readonly FieldProblem[];
      /** The envelope's `commandId` when it is a UUID, to echo in the refusal. */
      readonly commandId: string | null;
    };

const OPTIONS: ValidatorOptions = {
  whitelist: true,
  forbidNonWhitelisted: true,
  // Every object checked is an instance of a contract class, and payloads
  // without fields have no metadata: with this on they would be refused
  // whatever they hold, instead of having their unknown fields listed.
  forbidUnknownValues: false,
  validationError: { target: false, value: false },
};

// A valid envelope nests three levels (envelope, payload, apiKeyRotation or
// labels) and holds about 1,100 values at most (a full IP allowlist).
const SHAPE_LIMITS = { maxDepth: 8, maxValues: 10_000 };

/**
 * Checks the shape of a command envelope and of its payload: types, required
 * and optional fields, length and size caps, closed value sets, no unknown or
 * reserved fields. The domain still checks the meaning (name format, e-mail,
 * CIDR ranges, numeric ranges).
 *
 * Never throws for any JSON value. Returns the envelope as plain data without
 * any field the sender did not send, or every problem found, each with the
 * dotted path of its field.
 */
export function validateCommandEnvelope(body: unknown): EnvelopeValidation {
  if (!isPlainObject(body)) {
    const problem = 'the command envelope must be a JSON object';
    return refused([{ field: '', problem }], body);
  }
  const shapeProblems = jsonShapeProblems(body, SHAPE_LIMITS);
  if (shapeProblems.length > 0) return refused(shapeProblems, body);

  const envelope = plainToInstance(CommandEnvelope, body);
  const payload = toPayload(envelope);
  const problems = [
    ...toFieldProblems(validateSync(envelope, OPTIONS), ''),
    ...(payload === undefined
      ? []
      : toFieldProblems(validateSync(payload, OPTIONS), 'payload')),
  ];
  if (problems.length > 0) return refused(problems, body);

  const fields = toPlain(envelope) as Record<string, unknown>;
  const validated = { ...fields, payload: toPlain(payload) };
  return { ok: true, envelope: validated as ValidatedEnvelope };
}

/** The payload as an instance of its class, when its type is known. */
function toPayload(envelope: CommandEnvelope): object | undefined {
  if (!isCommandType(envelope.type) || !isPlainObject(envelope.payload)) {
    return undefined;
  }
  return plainToInstance(PAYLOAD_CLASSES[envelope.type], envelope.payload);
}

function refused(
  problems: readonly FieldProblem[],
  body: unknown,
): EnvelopeValidation {
  const commandId = isPlainObject(body) ? body.commandId : undefined;
  return {
    ok: false,
    problems,
    commandId: isUUID(commandId, 'all') ? (commandId as string) : null,
  };
}

/**
 * Copies validated instances into plain objects, leaving out the fields that
 * were not sent: class fields exist on every instance (as `undefined`) since
 * TypeScript defines them with ES class-field semantics.
 */
function toPlain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toPlain);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, field]) => field !== undefined)
      .map(([key, field]) => [key, toPlain(field)]),
  );
}
