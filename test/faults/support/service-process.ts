import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';

import { compileEntry } from '../../support/compile-entry.js';
import { removeTempDir } from '../../support/temp-dir.js';
import { waitFor } from '../../support/wait-for.js';

/**
 * The service compiled into a temporary folder, as `npm run build` would
 * compile it, without touching the repository's dist/.
 */
export class ServiceBuild {
  private constructor(
    readonly dir: string,
    readonly main: string,
  ) {}

  static async compile(): Promise<ServiceBuild> {
    const { dir, main } = await compileEntry(
      'apps/organizations/src/main.ts',
      'organizations-build',
    );
    return new ServiceBuild(dir, main);
  }

  remove(): Promise<void> {
    return removeTempDir(this.dir);
  }
}

/** A support token and the tokens file holding only its digest. */
export async function writeSupportToken(
  dir: string,
): Promise<{ token: string; file: string }> {
  const token = `fault-${randomUUID()}`;
  const file = join(dir, 'tokens.json');
  const sha256 = createHash('sha256').update(token).digest('hex');
  await writeFile(
    file,
    JSON.stringify([{ sha256, actor: { type: 'support', id: 'agent-f' } }]),
  );
  return { token, file };
}

/**
 * `node main.js` in a child process on a port chosen here, which a test
 * can kill with SIGKILL and start again on the same data and port.
 */
export class ServiceProcess {
  private child: ChildProcess | undefined;
  private output = '';
  private printedChars = 0;

  private constructor(
    private readonly build: ServiceBuild,
    private readonly env: Record<string, string>,
    readonly url: string,
  ) {}

  static async start(
    build: ServiceBuild,
    env: Record<string, string>,
  ): Promise<ServiceProcess> {
    const port = await freePort();
    const service = new ServiceProcess(
      build,
      { ...env, PORT: String(port), HOST: '127.0.0.1' },
      `http://127.0.0.1:${port}`,
    );
    await service.boot();
    return service;
  }

  /** What the process printed, for failure messages. */
  get log(): string {
    return this.output.slice(-4000);
  }

  /** How many characters the process has printed so far. */
  get printed(): number {
    return this.printedChars;
  }

  /** What the process printed after {@link printed} was `mark` (its last 20,000 characters at most). */
  printedSince(mark: number): string {
    const count = this.printedChars - mark;
    return count > 0 ? this.output.slice(-count) : '';
  }

  async isLive(): Promise<boolean> {
    try {
      return (await fetch(`${this.url}/health/live`)).status === 200;
    } catch {
      return false;
    }
  }

  /** SIGKILL, then the same service started again on the same data. */
  async killAndRestart(): Promise<void> {
    await this.stop('SIGKILL');
    await this.boot();
  }

  stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child;
    this.child = undefined;
    return new Promise((resolve) => {
      if (child?.exitCode !== null) {
        resolve();
        return;
      }
      child.once('exit', () => {
        resolve();
      });
      child.kill(signal);
    });
  }

  private async boot(): Promise<void> {
    const child = spawn(process.execPath, [this.build.main], {
      env: { PATH: process.env.PATH ?? '', ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => {
      const text = chunk.toString();
      this.printedChars += text.length;
      this.output = `${this.output}${text}`.slice(-20_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    this.child = child;
    try {
      await waitFor(
        async () => {
          if (child.exitCode !== null) throw new Error('the service exited');
          return this.isLive();
        },
        {
          timeoutMs: 20_000,
          intervalMs: 20,
          description: 'the service to start',
        },
      );
    } catch (error: unknown) {
      await this.stop('SIGKILL');
      throw new Error(`${String(error)}:\n${this.log}`, { cause: error });
    }
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (typeof address === 'object' && address !== null)
          resolve(address.port);
        else reject(new Error('no free port'));
      });
    });
  });
}
