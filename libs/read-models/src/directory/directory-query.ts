import type { OrganizationStatus } from '@org/domain';

import { InvalidQueryError } from '../shared/errors.js';
import { decodeCursor, encodeCursor, pageLimit } from '../shared/pagination.js';
import type {
  DirectoryEntry,
  DirectoryQuery,
} from './organization-directory.port.js';

const STATUSES: readonly OrganizationStatus[] = [
  'active',
  'suspended',
  'deletion_scheduled',
  'deleted',
];

/** A {@link DirectoryQuery} checked and normalized for the adapters. */
export interface DirectoryFilter {
  readonly environment?: string;
  readonly businessUnit?: string;
  readonly region?: string;
  readonly status?: OrganizationStatus;
  readonly labels: readonly (readonly [string, string])[];
  /** Lowercase. */
  readonly namePrefix?: string;
  /** List names after this one only. */
  readonly after?: string;
  readonly limit: number;
}

/** Names are compared in lowercase, as the domain compares them. */
export function canonicalName(name: string): string {
  return name.trim().toLowerCase();
}

export function directoryFilter(query: DirectoryQuery = {}): DirectoryFilter {
  if (query.status !== undefined && !STATUSES.includes(query.status)) {
    throw new InvalidQueryError(
      `status must be one of ${STATUSES.join(', ')}, got ${query.status}`,
    );
  }
  return {
    environment: query.environment,
    businessUnit: query.businessUnit,
    region: query.region,
    status: query.status,
    labels: Object.entries(query.labels ?? {}),
    namePrefix:
      query.namePrefix === undefined
        ? undefined
        : canonicalName(query.namePrefix),
    after:
      query.cursor === undefined
        ? undefined
        : cursorName(decodeCursor(query.cursor, 'directory')),
    limit: pageLimit(query.limit),
  };
}

function cursorName(fields: Readonly<Record<string, string>>): string {
  const name = fields.name;
  if (name === undefined) {
    throw new InvalidQueryError('the cursor names no organization');
  }
  return name;
}

/** The cursor of the page after the entry of this name. */
export function directoryCursor(name: string): string {
  return encodeCursor({ k: 'directory', name });
}

/** Whether an entry passes every filter of the query, the cursor aside. */
export function matchesDirectoryFilter(
  entry: DirectoryEntry,
  filter: DirectoryFilter,
): boolean {
  const { labels } = entry;
  return (
    holds(filter.environment, labels.environment) &&
    holds(filter.businessUnit, labels.businessUnit) &&
    holds(filter.region, labels.region) &&
    holds(filter.status, entry.status) &&
    filter.labels.every(([key, value]) => labels.labels[key] === value) &&
    (filter.namePrefix === undefined ||
      entry.name.startsWith(filter.namePrefix))
  );
}

function holds(wanted: string | undefined, actual: string | null): boolean {
  return wanted === undefined || wanted === actual;
}
