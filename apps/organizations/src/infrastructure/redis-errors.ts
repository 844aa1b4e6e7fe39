import { Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';

const QUIET_MS = 10_000;

/**
 * Reports a Redis connection's errors through the service's logger, at most
 * once every ten seconds, instead of ioredis printing every reconnect
 * failure to stderr itself. ioredis keeps reconnecting either way.
 */
export function logRedisErrors(redis: Redis, context: string): Redis {
  const logger = new Logger(context);
  let lastReported = 0;
  redis.on('error', (error: Error) => {
    const now = Date.now();
    if (now - lastReported < QUIET_MS) return;
    lastReported = now;
    logger.warn({
      msg: 'redis connection error, reconnecting',
      error: error.message,
    });
  });
  return redis;
}
