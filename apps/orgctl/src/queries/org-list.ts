import { type Command, Option } from 'commander';

import type { CliContext } from '../cli/context.js';
import { renderTable } from '../format/table.js';

/** A directory entry as `GET /v1/organizations` lists it, as far as shown. */
interface FleetEntry {
  readonly id: string;
  readonly name: string;
  readonly status: string;
  readonly revision: number;
  readonly profile: { readonly displayName: string };
  readonly labels: {
    readonly environment: string | null;
    readonly businessUnit: string | null;
    readonly region: string | null;
    readonly labels: Readonly<Record<string, string>>;
  };
}

interface FleetPage {
  readonly items: readonly FleetEntry[];
  readonly nextCursor: string | null;
}

interface ListFlags {
  readonly environment?: string;
  readonly businessUnit?: string;
  readonly region?: string;
  readonly label: readonly string[];
  readonly status?: string;
  readonly namePrefix?: string;
  readonly limit?: string;
  readonly cursor?: string;
}

/** `org list`: the fleet, filtered, one page at a time. */
export function addOrgList(context: CliContext, org: Command): void {
  org
    .command('list')
    .summary('The fleet, filtered by labels, status and name')
    .description(
      'Organizations ordered by name, filtered as GET /v1/organizations ' +
        'filters them. One page per call: pass the cursor it prints to ' +
        '--cursor for the next.',
    )
    .option('--environment <value>', 'e.g. production')
    .option('--business-unit <value>', 'e.g. industrial')
    .option('--region <value>', 'e.g. eu')
    .option(
      '--label <key:value>',
      'a free label that must be set to this value (repeatable)',
      (value: string, previous: string[]) => [...previous, value],
      [],
    )
    .addOption(
      new Option('--status <status>', 'lifecycle status').choices([
        'active',
        'suspended',
        'deletion_scheduled',
        'deleted',
      ]),
    )
    .option('--name-prefix <prefix>', 'names starting with this')
    .option('--limit <n>', 'organizations per page (1 to 1000, default 50)')
    .option('--cursor <cursor>', 'the next cursor a page printed')
    .addHelpText(
      'after',
      '\nExamples:\n  $ orgctl org list --environment production --label tier:gold\n' +
        '  $ orgctl org list --status deletion_scheduled --limit 100\n' +
        "  $ orgctl --json org list --name-prefix acme | jq '.items[].id'\n",
    )
    .action(async (_flags: unknown, command: Command) => {
      const query = listQuery(command.opts<ListFlags>());
      const page = (await context
        .service(command)
        .get(`/v1/organizations?${query.toString()}`)) as FleetPage;
      context.print(command, page, () => renderFleet(page));
    });
}

function listQuery(flags: ListFlags): URLSearchParams {
  const query = new URLSearchParams();
  const set = (name: string, value: string | undefined) => {
    if (value !== undefined) query.set(name, value);
  };
  set('environment', flags.environment);
  set('businessUnit', flags.businessUnit);
  set('region', flags.region);
  for (const label of flags.label) query.append('label', label);
  set('status', flags.status);
  set('namePrefix', flags.namePrefix);
  set('limit', flags.limit);
  set('cursor', flags.cursor);
  return query;
}

function renderFleet(page: FleetPage): string {
  if (page.items.length === 0) return 'no organizations match';
  const table = renderTable(
    ['name', 'id', 'status', 'environment', 'unit', 'region', 'rev'],
    page.items.map((entry) => [
      entry.name,
      entry.id,
      entry.status,
      entry.labels.environment ?? '-',
      entry.labels.businessUnit ?? '-',
      entry.labels.region ?? '-',
      String(entry.revision),
    ]),
  );
  return page.nextCursor === null
    ? table
    : `${table}\n\nmore: --cursor ${page.nextCursor}`;
}
