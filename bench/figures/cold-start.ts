import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';

import { alternate, compare, type FigureResult } from '../support/results.js';
import { msSince } from '../support/stats.js';

const SERVICE_MAIN = 'dist/apps/organizations/src/main.js';
const BARE_NEST_MAIN = 'dist-bench/bench/cold-start/bare-nest.js';

/** Figure 7: from spawning node to a healthy answer, with no stored events. */
export async function coldStartFigure(
  dir: string,
  rounds: number,
): Promise<FigureResult> {
  const values = await alternate(rounds, {
    bare: () => startToHealthy(BARE_NEST_MAIN, {}),
    service: async () => {
      const dataDir = await mkdtemp(join(dir, 'cold-'));
      try {
        return await startToHealthy(SERVICE_MAIN, {
          DATA_DIR: dataDir,
          LOG_LEVEL: 'error',
        });
      } finally {
        await rm(dataDir, { recursive: true, force: true });
      }
    },
  });
  return compare({
    figure: '7. cold start to healthy, 0 events',
    sizes: 'SQLite store and read models, empty',
    unit: 'ms',
    service: values.service,
    baselineName: 'bare Nest app with one health route',
    baseline: values.bare,
    target: '≤ 1.5x',
    meets: (r) => r.ratio.median <= 1.5,
  });
}

async function startToHealthy(
  main: string,
  env: Record<string, string>,
): Promise<number> {
  const port = await freePort();
  const start = process.hrtime.bigint();
  const child = spawn(process.execPath, [main], {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: 'ignore',
  });
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      resolve();
    });
  });
  try {
    while (!(await healthy(port))) {
      if (child.exitCode !== null) throw new Error(`${main} exited early`);
      if (msSince(start) > 30_000) throw new Error(`${main} never got healthy`);
    }
    return msSince(start);
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
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
