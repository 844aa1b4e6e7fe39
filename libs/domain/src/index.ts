export * from './actor.js';
export * from './errors.js';
export * from './organization/authorization.js';
export * from './organization/catalog.js';
export * from './organization/commands.js';
export * from './organization/context.js';
export * from './organization/decide.js';
export * from './organization/events.js';
export * from './organization/evolve.js';
export * from './organization/name-reservation.js';
export {
  describePrecondition,
  unmetPreconditions,
} from './organization/lifecycle.js';
export * from './organization/personal-data.js';
export * from './organization/query-authorization.js';
export * from './organization/state.js';
export * from './values/checked.js';
export * from './values/cidr.js';
export { checkEmail } from './values/email.js';
export { checkOrganizationName } from './values/organization-name.js';
export { isUuidV7, uuidV7 } from './values/uuid.js';
