import type { Command } from 'commander';

import type { OrganizationsClientOptions } from '@org/bus/client';

import type { CliContext } from '../cli/context.js';
import { UsageError } from '../cli/errors.js';
import { parseInteger } from '../commands/coerce.js';
import { addDomainCommands } from '../commands/domain-commands.js';

interface BusFlags {
  readonly busUrl?: string;
  readonly keyId?: string;
  readonly secret?: string;
  readonly busPrefix?: string;
  readonly timeout?: number;
}

/**
 * `bus send <command>`: the same commands as over HTTP, sent over the Redis
 * Streams bus as a service would, signed with a bus key.
 */
export function addBusCommands(context: CliContext, program: Command): void {
  const bus = program
    .command('bus')
    .summary('Send commands over the Redis Streams bus')
    .description(
      'Send commands over the Redis Streams bus, signed with a bus key as ' +
        'another service would. The key stands for a service actor.',
    )
    .option('--bus-url <url>', 'Redis URL of the bus (env ORGCTL_BUS_URL)')
    .option('--key-id <id>', 'bus key id (env ORGCTL_BUS_KEY_ID)')
    .option('--secret <base64>', 'bus key secret; prefer env ORGCTL_BUS_SECRET')
    .option(
      '--bus-prefix <prefix>',
      "the service's BUS_PREFIX (env ORGCTL_BUS_PREFIX, default organizations)",
    )
    .option(
      '--timeout <ms>',
      'wait this long for each reply (default 5000)',
      parseInteger,
    )
    .addHelpText(
      'after',
      '\nExample:\n  $ orgctl bus send add-member --help\n',
    );
  const send = bus
    .command('send')
    .summary('Send one command over the bus')
    .description(
      'Send one command over the bus; the options are those of the HTTP command.',
    )
    .addHelpText(
      'after',
      '\nExample:\n' +
        '  $ export ORGCTL_BUS_URL=redis://127.0.0.1:6379 ORGCTL_BUS_KEY_ID=devices-1\n' +
        '  $ export ORGCTL_BUS_SECRET=...   # base64, as in the keys file\n' +
        '  $ orgctl bus send allocate-resource --org <org-id> --resource devices \\\n' +
        '      --quantity 1 --idempotency-key device-4711\n',
    );
  addDomainCommands(context, {
    parent: send,
    prefix: 'orgctl bus send',
    send: (envelope, command) =>
      context.deps.busSend(busOptions(context, command), envelope),
  });
}

function busOptions(
  context: CliContext,
  command: Command,
): OrganizationsClientOptions {
  const flags = command.optsWithGlobals<BusFlags>();
  const { env } = context.deps.io;
  const url = flags.busUrl ?? env.ORGCTL_BUS_URL;
  const keyId = flags.keyId ?? env.ORGCTL_BUS_KEY_ID;
  const secret = flags.secret ?? env.ORGCTL_BUS_SECRET;
  const prefix = flags.busPrefix ?? env.ORGCTL_BUS_PREFIX;
  if (!url || !keyId || !secret) {
    throw new UsageError(
      'the bus needs --bus-url, --key-id and --secret ' +
        '(or ORGCTL_BUS_URL, ORGCTL_BUS_KEY_ID and ORGCTL_BUS_SECRET)',
    );
  }
  return {
    url,
    keyId,
    secret,
    ...(prefix ? { prefix } : {}),
    ...(flags.timeout === undefined ? {} : { timeoutMs: flags.timeout }),
  };
}
