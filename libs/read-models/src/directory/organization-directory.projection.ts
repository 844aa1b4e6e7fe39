import type { Position, RecordedEvent } from '@org/event-store';

import {
  alreadyApplied,
  applyToView,
  EventNotApplicableError,
  organizationIdOf,
  organizationIds,
} from '../organization/organization-view.js';
import {
  applyInOrder,
  commitOutcome,
  type Projection,
} from '../projection/projection.port.js';
import type {
  DirectoryEntry,
  DirectoryStore,
  DirectoryUpsert,
} from './organization-directory.port.js';

/**
 * Keeps the current state of every organization, folded with the domain's
 * `evolve`. An event at or below an entry's revision is already in it and
 * changes nothing.
 */
export class OrganizationDirectoryProjection implements Projection {
  readonly name = 'organization-directory';

  constructor(readonly store: DirectoryStore) {}

  async applyBatch(
    generation: number,
    events: readonly RecordedEvent[],
    expected: Position | null,
  ): Promise<Position | null> {
    const loaded = await this.store.load(generation, organizationIds(events));
    const owners = await this.store.idsByName(generation, newNames(events));
    const entries = new Map(loaded);
    const outcome = applyInOrder(events, (event) => {
      apply(entries, owners, event);
    });
    return commitOutcome(outcome, expected, (checkpoint) =>
      this.store.commit(
        generation,
        changed(loaded, entries),
        expected,
        checkpoint,
      ),
    );
  }
}

function apply(
  entries: Map<string, DirectoryEntry>,
  owners: Map<string, string>,
  event: RecordedEvent,
): void {
  const id = organizationIdOf(event);
  const entry = entries.get(id) ?? null;
  if (alreadyApplied(entry, event)) return;
  const next = applyToView(entry, event);
  const owner = owners.get(next.name);
  if (owner !== undefined && owner !== id) {
    throw new EventNotApplicableError(
      `the name ${next.name} belongs to organization ${owner} already`,
    );
  }
  owners.set(next.name, id);
  entries.set(id, next);
}

function changed(
  loaded: ReadonlyMap<string, DirectoryEntry>,
  entries: ReadonlyMap<string, DirectoryEntry>,
): DirectoryUpsert[] {
  return [...entries]
    .filter(([id, entry]) => loaded.get(id) !== entry)
    .map(([id, after]) => ({ before: loaded.get(id) ?? null, after }));
}

function newNames(events: readonly RecordedEvent[]): string[] {
  return events.flatMap((event) => {
    const data = event.data as { name?: unknown } | null;
    return event.type === 'OrganizationCreated' &&
      typeof data?.name === 'string'
      ? [data.name]
      : [];
  });
}
