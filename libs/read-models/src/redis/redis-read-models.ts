import type { Redis } from 'ioredis';

import { RedisAuditStore } from '../audit/redis-audit-store.js';
import { RedisDirectoryStore } from '../directory/redis-directory-store.js';

/** Options of {@link RedisReadModels}. */
export interface RedisReadModelsOptions {
  /** The connection to use; it stays the caller's to close. */
  readonly redis: Redis;
  /**
   * Put in front of every key as it is, e.g. `staging:`; keys then read
   * `staging:organizations:<model>:...`. Defaults to none.
   */
  readonly keyPrefix?: string;
}

/**
 * The read models in Redis (ioredis): the organization directory and the
 * audit history, with their checkpoints. Each batch of a projection is one
 * Lua script that checks the checkpoint, writes the change and moves the
 * checkpoint, which Redis runs without interleaving anything else.
 *
 * Limitation: a batch's script touches keys in many hash slots, so this
 * runs on a single Redis primary (with replicas), not on Redis Cluster.
 */
export class RedisReadModels {
  readonly directory: RedisDirectoryStore;
  readonly audit: RedisAuditStore;

  constructor(options: RedisReadModelsOptions) {
    this.directory = new RedisDirectoryStore(options.redis, options.keyPrefix);
    this.audit = new RedisAuditStore(options.redis, options.keyPrefix);
  }

  /** Nothing to release: the connection is the caller's. */
  close(): Promise<void> {
    return Promise.resolve();
  }
}
