import { describe, it } from '@jest/globals';

import { EventStoreDbEventStore } from '@org/event-store/esdb';

import { EsdbWireEmulator } from '../esdb-emulator/esdb-wire-emulator.js';
import { describeEventStoreContract } from './event-store.contract.js';

// Wire-emulator contract tests: the real @eventstore/db-client over real
// gRPC against the EventStoreDB wire emulator. They cannot prove
// clustering and leader changes, ACLs and TLS, performance, scavenging,
// or the absence of drift between the emulator and a real server; the
// same suite on a real server (ESDB_CONNECTION_STRING) can.
describeEventStoreContract(
  'EventStoreDB adapter on the wire emulator',
  async () => {
    // System events between the suite's own, as a node's statistics are.
    const emulator = await EsdbWireEmulator.start({ statsEvery: 7 });
    const store = EventStoreDbEventStore.connect(emulator.connectionString);
    return {
      store,
      teardown: async () => {
        await store.close();
        await emulator.stop();
      },
    };
  },
);

const realServer = process.env.ESDB_CONNECTION_STRING;

if (realServer) {
  describeEventStoreContract('EventStoreDB adapter on a real server', () => {
    const store = EventStoreDbEventStore.connect(realServer);
    return Promise.resolve({ store, teardown: () => store.close() });
  });
} else {
  console.log(
    'EventStoreDB adapter on a real server: skipped; set ESDB_CONNECTION_STRING (e.g. esdb://localhost:2113?tls=false) to run the contract suite against one',
  );
  describe.skip('EventStoreDB adapter on a real server event store contract', () => {
    it('needs ESDB_CONNECTION_STRING', () => undefined);
  });
}
