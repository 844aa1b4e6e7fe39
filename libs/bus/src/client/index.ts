export { BusTimeoutError, CommandRefusedError } from './errors.js';
export {
  type CommandOptions,
  OrganizationsClient,
  type OrganizationsClientOptions,
} from './organizations-client.js';
