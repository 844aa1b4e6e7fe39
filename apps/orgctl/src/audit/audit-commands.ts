import { resolve } from 'node:path';

import { type Command, Option } from 'commander';

import { progressCounter } from '../backup/progress-bar.js';
import type { CliContext } from '../cli/context.js';
import { renderFields } from '../format/table.js';
import { type AuditPage, renderAuditPage } from './audit-table.js';
import { RecordCounter } from './record-counter.js';

const ORG_ID = '0192f6c3-0000-7000-8000-000000000001';

interface FilterFlags {
  readonly org?: string;
  readonly actor?: string;
  readonly type: readonly string[];
  readonly from?: string;
  readonly to?: string;
  readonly order?: string;
}

interface PageFlags extends FilterFlags {
  readonly limit?: string;
  readonly cursor?: string;
}

/** `audit` and `audit export`: the audit history, queried and exported. */
export function addAuditCommands(context: CliContext, program: Command): void {
  const audit = withFilters(
    program
      .command('audit')
      .summary('Query the audit history; export it')
      .description(
        'Audit entries (who, when, ticket or contract, event, changed ' +
          'values), filtered by organization, actor, event type and time; ' +
          'newest first unless --order oldest. One page per call: pass the ' +
          'cursor it prints to --cursor for the next.',
      ),
  )
    .option('--limit <n>', 'entries per page (1 to 1000, default 50)')
    .option('--cursor <cursor>', 'the next cursor a page printed')
    .addHelpText(
      'after',
      `\nExamples:\n  $ orgctl audit --org ${ORG_ID}\n` +
        '  $ orgctl audit --actor support:agent-7 --type OwnershipTransferred \\\n' +
        '      --from 2026-12-01T00:00:00Z --to 2026-12-02T00:00:00Z\n' +
        '  $ orgctl --json audit --limit 1000 --order oldest\n',
    )
    .action(async (_flags: unknown, command: Command) => {
      const flags = command.opts<PageFlags>();
      const query = filterQuery(flags);
      if (flags.limit !== undefined) query.set('limit', flags.limit);
      if (flags.cursor !== undefined) query.set('cursor', flags.cursor);
      const page = (await context
        .service(command)
        .get(`/v1/audit?${query.toString()}`)) as AuditPage;
      context.print(command, page, () => renderAuditPage(page));
    });

  // The filters are audit's own options: commander gives a parent's
  // options to the parent wherever they stand, so export reads them there.
  audit
    .command('export')
    .summary('Stream the audit history to a file, as NDJSON or CSV')
    .description(
      'Streams every entry the filters of audit (--org, --actor, --type, ' +
        '--from, --to, --order) match to a file, whatever their number, ' +
        'with a running count on a terminal. The file appears only once ' +
        'complete.',
    )
    .addOption(
      new Option('--format <format>', 'file format')
        .choices(['ndjson', 'csv'])
        .default('ndjson'),
    )
    .requiredOption('--out <file>', 'the file to write')
    .addHelpText(
      'after',
      `\nExamples:\n  $ orgctl audit export --org ${ORG_ID} --format csv --out acme.csv\n` +
        '  $ orgctl audit export --from 2026-11-01T00:00:00Z --out november.ndjson\n',
    )
    .action(async (_flags: unknown, command: Command) => {
      await exportAudit(context, command);
    });
}

async function exportAudit(context: CliContext, command: Command) {
  const flags = command.optsWithGlobals<
    FilterFlags & { format: string; out: string }
  >();
  const out = resolve(flags.out);
  const query = filterQuery(flags);
  query.set('format', flags.format);
  const counter = new RecordCounter(flags.format === 'csv');
  const progress = progressCounter(
    context.deps.io.stderr,
    flags.out,
    context.showsProgress(command),
  );
  try {
    await context
      .service(command)
      .download(`/v1/audit/export?${query.toString()}`, out, (chunk) => {
        progress.update(counter.add(chunk));
      });
  } finally {
    progress.finish();
  }
  const summary = { out, format: flags.format, entries: counter.records };
  context.print(command, summary, () =>
    renderFields([
      ['written', out],
      ['format', summary.format],
      ['entries', String(summary.entries)],
    ]),
  );
}

function withFilters(command: Command): Command {
  return command
    .option('--org <id>', 'entries of this organization')
    .option('--actor <type:id>', 'entries of this actor, e.g. support:agent-7')
    .option(
      '--type <event-type>',
      'entries of this event type (repeatable)',
      (value: string, previous: string[]) => [...previous, value],
      [],
    )
    .option('--from <time>', 'at or after this ISO 8601 time')
    .option('--to <time>', 'before this ISO 8601 time')
    .addOption(
      new Option('--order <order>', 'newest or oldest first').choices([
        'newest',
        'oldest',
      ]),
    );
}

function filterQuery(flags: FilterFlags): URLSearchParams {
  const query = new URLSearchParams();
  const set = (name: string, value: string | undefined) => {
    if (value !== undefined) query.set(name, value);
  };
  set('orgId', flags.org);
  set('actor', flags.actor);
  for (const type of flags.type) query.append('type', type);
  set('from', flags.from);
  set('to', flags.to);
  set('order', flags.order);
  return query;
}
