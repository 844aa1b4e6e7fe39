import { join } from 'node:path';

import { Logger } from '@nestjs/common';
import type { EventStore } from '@org/event-store';
import {
  countingEventLogMeter,
  createProjectionRunners,
  denseEventLogMeter,
  ORGANIZATION_STREAM_PREFIX,
  type OrganizationProjectionRunners,
  type OrganizationReadModels,
  RedisReadModels,
  SqliteReadModels,
} from '@org/read-models';
import { Redis } from 'ioredis';

import type { AppConfig } from '../config/configuration.js';
import { logRedisErrors } from '../infrastructure/redis-errors.js';

/** The read models the configuration chose, with their runners, not yet started. */
export interface ReadModels {
  readonly models: OrganizationReadModels;
  readonly runners: OrganizationProjectionRunners;
  close(): Promise<void>;
}

export function openReadModels(
  config: AppConfig,
  events: EventStore,
): ReadModels {
  const choice = config.READ_MODELS;
  const redis =
    choice.kind === 'redis'
      ? logRedisErrors(new Redis(choice.url), 'ReadModels')
      : null;
  const models =
    redis === null
      ? SqliteReadModels.open({
          path:
            choice.kind === 'memory'
              ? ':memory:'
              : join(config.DATA_DIR, 'read-models.sqlite'),
          // Always `normal`, whatever SQLITE_DURABILITY says of the events:
          // each batch commits with its checkpoint in one transaction, so a
          // power cut can only lose the last batches whole, and the
          // projections apply those again from the surviving checkpoint.
          // Syncing every batch would buy nothing but two fsyncs per batch
          // on the event loop that also serves commands.
          durability: 'normal',
        })
      : new RedisReadModels({
          redis,
          keyPrefix: config.READ_MODELS_PREFIX ?? '',
        });
  const logger = new Logger('Projections');
  const runners = createProjectionRunners({
    events,
    readModels: models,
    meter:
      config.EVENT_STORE.kind === 'esdb'
        ? countingEventLogMeter(events, {
            filter: { streamPrefixes: [ORGANIZATION_STREAM_PREFIX] },
            cap: 100_000,
          })
        : denseEventLogMeter(events),
    logger: {
      log: (msg, fields) => {
        logger.log({ msg, ...fields });
      },
      warn: (msg, fields) => {
        logger.warn({ msg, ...fields });
      },
      error: (msg, fields) => {
        logger.error({ msg, ...fields });
      },
    },
  });
  return {
    models,
    runners,
    async close() {
      await Promise.all([runners.directory.stop(), runners.audit.stop()]);
      await models.close();
      await redis?.quit();
    },
  };
}
