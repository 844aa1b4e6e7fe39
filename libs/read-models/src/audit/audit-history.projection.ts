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
import { erasedEntry } from './erasure.js';
import { sameData } from './field-changes.js';
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
    const deleted = new Set(
      entries
        .filter((entry) => entry.eventType === 'OrganizationDeleted')
        .map((entry) => entry.orgId),
    );
    const rewritten = await this.storedEntriesErased(generation, deleted);
    const written = entries.map((entry) =>
      deleted.has(entry.orgId) ? erasedEntry(entry) : entry,
    );
    return commitOutcome(outcome, expected, (checkpoint) =>
      this.store.commit(
        generation,
        { entries: written, organizations: touched, rewritten },
        expected,
        checkpoint,
      ),
    );
  }

  // A deletion erases the personal data of the organization's history:
  // the entries stored before this batch are rewritten in the same commit.
  private async storedEntriesErased(
    generation: number,
    deleted: ReadonlySet<string>,
  ): Promise<AuditEntry[]> {
    const rewritten: AuditEntry[] = [];
    for (const orgId of deleted) {
      for (const entry of await this.store.entriesOf(generation, orgId)) {
        const erased = erasedEntry(entry);
        if (!sameData(erased, entry)) rewritten.push(erased);
      }
    }
    return rewritten;
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
