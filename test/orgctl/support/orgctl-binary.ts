import { spawn } from 'node:child_process';

import { compileEntry } from '../../support/compile-entry.js';
import { removeTempDir } from '../../support/temp-dir.js';

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
    const { dir, main } = await compileEntry(
      'apps/orgctl/src/main.ts',
      'orgctl-build',
    );
    return new OrgctlBinary(dir, main);
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
