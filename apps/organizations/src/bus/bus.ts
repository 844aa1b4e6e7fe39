// What the service needs of the bus when BUS is set, in one module that
// `createApp` imports only then.
export { BusController } from './bus.controller.js';
export { connectBus } from './bus-transport.js';
