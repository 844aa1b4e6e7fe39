import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

import { msSince } from './stats.js';

/** A node program started by the bench, answering HTTP on `port`. */
export interface Child {
  readonly port: number;
  readonly process: ChildProcess;
  /** Milliseconds from spawning to the first `/health` answered 200. */
  readonly msToHealthy: number;
  stop(): Promise<void>;
}

/** Spawns `node main` on a free port and waits until `/health` answers 200. */
export async function startHealthy(
  main: string,
  env: Record<string, string>,
  args: readonly string[] = [],
): Promise<Child> {
  const port = await freePort();
  const start = process.hrtime.bigint();
  const child = spawn(process.execPath, [...args, main], {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: 'ignore',
  });
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      resolve();
    });
  });
  const stop = async (): Promise<void> => {
    child.kill('SIGTERM');
    await exited;
  };
  try {
    while (!(await healthy(port))) {
      if (child.exitCode !== null) throw new Error(`${main} exited early`);
      if (msSince(start) > 60_000) throw new Error(`${main} never got healthy`);
    }
  } catch (error: unknown) {
    await stop();
    throw error;
  }
  return { port, process: child, msToHealthy: msSince(start), stop };
}

/** The resident set size of a process, in bytes, from `/proc`. */
export function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
  if (kb === undefined) throw new Error(`no VmRSS for process ${pid}`);
  return Number(kb) * 1024;
}

async function healthy(port: number): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/health`);
    if (response.status === 200) return true;
  } catch {
    // Not listening yet.
  }
  await new Promise((resolve) => setTimeout(resolve, 2));
  return false;
}

function freePort(): Promise<number> {
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
