import type { Redis } from 'ioredis';

import { EventStoreUnavailableError } from '../event-store.port.js';
import { KEY_BYTES, type KeyStore } from './key-store.port.js';
import { newDataKey } from './personal-data-cipher.js';

// Stores the key unless the subject has one or was destroyed; returns the
// key in effect, or false when destroyed.
const KEY_FOR = `
if redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 1 then return false end
redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2])
return redis.call('HGET', KEYS[1], ARGV[1])`;

const DESTROY = `
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('SADD', KEYS[2], ARGV[1])
if ARGV[2] ~= '' then redis.call('SET', KEYS[3], ARGV[2]) end
return 1`;

/**
 * Data keys in Redis, shared by every replica: a hash of live keys
 * (base64), a set of destroyed subjects, and the search checkpoint. HDEL
 * removes a key from the keyspace at once; whether it also leaves the
 * disk depends on the server's persistence (an RDB or AOF file keeps it
 * until rewritten), which production must configure accordingly.
 */
export class RedisKeyStore implements KeyStore {
  private readonly keysKey: string;
  private readonly destroyedKey: string;
  private readonly checkpointKey: string;

  constructor(
    private readonly redis: Redis,
    prefix = '',
  ) {
    this.keysKey = `${prefix}erasure:keys`;
    this.destroyedKey = `${prefix}erasure:destroyed`;
    this.checkpointKey = `${prefix}erasure:checkpoint`;
  }

  async keyFor(subject: string): Promise<Buffer | null> {
    const stored = await this.call(() =>
      this.redis.eval(
        KEY_FOR,
        2,
        this.keysKey,
        this.destroyedKey,
        subject,
        newDataKey().toString('base64'),
      ),
    );
    return typeof stored === 'string' ? decodeKey(subject, stored) : null;
  }

  async keysOf(
    subjects: readonly string[],
  ): Promise<Map<string, Buffer | null>> {
    const found = new Map<string, Buffer | null>();
    if (subjects.length === 0) return found;
    const [keys, destroyed] = await this.call(() =>
      Promise.all([
        this.redis.hmget(this.keysKey, ...subjects),
        this.redis.smismember(this.destroyedKey, ...subjects),
      ]),
    );
    subjects.forEach((subject, index) => {
      const key = keys[index];
      if (destroyed[index] === 1) found.set(subject, null);
      else if (typeof key === 'string')
        found.set(subject, decodeKey(subject, key));
    });
    return found;
  }

  async destroy(subject: string, checkpoint?: string): Promise<void> {
    await this.call(() =>
      this.redis.eval(
        DESTROY,
        3,
        this.keysKey,
        this.destroyedKey,
        this.checkpointKey,
        subject,
        checkpoint ?? '',
      ),
    );
  }

  checkpoint(): Promise<string | null> {
    return this.call(() => this.redis.get(this.checkpointKey));
  }

  async saveCheckpoint(checkpoint: string): Promise<void> {
    await this.call(() => this.redis.set(this.checkpointKey, checkpoint));
  }

  async close(): Promise<void> {
    if (this.redis.status !== 'end')
      await this.redis.quit().catch(() => undefined);
  }

  private async call<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error: unknown) {
      throw new EventStoreUnavailableError('the key store cannot be reached', {
        cause: error,
      });
    }
  }
}

function decodeKey(subject: string, text: string): Buffer {
  const key = Buffer.from(text, 'base64');
  if (key.length !== KEY_BYTES) {
    throw new EventStoreUnavailableError(
      `the key store holds a key of the wrong length for ${subject}`,
    );
  }
  return key;
}
