import { hostname } from 'node:os';

import type { INestApplication } from '@nestjs/common';
import { BusKeyRing, RedisStreamsServer } from '@org/bus';

import type { AppConfig } from '../config/configuration.js';
import { ConfigError } from '../config/configuration.js';
import { Metrics } from '../metrics/metrics.js';

/**
 * Joins the Redis Streams bus when `BUS` is set: this replica becomes one
 * consumer of the commands stream's group.
 */
export function connectBus(app: INestApplication, config: AppConfig): void {
  if (config.BUS === null) return;
  const server = new RedisStreamsServer({
    url: config.BUS,
    prefix: config.BUS_PREFIX,
    keys: busKeys(config),
    consumer: config.BUS_CONSUMER ?? `${hostname()}-${process.pid}`,
    concurrency: config.BUS_CONCURRENCY,
    claimIdleMs: config.BUS_CLAIM_IDLE_MS,
    maxDeliveries: config.BUS_MAX_DELIVERIES,
    replyStreamLength: config.BUS_REPLY_STREAM_LENGTH,
    observer: app.get(Metrics).bus,
  });
  app.connectMicroservice({ strategy: server }, { inheritAppConfig: true });
}

function busKeys(config: AppConfig): BusKeyRing {
  const file = config.BUS_KEYS_FILE;
  const problem = (text: string) =>
    new ConfigError([
      { variable: 'BUS_KEYS_FILE', problem: text, example: './bus-keys.json' },
    ]);
  if (file === null) throw problem('is required when BUS is set');
  try {
    return BusKeyRing.fromFile(file);
  } catch (error: unknown) {
    throw problem((error as Error).message);
  }
}
