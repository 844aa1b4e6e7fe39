import { execFile, spawn } from 'node:child_process';
import { symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { makeTempDir, removeTempDir } from '../../support/temp-dir.js';

const REPO = fileURLToPath(new URL('../../..', import.meta.url));
const TSC = join(REPO, 'node_modules/typescript/bin/tsc');
const TSC_ALIAS = join(REPO, 'node_modules/tsc-alias/dist/bin/index.js');

/** What one run of the binary did. */
export interface OrgctlRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * orgctl compiled as `npm run build` compiles it (tsc with
 * tsconfig.build.json, then tsc-alias), but only main.ts and what it
 * imports, into a temporary folder: the repository's dist/ is left alone
 * and need not exist.
 */
export class OrgctlBinary {
  private constructor(
    private readonly dir: string,
    readonly main: string,
  ) {}

  static async build(): Promise<OrgctlBinary> {
    const dir = await makeTempDir('orgctl-build');
    try {
      return await OrgctlBinary.buildIn(dir);
    } catch (error: unknown) {
      await removeTempDir(dir);
      throw error;
    }
  }

  private static async buildIn(dir: string): Promise<OrgctlBinary> {
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
        files: [join(REPO, 'apps/orgctl/src/main.ts')],
      }),
    );
    await compile([TSC, '-p', join(dir, 'tsconfig.json')]);
    await compile([TSC_ALIAS, '-p', 'tsconfig.build.json', '--outDir', outDir]);
    return new OrgctlBinary(dir, join(outDir, 'apps/orgctl/src/main.js'));
  }

  /**
   * Runs `node main.js ...args` with only the given environment (and a
   * home folder without a config file), killed after `timeoutMs`.
   */
  run(
    args: readonly string[],
    env: Record<string, string> = {},
    timeoutMs = 20_000,
  ): Promise<OrgctlRun> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [this.main, ...args], {
        env: { PATH: process.env.PATH ?? '', HOME: this.dir, ...env },
        timeout: timeoutMs,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code) => {
        resolve({ code, stdout, stderr });
      });
    });
  }

  remove(): Promise<void> {
    return removeTempDir(this.dir);
  }
}

/** Runs a build tool; a failure shows what the tool printed. */
async function compile(args: readonly string[]): Promise<void> {
  try {
    await promisify(execFile)(process.execPath, args, { cwd: REPO });
  } catch (error: unknown) {
    const { stdout = '', stderr = '' } = error as {
      stdout?: string;
      stderr?: string;
    };
    throw new Error(`building orgctl failed:\n${stdout}${stderr}`, {
      cause: error,
    });
  }
}
