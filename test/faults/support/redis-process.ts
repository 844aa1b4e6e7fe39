import { type ChildProcess, spawn } from 'node:child_process';

import { Redis } from 'ioredis';

import { waitFor } from '../../support/wait-for.js';
import { freePort } from './service-process.js';

/** What a restarted Redis still holds. */
export type RedisPersistence =
  /** Everything acknowledged: append-only with an fsync per write. */
  | 'append-only'
  /** Nothing: no append-only file, no snapshots. */
  | 'none';

/**
 * A private `redis-server` on a port fixed for its life, by default
 * append-only with an fsync per write, that a test can SIGKILL and start
 * again on the same port and files.
 */
export class RedisProcess {
  private server: ChildProcess | undefined;

  private constructor(
    private readonly port: number,
    private readonly dir: string,
    private readonly persistence: RedisPersistence,
  ) {}

  static async start(
    dir: string,
    persistence: RedisPersistence = 'append-only',
  ): Promise<RedisProcess> {
    const redis = new RedisProcess(await freePort(), dir, persistence);
    await redis.boot();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async killAndRestart(): Promise<void> {
    await this.kill();
    await this.boot();
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const server = this.server;
    this.server = undefined;
    return new Promise((resolve) => {
      if (server?.exitCode !== null) {
        resolve();
        return;
      }
      server.once('exit', () => {
        resolve();
      });
      server.kill(signal);
    });
  }

  async boot(): Promise<void> {
    this.server = spawn(
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--dir',
        this.dir,
        '--save',
        '',
        ...(this.persistence === 'append-only'
          ? ['--appendonly', 'yes', '--appendfsync', 'always']
          : ['--appendonly', 'no']),
      ],
      { stdio: 'ignore' },
    );
    await waitFor(() => this.pings(), {
      timeoutMs: 10_000,
      intervalMs: 20,
      description: 'redis-server to answer',
    });
  }

  private async pings(): Promise<boolean> {
    const client = new Redis(this.url, {
      lazyConnect: true,
      retryStrategy: () => null,
    });
    try {
      await client.connect();
      // While it loads the append-only file, Redis answers LOADING errors.
      await client.ping();
      return true;
    } catch {
      return false;
    } finally {
      client.disconnect();
    }
  }
}
