export { BusTimeoutError, CommandRefusedError } from './errors.js';
export { type BusStreams, busStreams } from '../protocol.js';
export {
  type CommandOptions,
  OrganizationsClient,
  type OrganizationsClientOptions,
} from './organizations-client.js';
