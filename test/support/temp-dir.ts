import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh folder under the system's temporary folder. */
export function makeTempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `${prefix}-`));
}

/** Removes a folder made by {@link makeTempDir}, with everything in it. */
export function removeTempDir(path: string): Promise<void> {
  return rm(path, { recursive: true, force: true });
}
