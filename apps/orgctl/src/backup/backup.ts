import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { CliError, UsageError } from '../cli/errors.js';
import { EXIT } from '../cli/exit-codes.js';
import {
  type BackedUpFile,
  type BackupManifest,
  MANIFEST_FILE,
  newManifest,
} from './manifest.js';
import type { Progress } from './progress-bar.js';
import { backupDatabase, checkDatabase, sha256Of } from './sqlite-files.js';
import { STORE_FILES } from './store-files.js';

export interface BackupOptions {
  readonly dataDir: string;
  readonly outDir: string;
  readonly progressOf: (file: string) => Progress;
  readonly now: () => Date;
}

/** An online, consistent backup of the embedded store into a new folder. */
export async function backupStore(
  options: BackupOptions,
): Promise<BackupManifest> {
  const { dataDir, outDir } = options;
  const present = STORE_FILES.filter((name) => existsSync(join(dataDir, name)));
  if (!present.includes('events.sqlite')) {
    throw new UsageError(
      `${dataDir} holds no events.sqlite: give the service's DATA_DIR as --data-dir`,
    );
  }
  await prepareEmptyFolder(outDir);
  const files: BackedUpFile[] = [];
  for (const name of present) {
    files.push(await backupFile(name, options));
  }
  const manifest = newManifest(dataDir, files, options.now());
  await writeFile(
    join(outDir, MANIFEST_FILE),
    `${JSON.stringify(manifest, null, 2)}\n`,
  );
  return manifest;
}

async function backupFile(
  name: string,
  options: BackupOptions,
): Promise<BackedUpFile> {
  const partial = join(options.outDir, `${name}.partial`);
  const progress = options.progressOf(name);
  try {
    await backupDatabase(join(options.dataDir, name), partial, progress);
  } finally {
    progress.finish();
  }
  const check = checkDatabase(partial);
  if (check.integrity !== 'ok') {
    await rm(partial, { force: true });
    throw new CliError(
      `the copy of ${name} failed its integrity check: ${check.integrity}`,
      EXIT.failed,
    );
  }
  const target = join(options.outDir, name);
  await rename(partial, target);
  const { size } = await stat(target);
  return {
    name,
    bytes: size,
    sha256: await sha256Of(target),
    rows: check.rows,
  };
}

async function prepareEmptyFolder(path: string): Promise<void> {
  await mkdir(path, { recursive: true });
  const entries = await readdir(path);
  if (entries.length > 0) {
    throw new UsageError(`${path} is not empty: give a new folder as --out`);
  }
}
