import { join } from 'node:path';

import { SqliteEventStore } from '@org/event-store';

import { makeTempDir, removeTempDir } from '../support/temp-dir.js';
import { describeEventStoreContract } from './event-store.contract.js';

describeEventStoreContract('SQLite', async () => {
  const folder = await makeTempDir('event-store-contract');
  const store = SqliteEventStore.open({ path: join(folder, 'events.sqlite') });
  return {
    store,
    teardown: async () => {
      await store.close();
      await removeTempDir(folder);
    },
  };
});
