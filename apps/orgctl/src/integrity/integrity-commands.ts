import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';

import type { Command } from 'commander';

import type { SignedDigest } from '@org/event-store';

import type { CliContext } from '../cli/context.js';
import { CliError, UsageError } from '../cli/errors.js';
import { EXIT } from '../cli/exit-codes.js';
import { renderFields, renderTable } from '../format/table.js';
import {
  type HistoryFile,
  parseDigestFile,
  parseHistoryFile,
} from './integrity-files.js';
import type { OfflineVerification } from './offline-verification.js';

const ORG_ID = '0192f6c3-0000-7000-8000-000000000001';

/** A scheduled digest as `GET /v1/integrity/digests` lists it. */
interface ScheduledDigest {
  readonly revision: number;
  readonly periodStart: string;
  readonly digest: SignedDigest;
}

interface DigestPage {
  readonly items: readonly ScheduledDigest[];
  readonly nextCursor: string | null;
}

const HELP = `
Offline verification needs three files and no network:
  $ orgctl integrity export ${ORG_ID} --out acme.history.json
  $ orgctl integrity digest --out digest.json          # or --latest
  $ orgctl integrity verify-offline --history acme.history.json \\
      --digest digest.json --public-key integrity-signing-key.pub.pem
The public key is the service's (DATA_DIR/integrity-signing-key.pub.pem in
the embedded default); take it from a trusted copy, not from the service.
`;

/** `integrity`: verification on the service, exports and offline verification. */
export function addIntegrityCommands(
  context: CliContext,
  program: Command,
): void {
  const integrity = program
    .command('integrity')
    .summary('Verify hash chains, on the service or offline')
    .description(
      "integrity <id> verifies an organization's hash chain on the service; " +
        'the subcommands export what offline verification needs and verify it.',
    )
    .argument('<id>', 'organization id')
    .addHelpText('after', `\nExample:\n  $ orgctl integrity ${ORG_ID}\n${HELP}`)
    .action(async (id: string, _flags: unknown, command: Command) => {
      await verifyOnline(context, id, command);
    });

  addExport(context, integrity);
  addDigest(context, integrity);
  addDigests(context, integrity);
  addVerifyOffline(context, integrity);
}

async function verifyOnline(
  context: CliContext,
  id: string,
  command: Command,
): Promise<void> {
  const report = (await context
    .service(command)
    .get(`/v1/organizations/${encodeURIComponent(id)}/integrity`)) as {
    valid: boolean;
    firstBrokenRevision?: number;
    reason?: string;
    count?: number;
  };
  context.print(command, report, () =>
    report.valid
      ? `valid: ${String(report.count ?? 0)} events chained`
      : `BROKEN at revision ${String(report.firstBrokenRevision)}: ${report.reason ?? ''}`,
  );
  if (!report.valid) throw new CliError('the chain is broken', EXIT.refused);
}

function addExport(context: CliContext, integrity: Command): void {
  integrity
    .command('export')
    .summary("Write an organization's history as stored, for offline checks")
    .description(
      "Writes the organization's events exactly as stored (hash-chained, " +
        'personal fields as the store holds them) to a JSON file. Support, ' +
        'or a member with audit:read.',
    )
    .argument('<id>', 'organization id')
    .requiredOption('--out <file>', 'the file to write')
    .addHelpText(
      'after',
      `\nExample:\n  $ orgctl integrity export ${ORG_ID} --out acme.history.json\n`,
    )
    .action(async (id: string, _flags: unknown, command: Command) => {
      const out = resolve(command.opts<{ out: string }>().out);
      const history = (await context
        .service(command)
        .get(
          `/v1/organizations/${encodeURIComponent(id)}/integrity/history`,
        )) as HistoryFile;
      await writeFile(out, `${JSON.stringify(history, null, 2)}\n`);
      const last = history.events.at(-1);
      const summary = {
        out,
        orgId: history.orgId,
        events: history.events.length,
        headRevision: last?.revision ?? -1,
        headHash: hashOf(last?.metadata),
      };
      context.print(command, summary, () =>
        renderFields([
          ['written', out],
          ['org id', summary.orgId],
          ['events', String(summary.events)],
          ['head', `revision ${summary.headRevision}`],
          ['head hash', summary.headHash ?? 'none'],
        ]),
      );
    });
}

function addDigest(context: CliContext, integrity: Command): void {
  integrity
    .command('digest')
    .summary('Write a signed digest of all chain heads to a file')
    .description(
      'Asks the service to sign the chain heads of all organizations now ' +
        '(POST /v1/integrity/digest), or with --latest takes the latest ' +
        'scheduled digest, and writes it to a file. Support only.',
    )
    .requiredOption('--out <file>', 'the file to write')
    .option('--latest', 'the latest scheduled digest instead of a new one')
    .addHelpText(
      'after',
      '\nExamples:\n  $ orgctl integrity digest --out digest.json\n' +
        '  $ orgctl integrity digest --latest --out digest.json\n',
    )
    .action(async (_flags: unknown, command: Command) => {
      const flags = command.opts<{ out: string; latest?: boolean }>();
      const service = context.service(command);
      const digest =
        flags.latest === true
          ? await latestScheduled(context, command)
          : ((await service.post('/v1/integrity/digest')) as SignedDigest);
      const out = resolve(flags.out);
      await writeFile(out, `${JSON.stringify(digest, null, 2)}\n`);
      context.print(command, { out, ...summaryOf(digest) }, () =>
        renderFields([
          ['written', out],
          ['created at', digest.createdAt],
          ['organizations', String(digest.organizations.length)],
          ['key fingerprint', digest.publicKeyFingerprint],
        ]),
      );
    });
}

async function latestScheduled(
  context: CliContext,
  command: Command,
): Promise<SignedDigest> {
  const page = (await context
    .service(command)
    .get('/v1/integrity/digests?limit=1')) as DigestPage;
  const latest = page.items[0];
  if (latest === undefined) {
    throw new CliError(
      'the service has no scheduled digest yet (INTEGRITY_DIGEST_EVERY_MS ' +
        'is 0, or the first period has not come): leave out --latest',
      EXIT.notFound,
    );
  }
  return latest.digest;
}

function addDigests(context: CliContext, integrity: Command): void {
  integrity
    .command('digests')
    .summary('List the scheduled digests, newest first')
    .option('--limit <n>', 'digests per page (1 to 1000, default 20)')
    .option('--cursor <cursor>', 'the next cursor a page printed')
    .addHelpText(
      'after',
      '\nExample:\n  $ orgctl integrity digests --limit 5\n',
    )
    .action(async (_flags: unknown, command: Command) => {
      const { limit, cursor } = command.opts<{
        limit?: string;
        cursor?: string;
      }>();
      const query = new URLSearchParams();
      if (limit !== undefined) query.set('limit', limit);
      if (cursor !== undefined) query.set('cursor', cursor);
      const page = (await context
        .service(command)
        .get(`/v1/integrity/digests?${query.toString()}`)) as DigestPage;
      context.print(command, page, () => renderDigests(page));
    });
}

function renderDigests(page: DigestPage): string {
  const table = renderTable(
    ['#', 'period start', 'created at', 'organizations', 'key fingerprint'],
    page.items.map((item) => [
      String(item.revision),
      item.periodStart,
      item.digest.createdAt,
      String(item.digest.organizations.length),
      `${item.digest.publicKeyFingerprint.slice(0, 16)}…`,
    ]),
  );
  return page.nextCursor === null
    ? table
    : `${table}\n\nmore: --cursor ${page.nextCursor}`;
}

function addVerifyOffline(context: CliContext, integrity: Command): void {
  integrity
    .command('verify-offline')
    .summary('Verify an exported history against a signed digest, no network')
    .description(
      "Checks the digest's signature and key fingerprint with the public " +
        "key, the history's hash chain, and that the history holds the " +
        "digest's head hash at the digest's revision for that organization. " +
        'Reads the three files only. Exit 0 when all holds, 1 naming the ' +
        'first broken link.',
    )
    .requiredOption('--history <file>', 'written by integrity export')
    .requiredOption('--digest <file>', 'written by integrity digest')
    .requiredOption('--public-key <pem>', "the service's public key (SPKI PEM)")
    .addHelpText(
      'after',
      '\nExample:\n  $ orgctl integrity verify-offline --history acme.history.json \\\n' +
        '      --digest digest.json --public-key integrity-signing-key.pub.pem\n',
    )
    .action(async (_flags: unknown, command: Command) => {
      // Loaded on use: the event store library takes a while to load.
      const { verifyOffline } = await import('./offline-verification.js');
      const flags = command.opts<{
        history: string;
        digest: string;
        publicKey: string;
      }>();
      const read = (path: string): string => {
        const text = context.deps.io.readFile(path);
        if (text === undefined) throw new UsageError(`no such file: ${path}`);
        return text;
      };
      const result = verifyOffline(
        parseHistoryFile(read(flags.history), flags.history),
        parseDigestFile(read(flags.digest), flags.digest),
        read(flags.publicKey),
      );
      context.print(command, result, () => renderVerification(result));
      const broken = result.checks.find((c) => !c.valid);
      if (broken !== undefined) {
        throw new CliError(
          `verification failed: ${broken.detail}`,
          EXIT.failed,
        );
      }
    });
}

function renderVerification(result: OfflineVerification): string {
  const rows = result.checks.map((c) => [
    c.check,
    c.valid ? 'ok' : 'BROKEN',
    c.detail,
  ]);
  return (
    `${result.valid ? 'VALID' : 'NOT VALID'}: organization ${result.orgId}, ` +
    `digest of ${result.digestCreatedAt}\n\n` +
    renderTable(['check', 'result', 'detail'], rows)
  );
}

function summaryOf(digest: SignedDigest) {
  return {
    createdAt: digest.createdAt,
    organizations: digest.organizations.length,
    publicKeyFingerprint: digest.publicKeyFingerprint,
  };
}

function hashOf(metadata: Readonly<Record<string, unknown>> | undefined) {
  const hash = metadata?.$hash;
  return typeof hash === 'string' ? hash : null;
}
