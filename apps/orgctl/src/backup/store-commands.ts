import { resolve } from 'node:path';

import type { Command } from 'commander';

import type { CliContext } from '../cli/context.js';
import { renderTable } from '../format/table.js';
import type { BackupManifest } from './manifest.js';
import { progressBar } from './progress-bar.js';
import type { RestoreReport } from './restore.js';

/** `backup` and `restore` of the embedded SQLite store. */
export function addStoreCommands(context: CliContext, program: Command): void {
  program
    .command('backup')
    .summary('Online backup of the embedded store')
    .description(
      'Copy events.sqlite, replies.sqlite and read-models.sqlite (when ' +
        "present) of a data folder with SQLite's " +
        'online backup API, while the service runs. Each copy is checked ' +
        '(PRAGMA integrity_check) and recorded with its checksum and rows ' +
        'per table in manifest.json. Reads the files directly: run it on ' +
        'the machine that holds DATA_DIR. auth-tokens.json is not copied.',
    )
    .requiredOption('--data-dir <dir>', "the service's DATA_DIR")
    .requiredOption('--out <dir>', 'a new or empty folder for the backup')
    .addHelpText(
      'after',
      '\nExample:\n  $ orgctl backup --data-dir ./data --out ./backups/2026-12-01\n',
    )
    .action(async (_flags: unknown, command: Command) => {
      const flags = command.optsWithGlobals<{ dataDir: string; out: string }>();
      const showProgress = context.showsProgress(command);
      // Loaded on use, as the SQLite driver takes a while to load.
      const { backupStore } = await import('./backup.js');
      const manifest = await backupStore({
        dataDir: resolve(flags.dataDir),
        outDir: resolve(flags.out),
        progressOf: (file) =>
          progressBar(context.deps.io.stderr, file, showProgress),
        now: context.deps.now,
      });
      context.print(command, manifest, () =>
        renderBackup(manifest, resolve(flags.out)),
      );
    });

  program
    .command('restore')
    .summary('Restore a backup (service stopped)')
    .description(
      'Restore a backup made by orgctl backup. STOP THE SERVICE FIRST: a ' +
        'restore under a running service is refused. An existing store is ' +
        'replaced only with --force; store files that the backup lacks ' +
        "are removed. The backup's checksums are checked " +
        'before, and the restored files (PRAGMA integrity_check, rows per ' +
        "table equal to the backup's) after. The hash chain of every " +
        'stream in the restored events is walked before the store is ' +
        'replaced: a broken link (a tampered backup) refuses the restore, ' +
        'names the stream and revision, and leaves the store as it was.',
    )
    .requiredOption('--from <dir>', 'a folder made by orgctl backup')
    .requiredOption('--data-dir <dir>', "the stopped service's DATA_DIR")
    .option('--force', 'replace the store that is there')
    .addHelpText(
      'after',
      '\nExample:\n  $ orgctl restore --from ./backups/2026-12-01 --data-dir ./data --force\n',
    )
    .action(async (_flags: unknown, command: Command) => {
      const flags = command.optsWithGlobals<{
        from: string;
        dataDir: string;
        force?: boolean;
      }>();
      const { restoreStore } = await import('./restore.js');
      const report = await restoreStore({
        from: resolve(flags.from),
        dataDir: resolve(flags.dataDir),
        force: flags.force === true,
        chainProgress: progressBar(
          context.deps.io.stderr,
          'hash chains',
          context.showsProgress(command),
        ),
      });
      context.print(command, report, () => renderRestore(report));
    });
}

function renderBackup(manifest: BackupManifest, out: string): string {
  const rows = manifest.files.map((file) => [
    file.name,
    'ok',
    rowsOf(file.rows),
    String(file.bytes),
    file.sha256.slice(0, 16),
  ]);
  return `backup written to ${out}\n\n${renderTable(['file', 'integrity', 'rows', 'bytes', 'sha256'], rows)}`;
}

function renderRestore(report: RestoreReport): string {
  const rows = report.files.map((file) => [
    file.name,
    file.integrity,
    rowsOf(file.rows),
    'equal to the backup',
  ]);
  const removed =
    report.removed.length === 0
      ? ''
      : `\n\nremoved ${report.removed.join(', ')}: not in the backup ` +
        '(read models are rebuilt from the events)';
  const { streams, events } = report.chains;
  return (
    `restored the backup of ${report.backupCreatedAt} into ${report.dataDir}\n\n` +
    renderTable(['file', 'integrity', 'rows', 'rows check'], rows) +
    `\n\nhash chains: ${streams} streams, ${events} events, all intact` +
    removed
  );
}

function rowsOf(rows: Readonly<Record<string, number>>): string {
  return Object.entries(rows)
    .map(([table, count]) => `${table} ${count}`)
    .join(', ');
}
