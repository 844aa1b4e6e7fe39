import type { Command } from 'commander';

import { progressBar } from '../backup/progress-bar.js';
import type { CliContext } from '../cli/context.js';
import { CliError } from '../cli/errors.js';
import { EXIT } from '../cli/exit-codes.js';
import { renderTable } from '../format/table.js';

/** A projection's status as `GET /v1/projections` gives it. */
export interface ProjectionStatus {
  readonly name: string;
  readonly state: string;
  readonly generation: number;
  readonly lagEvents: number;
  readonly lagSeconds: number;
  readonly error?: { readonly reason: string; readonly eventId: string };
  readonly rebuild?: { readonly done: number; readonly total: number } | null;
}

const POLL_MS = 250;

/** `projections status|rebuild`: the operator's view of the read side. */
export function addOperationsCommands(
  context: CliContext,
  program: Command,
): void {
  const projections = program
    .command('projections')
    .summary('Read-model projections: status and rebuild')
    .description(
      'The projections that keep the directory and the audit history.',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  $ orgctl projections status\n' +
        '  $ orgctl projections rebuild directory\n',
    );

  projections
    .command('status')
    .summary('State, lag and rebuild progress of each projection')
    .addHelpText('after', '\nExample:\n  $ orgctl projections status\n')
    .action(async (_flags: unknown, command: Command) => {
      const statuses = await statusesOf(context, command);
      context.print(command, statuses, () => renderStatuses(statuses));
    });

  projections
    .command('rebuild')
    .summary('Rebuild a read model behind the live one, with a progress bar')
    .description(
      'Rebuilds the directory or the audit history from the start of the log into a fresh copy while the current one keeps serving; the copy replaces it once caught up.',
    )
    .argument('<name>', 'directory or audit')
    .addHelpText('after', '\nExample:\n  $ orgctl projections rebuild audit\n')
    .action(async (name: string, _flags: unknown, command: Command) => {
      const service = context.service(command);
      const before = find(await statusesOf(context, command), name);
      await service.post(`/v1/projections/${encodeURIComponent(name)}/rebuild`);
      const bar = progressBar(
        context.deps.io.stderr,
        name,
        context.showsProgress(command),
      );
      const done = await untilRebuilt(
        context,
        command,
        name,
        before.generation,
        (s) => {
          if (s.rebuild) bar.update(s.rebuild.done, s.rebuild.total);
        },
      );
      bar.finish();
      context.print(command, done, () => renderStatuses([done]));
    });
}

async function statusesOf(
  context: CliContext,
  command: Command,
): Promise<ProjectionStatus[]> {
  return (await context
    .service(command)
    .get('/v1/projections')) as ProjectionStatus[];
}

function find(
  statuses: readonly ProjectionStatus[],
  name: string,
): ProjectionStatus {
  const status = statuses.find((s) => s.name.includes(name));
  if (status === undefined) {
    throw new CliError(
      `no projection ${name}; there are directory and audit`,
      EXIT.usage,
    );
  }
  return status;
}

async function untilRebuilt(
  context: CliContext,
  command: Command,
  name: string,
  generation: number,
  report: (status: ProjectionStatus) => void,
): Promise<ProjectionStatus> {
  for (;;) {
    const status = find(await statusesOf(context, command), name);
    report(status);
    if (status.state === 'stopped') {
      throw new CliError(
        `the ${name} projection stopped: ${status.error?.reason ?? ''}`,
        EXIT.refused,
      );
    }
    if (status.generation > generation && status.state === 'live')
      return status;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

export function renderStatuses(statuses: readonly ProjectionStatus[]): string {
  return renderTable(
    ['projection', 'state', 'generation', 'lag (events)', 'lag (s)', 'problem'],
    statuses.map((s) => [
      s.name,
      s.state,
      String(s.generation),
      String(s.lagEvents),
      s.lagSeconds.toFixed(1),
      s.error === undefined
        ? ''
        : `${s.error.reason} (event ${s.error.eventId})`,
    ]),
  );
}
