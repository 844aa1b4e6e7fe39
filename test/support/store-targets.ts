import { EsdbWireEmulator } from '../esdb-emulator/esdb-wire-emulator.js';
import { startTestRedis } from './redis-server.js';

/** An event store for the service under test, and how to tear it down. */
export interface StoreTarget {
  readonly name: string;
  start(): Promise<{ env: Record<string, string>; stop: () => Promise<void> }>;
}

/**
 * The stores the end-to-end suites run on: the embedded SQLite default, and
 * the EventStoreDB adapter through the real client over gRPC against the
 * wire emulator (test support; it cannot prove clustering, ACLs, TLS,
 * performance or the absence of drift from a real server).
 */
export const STORE_TARGETS: readonly StoreTarget[] = [
  {
    name: 'SQLite',
    start: () => Promise.resolve({ env: {}, stop: () => Promise.resolve() }),
  },
  {
    name: 'the EventStoreDB adapter on the wire emulator',
    async start() {
      const emulator = await EsdbWireEmulator.start();
      return {
        env: { EVENT_STORE: emulator.connectionString },
        stop: () => emulator.stop(),
      };
    },
  },
];

/** The read-model stores the end-to-end suites run on: SQLite, and a real Redis. */
export const READ_MODEL_TARGETS: readonly StoreTarget[] = [
  {
    name: 'SQLite read models',
    start: () => Promise.resolve({ env: {}, stop: () => Promise.resolve() }),
  },
  {
    name: 'Redis read models',
    async start() {
      const redis = await startTestRedis();
      return {
        env: {
          READ_MODELS: redis.url,
          READ_MODELS_PREFIX: `${redis.prefix('rm')}:`,
        },
        stop: () => redis.stop(),
      };
    },
  },
];
