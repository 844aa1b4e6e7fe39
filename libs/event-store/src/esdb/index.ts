// The EventStoreDB adapters, apart from the package's main entry so that a
// service on the embedded store never loads the EventStoreDB client.
export { EventStoreDbEventStore } from './esdb-event-store.js';
export type { EventStoreDbEventStoreOptions } from './esdb-event-store.js';
export { EventStoreDbSnapshotStore } from './esdb-snapshot-store.js';
export type {
  EventStoreDbLogger,
  ResubscribeOptions,
} from './esdb-subscription.js';
