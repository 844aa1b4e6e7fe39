import { Command, CommanderError } from 'commander';

import { addAuditCommands } from './audit/audit-commands.js';
import { addStoreCommands } from './backup/store-commands.js';
import { addBusCommands } from './bus/bus-commands.js';
import { CliContext, type Deps } from './cli/context.js';
import { CliError } from './cli/errors.js';
import { EXIT, type ExitCode } from './cli/exit-codes.js';
import { addDomainCommands } from './commands/domain-commands.js';
import { addConfigCommand } from './config/config-command.js';
import { addIntegrityCommands } from './integrity/integrity-commands.js';
import { addOperationsCommands } from './operations/operations-commands.js';
import { addOrgCommands } from './queries/org-commands.js';

const ROOT_HELP = `
Connection (first found wins, for url and token each):
  --url / --token, then ORGCTL_URL / ORGCTL_TOKEN, then the config file
  (--config, default $XDG_CONFIG_HOME/orgctl/config.json or
  ~/.config/orgctl/config.json), which holds
  { "url": "http://localhost:3000", "token": "..." }

Exit codes:
  0  success
  1  refused by the service (any refusal code but those below),
     or a backup or restore that failed its checks
  2  usage error: bad flags or arguments, nothing was sent
  3  authentication or authorization (401, 403)
  4  not found (404)
  5  the service unreachable or failing (network error, 5xx, bus timeout)

Examples:
  $ export ORGCTL_URL=http://localhost:3000 ORGCTL_TOKEN=org_...
  $ orgctl create-organization --ref SUP-1 --name acme-iot \\
      --display-name 'Acme IoT' --contact-email ops@acme.example \\
      --owner-user-id u-1
  $ orgctl org get <org-id>
  $ orgctl org list --environment production
  $ orgctl audit --org <org-id>
  $ orgctl add-member --help
`;

/** The orgctl program: every command, wired to `deps`. */
export function createProgram(deps: Deps): Command {
  const context = new CliContext(deps);
  const program = new Command('orgctl')
    .description(
      'Operate the organizations service: commands, lookups, time travel, ' +
        'audit, integrity, backups.',
    )
    .option('--url <url>', 'service address (env ORGCTL_URL)')
    .option(
      '--token <token>',
      'bearer token; prefer env ORGCTL_TOKEN or the config file',
    )
    .option('--config <file>', 'config file with url and token')
    .option('--json', 'print the result as JSON, for scripts')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => {
        deps.io.stdout.write(text);
      },
      writeErr: (text) => {
        deps.io.stderr.write(text);
      },
    })
    .showHelpAfterError('(add --help for usage)')
    .configureHelp({ showGlobalOptions: true })
    .addHelpText('after', ROOT_HELP);

  program.commandsGroup(
    'Domain commands (POST /v1/commands; see <command> --help):',
  );
  addDomainCommands(context, {
    parent: program,
    prefix: 'orgctl',
    send: (envelope, command) => context.service(command).sendCommand(envelope),
  });
  program.commandsGroup('Queries:');
  addOrgCommands(context, program);
  addAuditCommands(context, program);
  program.commandsGroup('Operations:');
  addOperationsCommands(context, program);
  addIntegrityCommands(context, program);
  program.commandsGroup('Bus:');
  addBusCommands(context, program);
  program.commandsGroup('Embedded store:');
  addStoreCommands(context, program);
  program.commandsGroup('Settings:');
  addConfigCommand(context, program);
  return program;
}

/** Runs orgctl on `argv` (without node and the script) and returns its exit code. */
export async function run(
  argv: readonly string[],
  deps: Deps,
): Promise<ExitCode> {
  try {
    await createProgram(deps).parseAsync([...argv], { from: 'user' });
    return EXIT.ok;
  } catch (error: unknown) {
    return reportFailure(error, deps, argv.includes('--json'));
  }
}

function reportFailure(error: unknown, deps: Deps, json: boolean): ExitCode {
  if (error instanceof CommanderError) {
    return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  if (error instanceof CliError) {
    if (json && error.document !== undefined) {
      deps.io.stdout.write(`${JSON.stringify(error.document, null, 2)}\n`);
    }
    deps.io.stderr.write(`orgctl: ${error.message}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  deps.io.stderr.write(`orgctl: failed: ${message}\n`);
  return EXIT.failed;
}
