import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';

import { CliError, UsageError } from '../cli/errors.js';
import { EXIT } from '../cli/exit-codes.js';
import {
  type BackedUpFile,
  type BackupManifest,
  MANIFEST_FILE,
  parseManifest,
} from './manifest.js';
import {
  checkDatabase,
  type DatabaseCheck,
  isInUse,
  sha256Of,
} from './sqlite-files.js';
import { STORE_FILES } from './store-files.js';
import { type ChainsChecked, checkChains } from './chain-check.js';
import type { Progress } from './progress-bar.js';

export interface RestoreOptions {
  readonly from: string;
  readonly dataDir: string;
  /** Replace an existing store. */
  readonly force: boolean;
  /** Shows the walk of the hash chains; silent when absent. */
  readonly chainProgress?: Progress;
}

/** One restored file and what its check after the restore found. */
export interface RestoredFile {
  readonly name: string;
  readonly integrity: string;
  readonly rows: Readonly<Record<string, number>>;
  readonly rowsInBackup: Readonly<Record<string, number>>;
}

/** What {@link restoreStore} did. */
export interface RestoreReport {
  readonly backupCreatedAt: string;
  readonly dataDir: string;
  readonly files: readonly RestoredFile[];
  /**
   * Store files that were there but not in the backup, removed because
   * they are newer than the restored events (read models are rebuilt from
   * the events).
   */
  readonly removed: readonly string[];
  /** The hash chains walked in the restored events, all intact. */
  readonly chains: ChainsChecked;
}

const SIDE_FILES = ['-wal', '-shm', '-journal'] as const;

/**
 * Restores a backup made by `orgctl backup` into a stopped service's data
 * folder: checks the backup's checksums, copies each file beside its
 * target, checks the copy (integrity and rows per table as the backup
 * recorded), and only then replaces the store, removing the old WAL files
 * that would otherwise be replayed onto the restored one, and any store
 * file the backup does not have. The restored files are checked once more
 * in place.
 *
 * The restored copy of the events has the hash chain of every stream
 * walked before it replaces anything: a backup whose events were changed,
 * removed or reordered (its checksums in the manifest recomputed, say) is
 * refused with the stream and revision of the first broken link, and the
 * store in place is left as it was.
 */
export async function restoreStore(
  options: RestoreOptions,
): Promise<RestoreReport> {
  const manifest = await readManifest(options.from);
  await checkBackupFiles(options.from, manifest.files);
  await mkdir(options.dataDir, { recursive: true });
  refuseToReplace(options);

  const staged = [];
  for (const file of manifest.files) staged.push(await stage(options, file));
  const chains = await checkStagedChains(staged, options.chainProgress);
  for (const { name, path } of staged) {
    await replace(options.dataDir, name, path);
  }
  const removed = await removeOthers(options.dataDir, manifest.files);

  const files = manifest.files.map((file) =>
    verifyInPlace(options.dataDir, file),
  );
  return {
    backupCreatedAt: manifest.createdAt,
    dataDir: options.dataDir,
    files,
    removed,
    chains,
  };
}

async function checkStagedChains(
  staged: readonly { name: string; path: string }[],
  progress: Progress = { update: () => undefined, finish: () => undefined },
): Promise<ChainsChecked> {
  const events = staged.find((file) => file.name === 'events.sqlite');
  try {
    return events === undefined
      ? { streams: 0, events: 0 }
      : checkChains(events.path, progress);
  } catch (error: unknown) {
    for (const { path } of staged) await rm(path, { force: true });
    throw error;
  } finally {
    progress.finish();
  }
}

async function readManifest(from: string): Promise<BackupManifest> {
  const path = join(from, MANIFEST_FILE);
  if (!existsSync(path)) {
    throw new UsageError(
      `${from} holds no ${MANIFEST_FILE}: give a folder made by orgctl backup as --from`,
    );
  }
  return parseManifest(await readFile(path, 'utf8'), path);
}

async function checkBackupFiles(
  from: string,
  files: readonly BackedUpFile[],
): Promise<void> {
  for (const file of files) {
    const path = join(from, file.name);
    if (!existsSync(path) || (await sha256Of(path)) !== file.sha256) {
      throw new CliError(
        `the backup is damaged: ${path} is missing or differs from its checksum`,
        EXIT.failed,
      );
    }
  }
}

function refuseToReplace(options: RestoreOptions): void {
  const existing = STORE_FILES.flatMap((name) => [
    name,
    ...SIDE_FILES.map((side) => name + side),
  ]).filter((name) => existsSync(join(options.dataDir, name)));
  if (existing.length === 0) return;
  if (!options.force) {
    throw new UsageError(
      `${options.dataDir} already holds a store (${existing.join(', ')}): ` +
        'stop the service and add --force to replace it',
    );
  }
  for (const name of STORE_FILES) {
    const path = join(options.dataDir, name);
    if (existsSync(path) && isInUse(path)) {
      throw new CliError(
        `${path} is open in another process: stop the service before restoring`,
        EXIT.failed,
      );
    }
  }
}

async function stage(
  options: RestoreOptions,
  file: BackedUpFile,
): Promise<{ name: string; path: string }> {
  const path = join(options.dataDir, `.${file.name}.restoring`);
  await copyFile(join(options.from, file.name), path);
  const problem = mismatch(checkDatabase(path), file);
  if (problem !== undefined) {
    await rm(path, { force: true });
    throw new CliError(`the restored ${file.name} ${problem}`, EXIT.failed);
  }
  return { name: file.name, path };
}

async function replace(
  dataDir: string,
  name: string,
  staged: string,
): Promise<void> {
  await removeSideFiles(dataDir, name);
  await rename(staged, join(dataDir, name));
}

async function removeOthers(
  dataDir: string,
  restored: readonly BackedUpFile[],
): Promise<string[]> {
  const others = STORE_FILES.filter(
    (name) => !restored.some((file) => file.name === name),
  );
  const removed = others.filter((name) => existsSync(join(dataDir, name)));
  for (const name of others) {
    await rm(join(dataDir, name), { force: true });
    await removeSideFiles(dataDir, name);
  }
  return removed;
}

async function removeSideFiles(dataDir: string, name: string): Promise<void> {
  for (const side of SIDE_FILES) {
    await rm(join(dataDir, name + side), { force: true });
  }
}

function verifyInPlace(dataDir: string, file: BackedUpFile): RestoredFile {
  const check = checkDatabase(join(dataDir, file.name));
  const problem = mismatch(check, file);
  if (problem !== undefined) {
    throw new CliError(`the restored ${file.name} ${problem}`, EXIT.failed);
  }
  return {
    name: file.name,
    integrity: check.integrity,
    rows: check.rows,
    rowsInBackup: file.rows,
  };
}

/** What is wrong with a restored file, or `undefined` when it is sound. */
export function mismatch(
  check: DatabaseCheck,
  file: BackedUpFile,
): string | undefined {
  if (check.integrity !== 'ok')
    return `failed its integrity check: ${check.integrity}`;
  const tables = new Set([
    ...Object.keys(check.rows),
    ...Object.keys(file.rows),
  ]);
  for (const table of tables) {
    if (check.rows[table] !== file.rows[table]) {
      return (
        `has ${check.rows[table] ?? 'no'} rows in ${table} where the backup ` +
        `recorded ${file.rows[table] ?? 'none'}`
      );
    }
  }
  return undefined;
}
