import type { EventMetadata } from './events.js';

/**
 * Claims an organization name for one organization, forever. Recorded in a
 * stream of its own per name, appended only when that stream does not exist,
 * which makes names unique without a global lock.
 */
export interface OrganizationNameReserved {
  readonly type: 'OrganizationNameReserved';
  readonly schemaVersion: number;
  readonly data: { readonly name: string; readonly orgId: string };
  readonly metadata: EventMetadata;
}

export const NAME_RESERVATION_SCHEMA_VERSION = 1;
