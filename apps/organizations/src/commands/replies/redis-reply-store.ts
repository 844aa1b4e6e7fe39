import type { Redis } from 'ioredis';

import type { CommandAnswer, ReplyStore, StoredReply } from './reply-store.js';

// Long enough for any retry a sender makes; the events stay the record.
const KEEP_SECONDS = 7 * 24 * 3600;

/**
 * Replies in Redis, shared by every replica: the production choice, where
 * replicas have no common disk. The first reply stored for an id wins.
 */
export class RedisReplyStore implements ReplyStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async get(commandId: string): Promise<StoredReply | null> {
    const text = await this.redis.get(this.key(commandId));
    if (text === null) return null;
    const { fingerprint, reply } = JSON.parse(text) as {
      fingerprint: string;
      reply: CommandAnswer;
    };
    return { commandId, fingerprint, reply };
  }

  async put(stored: StoredReply): Promise<void> {
    const text = JSON.stringify({
      fingerprint: stored.fingerprint,
      reply: stored.reply,
    });
    await this.redis.set(
      this.key(stored.commandId),
      text,
      'EX',
      KEEP_SECONDS,
      'NX',
    );
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => undefined);
  }

  private key(commandId: string): string {
    return `${this.prefix}organizations:replies:${commandId}`;
  }
}
