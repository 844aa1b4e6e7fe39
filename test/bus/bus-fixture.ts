import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { OrganizationsClient } from '@org/bus';
import type { Redis } from 'ioredis';

import { AppHarness } from '../support/app-harness.js';
import { startTestRedis, type TestRedis } from '../support/redis-server.js';
import { makeTempDir, removeTempDir } from '../support/temp-dir.js';

export const KEY_ID = 'devices-1';

/** The service on SQLite with the bus on a real Redis, under a key prefix of its own. */
export class BusFixture {
  private readonly clients: OrganizationsClient[] = [];
  private readonly apps: AppHarness[] = [];

  private constructor(
    readonly redis: TestRedis,
    readonly raw: Redis,
    readonly prefix: string,
    readonly secret: Buffer,
    private readonly keysDir: string,
    readonly env: Record<string, string>,
  ) {}

  static async start(extra: Record<string, string> = {}): Promise<BusFixture> {
    const redis = await startTestRedis();
    const keysDir = await makeTempDir('bus-keys');
    const secret = randomBytes(32);
    const keysFile = join(keysDir, 'bus-keys.json');
    await writeFile(
      keysFile,
      JSON.stringify([
        {
          keyId: KEY_ID,
          secret: secret.toString('base64'),
          service: 'devices-service',
        },
      ]),
    );
    const prefix = redis.prefix('bus');
    const env = {
      BUS: redis.url,
      BUS_KEYS_FILE: keysFile,
      BUS_PREFIX: prefix,
      BUS_CLAIM_IDLE_MS: '300',
      BUS_MAX_DELIVERIES: '2',
      ...extra,
    };
    return new BusFixture(redis, redis.client(), prefix, secret, keysDir, env);
  }

  async app(env: Record<string, string> = {}): Promise<AppHarness> {
    const app = await AppHarness.start({ ...this.env, ...env });
    this.apps.push(app);
    return app;
  }

  async replica(
    of: AppHarness,
    env: Record<string, string>,
  ): Promise<AppHarness> {
    const replica = await of.replica({ ...this.env, ...env });
    this.apps.push(replica);
    return replica;
  }

  client(
    options: { timeoutMs?: number; retries?: number; clientId?: string } = {},
  ) {
    const client = new OrganizationsClient({
      url: this.redis.url,
      prefix: this.prefix,
      keyId: KEY_ID,
      secret: this.secret.toString('base64'),
      ...options,
    });
    this.clients.push(client);
    return client;
  }

  async stop(): Promise<void> {
    await Promise.all(this.clients.map((c) => c.close()));
    for (const app of this.apps.reverse()) await app.close();
    for (const app of this.apps) await app.stop();
    await this.redis.stop();
    await removeTempDir(this.keysDir);
  }
}
