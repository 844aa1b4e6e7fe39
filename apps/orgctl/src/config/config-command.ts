import type { Command } from 'commander';

import type { CliContext } from '../cli/context.js';
import { renderFields } from '../format/table.js';

/** `config`: which service orgctl would talk to, and where that came from. */
export function addConfigCommand(context: CliContext, program: Command): void {
  program
    .command('config')
    .summary('Show the connection settings in effect')
    .description(
      'Show the service address and whether a token is set, with where each ' +
        'came from: flags, then ORGCTL_URL / ORGCTL_TOKEN, then the config ' +
        'file. The token itself is never printed.',
    )
    .addHelpText(
      'after',
      '\nExample:\n  $ ORGCTL_URL=http://localhost:3000 orgctl config\n',
    )
    .action((_flags: unknown, command: Command) => {
      const connection = context.connection(command);
      const settings = {
        url: connection.url,
        urlSource: connection.urlSource,
        tokenSet: connection.token !== undefined,
        tokenSource: connection.tokenSource ?? null,
      };
      context.print(command, settings, () =>
        renderFields([
          ['url', `${settings.url} (${settings.urlSource})`],
          [
            'token',
            settings.tokenSource === null
              ? 'not set'
              : `set (${settings.tokenSource})`,
          ],
        ]),
      );
    });
}
