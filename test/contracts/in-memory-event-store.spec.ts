import { InMemoryEventStore } from '@org/event-store';

import { describeEventStoreContract } from './event-store.contract.js';

describeEventStoreContract('in-memory', () => {
  const store = new InMemoryEventStore();
  return Promise.resolve({ store, teardown: () => store.close() });
});
