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
  ErasingEventStore,
  ErasingSnapshotStore,
  EventSourcedRepository,
  type EventStore,
  InMemoryEventStore,
  InMemoryKeyStore,
  InMemorySnapshotStore,
  type KeyStore,
  ORGANIZATION_PERSONAL_DATA,
  PersonalDataCipher,
  RedisKeyStore,
  type SnapshotStore,
  SqliteEventStore,
  SqliteKeyStore,
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

/**
 * The stores the configuration chose, opened and ready. `events` and
 * `snapshots` encrypt personal data with the organization's key from
 * `keys`, and show it erased once that key is destroyed.
 */
export interface Stores {
  readonly events: EventStore;
  readonly snapshots: SnapshotStore;
  readonly replies: ReplyStore;
  readonly keys: KeyStore;
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
        new InMemoryKeyStore(),
      );
    case 'sqlite':
      return openSqlite(config);
    case 'esdb': {
      // Imported here: the EventStoreDB client takes a tenth of a second or
      // more to load, which a start on the embedded store need not pay.
      const esdb = await import('@org/event-store/esdb');
      const redis = sharedRedis(config);
      return stores(
        esdb.EventStoreDbEventStore.connect(choice.connectionString),
        esdb.EventStoreDbSnapshotStore.connect(choice.connectionString),
        redis === null
          ? new SqliteReplyStore(inDataDir(config, 'replies.sqlite'))
          : new RedisReplyStore(
              logRedisErrors(redis(), 'ReplyStore'),
              config.READ_MODELS_PREFIX ?? '',
            ),
        redis === null
          ? SqliteKeyStore.open({ path: inDataDir(config, 'keys.sqlite') })
          : new RedisKeyStore(
              logRedisErrors(redis(), 'KeyStore'),
              config.READ_MODELS_PREFIX ?? '',
            ),
      );
    }
  }
}

// Replicas against EventStoreDB share no disk: replies and keys go to Redis
// when the configuration names one, else to files of this replica's own
// (which suits one replica only: another would make its own keys).
function sharedRedis(config: AppConfig): (() => Redis) | null {
  const url =
    config.READ_MODELS.kind === 'redis' ? config.READ_MODELS.url : config.BUS;
  return url === null ? null : () => new Redis(url);
}

function inDataDir(config: AppConfig, file: string): string {
  mkdirSync(config.DATA_DIR, { recursive: true });
  return join(config.DATA_DIR, file);
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
  const path = inDataDir(config, 'events.sqlite');
  const durability = config.SQLITE_DURABILITY;
  return stores(
    SqliteEventStore.open({ path, durability }),
    SqliteSnapshotStore.open({ path, durability }),
    new SqliteReplyStore(inDataDir(config, 'replies.sqlite')),
    SqliteKeyStore.open({ path: inDataDir(config, 'keys.sqlite') }),
  );
}

function stores(
  events: EventStore,
  snapshots: SnapshotStore,
  replies: ReplyStore,
  keys: KeyStore,
): Stores {
  const cipher = new PersonalDataCipher(keys, ORGANIZATION_PERSONAL_DATA);
  return {
    events: new ErasingEventStore(events, cipher),
    snapshots: new ErasingSnapshotStore(snapshots, cipher),
    replies,
    keys,
    async close() {
      await replies.close();
      await snapshots.close?.();
      await events.close();
      await keys.close();
    },
  };
}
