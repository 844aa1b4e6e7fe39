import Database from 'better-sqlite3';
import {
  evolve,
  initialState,
  ORGANIZATION_STATE_VERSION,
  type OrganizationEvent,
  type OrganizationState,
} from '@org/domain';
import {
  EventSourcedRepository,
  type Position,
  SqliteEventStore,
  SqliteSnapshotStore,
} from '@org/event-store';

import { toOrganizationEvent } from '../../apps/organizations/src/commands/organization-streams.js';
import { organizationHistory } from './organization-events.js';

const APPEND_CHUNK = 500;

/** A SQLite event store holding the histories of some organizations. */
export interface SeededStore {
  readonly store: SqliteEventStore;
  readonly path: string;
  readonly orgIds: readonly string[];
  readonly events: number;
  readonly last: Position;
}

/** Stores `organizations` histories of `perOrganization` events each. */
export async function seedStore(
  path: string,
  organizations: number,
  perOrganization: number,
): Promise<SeededStore> {
  const store = SqliteEventStore.open({ path, durability: 'normal' });
  const start = new Date('2026-01-01T00:00:00.000Z');
  const orgIds: string[] = [];
  let last: Position = { commit: 0n, prepare: 0n };
  for (let index = 0; index < organizations; index += 1) {
    const history = organizationHistory(index, perOrganization, start);
    orgIds.push(history.orgId);
    for (let from = 0; from < history.events.length; from += APPEND_CHUNK) {
      const chunk = history.events.slice(from, from + APPEND_CHUNK);
      const result = await store.append(
        `organization-${history.orgId}`,
        chunk,
        from === 0 ? 'no_stream' : from - 1,
      );
      last = result.position;
    }
  }
  return {
    store,
    path,
    orgIds,
    events: organizations * perOrganization,
    last,
  };
}

export type OrganizationRepository = EventSourcedRepository<
  OrganizationState,
  OrganizationEvent
>;

/** The repository the service builds, with snapshots in the same file. */
export function repositoryOn(
  seeded: SeededStore,
  snapshotEvery: number,
): OrganizationRepository {
  return new EventSourcedRepository<OrganizationState, OrganizationEvent>({
    events: seeded.store,
    snapshots: SqliteSnapshotStore.open({ path: seeded.path }),
    evolve,
    initialState,
    stateVersion: ORGANIZATION_STATE_VERSION,
    toEvent: toOrganizationEvent,
    snapshotEvery,
    logger: {
      warn: (message, fields) => {
        process.stderr.write(`${message} ${JSON.stringify(fields)}\n`);
      },
    },
  });
}

/** The same file opened with better-sqlite3 alone, read only. */
export function rawReader(path: string): Database.Database {
  return new Database(path, { readonly: true });
}
