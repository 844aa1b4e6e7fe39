import type { AcceptedReply, RejectedReply } from '@org/contracts';

/** The answers worth remembering: unexpected failures are not. */
export type CommandAnswer = AcceptedReply | RejectedReply;

/** The first answer given to a command id, with the digest of what was asked. */
export interface StoredReply {
  readonly commandId: string;
  readonly fingerprint: string;
  readonly reply: CommandAnswer;
}

/**
 * Remembers answers so that a command sent again gets its first answer,
 * also after a restart. The first answer stored for an id wins.
 */
export interface ReplyStore {
  get(commandId: string): Promise<StoredReply | null>;
  put(stored: StoredReply): Promise<void>;
  close(): Promise<void>;
}

export const REPLY_STORE = Symbol('ReplyStore');

export class InMemoryReplyStore implements ReplyStore {
  private readonly replies = new Map<string, StoredReply>();

  get(commandId: string): Promise<StoredReply | null> {
    return Promise.resolve(this.replies.get(commandId) ?? null);
  }

  put(stored: StoredReply): Promise<void> {
    if (!this.replies.has(stored.commandId))
      this.replies.set(stored.commandId, stored);
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
