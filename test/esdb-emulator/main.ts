import { parseArgs } from 'node:util';

import { EsdbWireEmulator } from './esdb-wire-emulator.js';

// The EventStoreDB wire emulator on its own, for pointing any EventStoreDB
// client or test suite at it without a container:
//   npm run esdb-emulator -- --port 2113
const { values } = parseArgs({
  options: { port: { type: 'string', default: '2113' } },
});
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a TCP port number, e.g. --port 2113`);
  process.exit(2);
}

const emulator = await EsdbWireEmulator.start({ port });
console.log(
  'EventStoreDB wire emulator (test support, in memory, insecure) ready: ' +
    emulator.connectionString,
);

const shutDown = (): void => {
  void emulator.stop().then(() => process.exit(0));
};
process.once('SIGINT', shutDown);
process.once('SIGTERM', shutDown);
