// A projection process for the crash test: runs both organization
// projections against a SQLite event store file until it is killed.
import {
  createProjectionRunners,
  denseEventLogMeter,
  type OrganizationReadModels,
  RedisReadModels,
  SqliteReadModels,
} from '@org/read-models';

// Not through @org/event-store, whose index also loads the EventStoreDB
// client: that alone would add about 0.4 s to every restart of the test.
import { SqliteEventStore } from '../../../libs/event-store/src/sqlite/sqlite-event-store.js';

/** What the child runs against, passed as JSON in its first argument. */
export interface ChildConfig {
  readonly eventsPath: string;
  readonly batchSize: number;
  readonly readModels:
    | { readonly kind: 'sqlite'; readonly path: string }
    | {
        readonly kind: 'redis';
        readonly url: string;
        readonly keyPrefix: string;
      };
}

async function open(
  config: ChildConfig['readModels'],
): Promise<OrganizationReadModels> {
  if (config.kind === 'sqlite') return SqliteReadModels.open(config);
  const { Redis } = await import('ioredis');
  return new RedisReadModels({
    redis: new Redis(config.url),
    keyPrefix: config.keyPrefix,
  });
}

const config = JSON.parse(process.argv[2] ?? '') as ChildConfig;
const events = SqliteEventStore.open({
  path: config.eventsPath,
  pollIntervalMs: 10,
});
const runners = createProjectionRunners({
  events,
  readModels: await open(config.readModels),
  meter: denseEventLogMeter(events),
  batchSize: config.batchSize,
  logger: {
    log: () => undefined,
    warn: (message, fields) => {
      console.error(message, fields);
    },
    error: (message, fields) => {
      console.error(message, fields);
    },
  },
});
await Promise.all([runners.directory.start(), runners.audit.start()]);
process.stdout.write('started\n');
