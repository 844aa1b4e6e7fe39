import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';

import { Redis } from 'ioredis';

import { waitFor } from './wait-for.js';

/** A Redis server for a test file, and a key prefix no other test uses. */
export interface TestRedis {
  readonly url: string;
  /** A fresh `<prefix>:` for each call, so tests never share keys. */
  prefix(name: string): string;
  client(): Redis;
  stop(): Promise<void>;
}

/**
 * Uses `REDIS_URL` when it is set; otherwise starts a private
 * `redis-server` (from the PATH) on a free port, without persistence, and
 * stops it in `stop()`.
 */
export async function startTestRedis(): Promise<TestRedis> {
  const given = process.env.REDIS_URL;
  if (given !== undefined && given !== '') return testRedis(given, undefined);
  const port = await freePort();
  const server = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
    ],
    { stdio: 'ignore' },
  );
  const url = `redis://127.0.0.1:${port}`;
  await waitFor(() => pings(url), {
    timeoutMs: 10_000,
    description: 'redis-server to answer',
  });
  return testRedis(url, server);
}

function testRedis(url: string, server: ChildProcess | undefined): TestRedis {
  const clients: Redis[] = [];
  return {
    url,
    prefix: (name) => `test-${name}-${randomUUID().slice(0, 8)}`,
    client() {
      const client = new Redis(url, {
        lazyConnect: false,
        maxRetriesPerRequest: 3,
      });
      clients.push(client);
      return client;
    },
    async stop() {
      await Promise.all(clients.map((c) => c.quit().catch(() => undefined)));
      if (server !== undefined) await stopServer(server);
    },
  };
}

async function pings(url: string): Promise<boolean> {
  const client = new Redis(url, {
    lazyConnect: true,
    retryStrategy: () => null,
  });
  try {
    await client.connect();
    await client.ping();
    return true;
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
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

function stopServer(server: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (server.exitCode !== null) {
      resolve();
      return;
    }
    server.once('exit', () => {
      resolve();
    });
    server.kill('SIGTERM');
  });
}
