import { execFile } from 'node:child_process';
import { symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { makeTempDir, removeTempDir } from './temp-dir.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const TSC = join(REPO, 'node_modules/typescript/bin/tsc');
const TSC_ALIAS = join(REPO, 'node_modules/tsc-alias/dist/bin/index.js');

/** An entry point compiled into a folder of its own. */
export interface CompiledEntry {
  readonly dir: string;
  /** The compiled `.js` of the entry, to run with `node`. */
  readonly main: string;
}

/**
 * Compiles one entry point (a path under the repository, such as
 * `apps/orgctl/src/main.ts`) as `npm run build` does (tsc with
 * tsconfig.build.json, then tsc-alias), but only it and what it imports,
 * into a temporary folder: `npm run build` starts by deleting the
 * repository's dist/, which other suites may be using.
 */
export async function compileEntry(
  entry: string,
  prefix: string,
): Promise<CompiledEntry> {
  const dir = await makeTempDir(prefix);
  try {
    return { dir, main: await compileInto(dir, entry) };
  } catch (error: unknown) {
    await removeTempDir(dir);
    throw error;
  }
}

async function compileInto(dir: string, entry: string): Promise<string> {
  const outDir = join(dir, 'dist');
  // Packages (and @types for the compiler) resolve from the repository.
  await symlink(join(REPO, 'node_modules'), join(dir, 'node_modules'));
  await writeFile(join(dir, 'package.json'), '{ "type": "module" }\n');
  await writeFile(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      extends: join(REPO, 'tsconfig.build.json'),
      compilerOptions: { rootDir: REPO, outDir },
      include: [],
      files: [join(REPO, entry)],
    }),
  );
  await node([TSC, '-p', join(dir, 'tsconfig.json')], entry);
  await node(
    [TSC_ALIAS, '-p', 'tsconfig.build.json', '--outDir', outDir],
    entry,
  );
  return join(outDir, entry.replace(/\.ts$/, '.js'));
}

async function node(args: readonly string[], entry: string): Promise<void> {
  try {
    await promisify(execFile)(process.execPath, args, { cwd: REPO });
  } catch (error: unknown) {
    const { stdout = '', stderr = '' } = error as {
      stdout?: string;
      stderr?: string;
    };
    throw new Error(`compiling ${entry} failed:\n${stdout}${stderr}`, {
      cause: error,
    });
  }
}
