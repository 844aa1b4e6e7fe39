import { Logger } from '@nestjs/common';
import type {
  EventStore,
  KeyStore,
  Position,
  Subscription,
} from '@org/event-store';

import { ORGANIZATION_STREAM_PREFIX } from '../commands/organization-streams.js';

const RETRY_AFTER_MS = 1000;

/**
 * Destroys an organization's data key once its deletion is recorded, so
 * that its personal data becomes unreadable everywhere the events are read.
 * It follows the log from the checkpoint the key store keeps with each
 * destruction, so a crash between the deletion and the destruction is made
 * good on the next start; destroying twice does nothing, so every replica
 * may run it.
 */
export class KeyShredder {
  private readonly logger = new Logger(KeyShredder.name);
  private subscription: Subscription | undefined;
  private retry: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly events: EventStore,
    private readonly keys: KeyStore,
  ) {}

  async start(): Promise<void> {
    const checkpoint = await this.keys.checkpoint();
    if (this.stopped) return;
    this.subscription = this.events.subscribeToAll(
      {
        ...(checkpoint === null ? {} : { after: positionOf(checkpoint) }),
        filter: {
          streamPrefixes: [ORGANIZATION_STREAM_PREFIX],
          eventTypes: ['OrganizationDeleted'],
        },
      },
      {
        onEvent: async (event) => {
          const orgId = event.streamId.slice(ORGANIZATION_STREAM_PREFIX.length);
          await this.keys.destroy(orgId, checkpointOf(event.position));
          this.logger.log({ msg: 'personal data erased', orgId });
          this.listeners.forEach((listener) => {
            listener();
          });
        },
        onError: (error) => {
          this.logger.error({ msg: 'key shredder stopped; retrying' }, error);
          this.subscription = undefined;
          if (!this.stopped) {
            this.retry = setTimeout(() => void this.restart(), RETRY_AFTER_MS);
          }
        },
      },
    );
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    await this.subscription?.stop();
  }

  /** Calls `listener` after each destruction, until the returned function is called. */
  onDestroyed(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async restart(): Promise<void> {
    try {
      await this.start();
    } catch (error: unknown) {
      this.logger.error({ msg: 'key shredder cannot start' }, error);
      if (!this.stopped) {
        this.retry = setTimeout(() => void this.restart(), RETRY_AFTER_MS);
      }
    }
  }
}

function checkpointOf(position: Position): string {
  return `${position.commit.toString()}/${position.prepare.toString()}`;
}

function positionOf(checkpoint: string): Position {
  const [commit, prepare] = checkpoint.split('/');
  return { commit: BigInt(commit ?? '0'), prepare: BigInt(prepare ?? '0') };
}
