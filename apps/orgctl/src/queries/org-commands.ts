import type { Command } from 'commander';

import type { CliContext } from '../cli/context.js';
import { diff } from '../diff/structural-diff.js';
import { renderChanges } from '../format/diff-table.js';
import { renderOrganization } from '../format/organization-summary.js';
import { addOrgList } from './org-list.js';
import type { OrganizationView, PointInTime } from './organization-view.js';
import {
  describePoint,
  parsePointInTime,
  pointFromFlags,
} from './point-in-time.js';

const ORG_ID = '0192f6c3-0000-7000-8000-000000000001';

/** `org list`, `get`, `at` and `diff`: the fleet, and an organization now and in its past. */
export function addOrgCommands(context: CliContext, program: Command): void {
  const org = program
    .command('org')
    .summary('The fleet; an organization now, or in its past')
    .description(
      'List the fleet; look up an organization, now or at a past revision or moment.',
    );

  org.addHelpText(
    'after',
    `\nExamples:\n  $ orgctl org list --environment production\n  $ orgctl org get ${ORG_ID}\n`,
  );
  addOrgList(context, org);

  org
    .command('get')
    .summary('The current state')
    .description(
      'The current state: status, limits against usage, members, holds, deletion.',
    )
    .argument('<id>', 'organization id')
    .addHelpText('after', `\nExample:\n  $ orgctl org get ${ORG_ID}\n`)
    .action(async (id: string, _flags: unknown, command: Command) => {
      const view = await context.service(command).organization(id);
      context.print(command, view, () => renderOrganization(view));
    });

  org
    .command('at')
    .summary('The state at a revision or a moment')
    .description(
      'The state as it was at a revision or a moment, folded from the event log.',
    )
    .argument('<id>', 'organization id')
    .option('--revision <n>', 'a revision (0 is the creation)')
    .option('--at <time>', 'an ISO 8601 time, such as 2026-12-01T09:00:00Z')
    .addHelpText(
      'after',
      `\nExamples:\n  $ orgctl org at ${ORG_ID} --revision 3\n  $ orgctl org at ${ORG_ID} --at 2026-12-01T09:00:00Z\n`,
    )
    .action(async (id: string, _flags: unknown, command: Command) => {
      const point = pointFromFlags(
        command.optsWithGlobals<{ revision?: string; at?: string }>(),
      );
      const view = await context.service(command).organizationAt(id, point);
      context.print(command, view, () => renderOrganization(view));
    });

  org
    .command('diff')
    .summary('What changed between two revisions or moments')
    .description(
      'What changed between two revisions or moments: each changed path with ' +
        'its value before and after. --to defaults to the current state.',
    )
    .argument('<id>', 'organization id')
    .requiredOption('--from <revision|time>', 'a revision or an ISO 8601 time')
    .option(
      '--to <revision|time>',
      'a revision or an ISO 8601 time (default: now)',
    )
    .addHelpText(
      'after',
      `\nExample:\n  $ orgctl org diff ${ORG_ID} --from 1 --to 4\n`,
    )
    .action(async (id: string, _flags: unknown, command: Command) => {
      await orgDiff(context, id, command);
    });
}

async function orgDiff(
  context: CliContext,
  id: string,
  command: Command,
): Promise<void> {
  const flags = command.optsWithGlobals<{ from: string; to?: string }>();
  const from = parsePointInTime(flags.from, '--from');
  const to =
    flags.to === undefined ? undefined : parsePointInTime(flags.to, '--to');
  const service = context.service(command);
  const before = await service.organizationAt(id, from);
  const after = await (to === undefined
    ? service.organization(id)
    : service.organizationAt(id, to));
  const changes = diff(before.state, after.state);
  const result = {
    orgId: before.orgId,
    from: side(before, from),
    to: side(after, to),
    changes,
  };
  context.print(
    command,
    result,
    () => `${heading(before, after, from, to)}\n\n${renderChanges(changes)}`,
  );
}

function side(view: OrganizationView, point: PointInTime | undefined) {
  return { revision: view.revision, ...(point === undefined ? {} : { point }) };
}

function heading(
  before: OrganizationView,
  after: OrganizationView,
  from: PointInTime,
  to: PointInTime | undefined,
): string {
  return (
    `${after.state.name}: from ${sideName(before, from)} ` +
    `to ${sideName(after, to)}`
  );
}

function sideName(
  view: OrganizationView,
  point: PointInTime | undefined,
): string {
  if (point === undefined) return `revision ${view.revision} (now)`;
  if ('revision' in point) return `revision ${view.revision}`;
  return `revision ${view.revision} (${describePoint(point)})`;
}
