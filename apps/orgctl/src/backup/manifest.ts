import { CliError } from '../cli/errors.js';
import { EXIT } from '../cli/exit-codes.js';
import { STORE_FILES } from './store-files.js';

export const MANIFEST_FILE = 'manifest.json';
const FORMAT = 'orgctl-backup/1';

/** One database file of a backup, as it was written. */
export interface BackedUpFile {
  readonly name: string;
  readonly bytes: number;
  readonly sha256: string;
  /** Rows per table when the copy was taken. */
  readonly rows: Readonly<Record<string, number>>;
}

/** `manifest.json`, written last: a backup without it is incomplete. */
export interface BackupManifest {
  readonly format: typeof FORMAT;
  readonly createdAt: string;
  readonly dataDir: string;
  readonly files: readonly BackedUpFile[];
}

export function newManifest(
  dataDir: string,
  files: readonly BackedUpFile[],
  createdAt: Date,
): BackupManifest {
  return { format: FORMAT, createdAt: createdAt.toISOString(), dataDir, files };
}

/** Reads a manifest, refusing anything that is not one orgctl wrote. */
export function parseManifest(text: string, path: string): BackupManifest {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw unusable(path, 'it is not valid JSON');
  }
  const manifest = parsed as Partial<BackupManifest> | null;
  if (manifest?.format !== FORMAT) {
    throw unusable(path, `its format is not ${FORMAT}`);
  }
  if (!Array.isArray(manifest.files) || !manifest.files.every(isFile)) {
    throw unusable(path, 'its list of files is malformed');
  }
  return manifest as BackupManifest;
}

function isFile(file: unknown): file is BackedUpFile {
  if (typeof file !== 'object' || file === null) return false;
  const { name, sha256, rows } = file as Record<string, unknown>;
  return (
    typeof name === 'string' &&
    (STORE_FILES as readonly string[]).includes(name) &&
    typeof sha256 === 'string' &&
    typeof rows === 'object' &&
    rows !== null
  );
}

function unusable(path: string, reason: string): CliError {
  return new CliError(
    `${path} is not a usable backup manifest: ${reason}`,
    EXIT.failed,
  );
}
