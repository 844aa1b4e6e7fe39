import {
  type AcceptedReply,
  COMMAND_TYPES,
  type CommandType,
  commandJsonSchemas,
  type ValidatedEnvelope,
} from '@org/contracts';
import { type Command, Option } from 'commander';

import type { CliContext } from '../cli/context.js';
import { CliError } from '../cli/errors.js';
import { EXIT } from '../cli/exit-codes.js';
import { renderAcceptedReply } from '../format/reply.js';
import { parseInteger, parseJsonObject } from './coerce.js';
import { COMMAND_SUMMARIES } from './command-summaries.js';
import { buildEnvelope, type EnvelopeFlags } from './envelope.js';
import { exampleOf } from './examples.js';
import { optionsFor } from './field-options.js';
import { camelToKebab } from './names.js';
import { type PayloadField, payloadFields } from './schema-fields.js';

/** Sends a validated envelope, over HTTP or the bus. */
export type Send = (
  envelope: ValidatedEnvelope,
  command: Command,
) => Promise<AcceptedReply>;

/** Where the domain commands are added, and how they are sent. */
export interface DomainCommandsTarget {
  readonly parent: Command;
  /** How an example starts, such as `orgctl` or `orgctl bus send`. */
  readonly prefix: string;
  readonly send: Send;
}

/** Flags that payload fields may not take, because the CLI uses them. */
export const RESERVED_FLAGS = [
  'org',
  'ref',
  'expected-revision',
  'command-id',
  'correlation-id',
  'payload',
  'help',
  'json',
  'url',
  'token',
  'config',
  'bus-url',
  'bus-prefix',
  'key-id',
  'secret',
  'timeout',
] as const;

/**
 * One subcommand per command type, named in kebab-case, with one flag per
 * payload field as the contracts' JSON Schema types it, and the envelope
 * flags.
 */
export function addDomainCommands(
  context: CliContext,
  target: DomainCommandsTarget,
): void {
  const schemas = commandJsonSchemas();
  for (const type of COMMAND_TYPES) {
    const fields = payloadFields(type, schemas);
    const command = target.parent
      .command(camelToKebab(type))
      .summary(COMMAND_SUMMARIES[type])
      .description(`${COMMAND_SUMMARIES[type]}: sends ${type}.`)
      .addHelpText(
        'after',
        `\nExample:\n  $ ${exampleOf(target.prefix, type, fields)}\n`,
      );
    for (const option of envelopeOptions(type)) command.addOption(option);
    for (const option of payloadOptions(type, fields))
      command.addOption(option);
    command.action(async (_flags: unknown, self: Command) => {
      await sendCommand(context, target.send, type, fields, self);
    });
  }
}

/** The flags of a command's payload, refusing any that the CLI reserves. */
export function payloadOptions(
  type: CommandType,
  fields: readonly PayloadField[],
): Option[] {
  return fields.flatMap((field) => {
    if ((RESERVED_FLAGS as readonly string[]).includes(field.flag)) {
      throw new Error(`${type}.${field.property} would shadow --${field.flag}`);
    }
    return optionsFor(field).map((option) => option.helpGroup('Payload:'));
  });
}

function envelopeOptions(type: CommandType): Option[] {
  const options = [
    new Option(
      '--ref <reference>',
      'support ticket or sales contract (required from those actors)',
    ),
    new Option(
      '--expected-revision <n>',
      'refuse if the organization has moved on',
    ).argParser(parseInteger),
    new Option(
      '--command-id <uuid>',
      'default: a new UUID; send the same id to retry safely',
    ),
    new Option(
      '--correlation-id <id>',
      'ties the logs of this command together',
    ),
    new Option(
      '--payload <json>',
      'the payload as a JSON object; flags override its fields',
    ).argParser(parseJsonObject),
  ];
  if (type !== 'CreateOrganization') {
    options.unshift(new Option('--org <id>', 'the organization (required)'));
  }
  return options.map((option) => option.helpGroup('Envelope:'));
}

async function sendCommand(
  context: CliContext,
  send: Send,
  type: CommandType,
  fields: readonly PayloadField[],
  command: Command,
): Promise<void> {
  const flags = command.optsWithGlobals<
    EnvelopeFlags & Record<string, unknown>
  >();
  const commandId = flags.commandId ?? context.deps.newId();
  const envelope = buildEnvelope(type, fields, flags, commandId);
  const reply = await withRetryHint(commandId, () => send(envelope, command));
  context.print(command, reply, () => renderAcceptedReply(type, reply));
}

/**
 * When the service could not be reached or failed, the command may or may
 * not have run: sending it again with the same id is safe and tells which.
 */
async function withRetryHint<T>(
  commandId: string,
  attempt: () => Promise<T>,
): Promise<T> {
  try {
    return await attempt();
  } catch (error: unknown) {
    if (error instanceof CliError && error.exitCode === EXIT.unavailable) {
      const hint =
        `\n  the command may have run: send it again with --command-id ` +
        `${commandId} to find out; it takes effect once`;
      throw new CliError(error.message + hint, error.exitCode, error.document);
    }
    throw error;
  }
}
