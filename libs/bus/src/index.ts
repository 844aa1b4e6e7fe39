export * from './client/index.js';
export { type BusKey, BusKeyRing } from './keys.js';
export * from './protocol.js';
export {
  BUS_PATTERNS,
  type BusObserver,
  RedisStreamsServer,
  type RedisStreamsServerOptions,
} from './server/redis-streams.server.js';
export type { RefusalReason, VerifiedRequest } from './server/verify.js';
