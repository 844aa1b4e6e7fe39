import type { Position, RecordedEvent } from '@org/event-store';

import {
  alreadyApplied,
  applyToView,
  organizationIdOf,
  organizationIds,
  type OrganizationView,
} from '../organization/organization-view.js';
import {
  applyInOrder,
  commitOutcome,
  type Projection,
} from '../projection/projection.port.js';
import { auditEntryOf } from './audit-entry.js';
import type { AuditEntry, AuditStore } from './audit-history.port.js';

/**
 * Writes one audit entry per organization event. It folds each
 * organization itself, with the domain's `evolve`, to tell the values a
 * change replaced; an event at or below the folded revision is already
 * recorded and changes nothing.
 */
export class AuditHistoryProjection implements Projection {
  readonly name = 'audit-history';

  constructor(readonly store: AuditStore) {}

  async applyBatch(
    generation: number,
    events: readonly RecordedEvent[],
    expected: Position | null,
  ): Promise<Position | null> {
    const ids = organizationIds(events);
    const loaded = await this.store.loadOrganizations(generation, ids);
    const organizations = new Map(loaded);
    const entries: AuditEntry[] = [];
    const outcome = applyInOrder(events, (event) => {
      const entry = apply(organizations, event);
      if (entry !== undefined) entries.push(entry);
    });
    const touched = [...organizations.values()].filter(
      (view) => loaded.get(view.id) !== view,
    );
    return commitOutcome(outcome, expected, (checkpoint) =>
      this.store.commit(
        generation,
        { entries, organizations: touched },
        expected,
        checkpoint,
      ),
    );
  }
}

function apply(
  organizations: Map<string, OrganizationView>,
  event: RecordedEvent,
): AuditEntry | undefined {
  const id = organizationIdOf(event);
  const before = organizations.get(id) ?? null;
  if (alreadyApplied(before, event)) return undefined;
  const after = applyToView(before, event);
  const entry = auditEntryOf(event, before, after);
  organizations.set(id, after);
  return entry;
}
