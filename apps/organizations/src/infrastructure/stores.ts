import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { Logger } from '@nestjs/common';
import { Redis } from 'ioredis';
import {
  evolve,
  initialState,
  ORGANIZATION_STATE_VERSION,
  type OrganizationEvent,
  type OrganizationState,
} from '@org/domain';
import {
  EventSourcedRepository,
  type EventStore,
  InMemoryEventStore,
  InMemorySnapshotStore,
  type SnapshotStore,
  SqliteEventStore,
  SqliteSnapshotStore,
} from '@org/event-store';

import { toOrganizationEvent } from '../commands/organization-streams.js';
import {
  InMemoryReplyStore,
  type ReplyStore,
} from '../commands/replies/reply-store.js';
import { RedisReplyStore } from '../commands/replies/redis-reply-store.js';
import { SqliteReplyStore } from '../commands/replies/sqlite-reply-store.js';
import type { AppConfig } from '../config/configuration.js';
import { logRedisErrors } from './redis-errors.js';

/** The stores the configuration chose, opened and ready. */
export interface Stores {
  readonly events: EventStore;
  readonly snapshots: SnapshotStore;
  readonly replies: ReplyStore;
  close(): Promise<void>;
}

export async function openStores(config: AppConfig): Promise<Stores> {
  const choice = config.EVENT_STORE;
  switch (choice.kind) {
    case 'memory':
      return stores(
        new InMemoryEventStore(),
        new InMemorySnapshotStore(),
        new InMemoryReplyStore(),
      );
    case 'sqlite':
      return openSqlite(config);
    case 'esdb': {
      // Imported here: the EventStoreDB client takes a tenth of a second or
      // more to load, which a start on the embedded store need not pay.
      const esdb = await import('@org/event-store/esdb');
      return stores(
        esdb.EventStoreDbEventStore.connect(choice.connectionString),
        esdb.EventStoreDbSnapshotStore.connect(choice.connectionString),
        sharedReplies(config),
      );
    }
  }
}

// Replicas against EventStoreDB share no disk: replies go to Redis when the
// configuration names one, else to a file of this replica's own.
function sharedReplies(config: AppConfig): ReplyStore {
  const url =
    config.READ_MODELS.kind === 'redis' ? config.READ_MODELS.url : config.BUS;
  if (url === null) {
    mkdirSync(config.DATA_DIR, { recursive: true });
    return new SqliteReplyStore(join(config.DATA_DIR, 'replies.sqlite'));
  }
  return new RedisReplyStore(
    logRedisErrors(new Redis(url), 'ReplyStore'),
    config.READ_MODELS_PREFIX ?? '',
  );
}

export function organizationRepository(
  stores: Stores,
  config: AppConfig,
): EventSourcedRepository<OrganizationState, OrganizationEvent> {
  const logger = new Logger('OrganizationRepository');
  return new EventSourcedRepository<OrganizationState, OrganizationEvent>({
    events: stores.events,
    snapshots: stores.snapshots,
    evolve,
    initialState,
    stateVersion: ORGANIZATION_STATE_VERSION,
    toEvent: toOrganizationEvent,
    snapshotEvery: config.SNAPSHOT_EVERY,
    logger: {
      warn: (msg, fields) => {
        logger.warn({ msg, streamId: fields.streamId });
      },
    },
  });
}

function openSqlite(config: AppConfig): Stores {
  mkdirSync(config.DATA_DIR, { recursive: true });
  const path = join(config.DATA_DIR, 'events.sqlite');
  const durability = config.SQLITE_DURABILITY;
  return stores(
    SqliteEventStore.open({ path, durability }),
    SqliteSnapshotStore.open({ path, durability }),
    new SqliteReplyStore(join(config.DATA_DIR, 'replies.sqlite')),
  );
}

function stores(
  events: EventStore,
  snapshots: SnapshotStore,
  replies: ReplyStore,
): Stores {
  return {
    events,
    snapshots,
    replies,
    async close() {
      await replies.close();
      await snapshots.close?.();
      await events.close();
    },
  };
}
