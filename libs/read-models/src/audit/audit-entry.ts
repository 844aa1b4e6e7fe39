import type { Actor, EventMetadata } from '@org/domain';
import type { RecordedEvent } from '@org/event-store';

import type { OrganizationView } from '../organization/organization-view.js';
import { positionToJson } from '../shared/positions.js';
import type { AuditEntry } from './audit-history.port.js';
import { fieldChanges, personalMarkers } from './field-changes.js';

/** The audit entry of an event, from the organization before and after it. */
export function auditEntryOf(
  event: RecordedEvent,
  before: OrganizationView | null,
  after: OrganizationView,
): AuditEntry {
  // The envelope was checked when the event was applied to `after`.
  const metadata = event.metadata as unknown as EventMetadata;
  const changes = fieldChanges(before, after);
  const personal = personalMarkers(changes);
  return {
    position: positionToJson(event.position),
    eventId: event.id,
    eventType: event.type,
    orgId: after.id,
    orgName: after.name,
    revision: event.revision,
    occurredAt: metadata.occurredAt,
    recordedAt: event.recordedAt,
    actor: actorOf(metadata.actor),
    reference: metadata.reference,
    changes,
    personal:
      metadata.actor.type === 'user' ? ['actor.id', ...personal] : personal,
    commandId: metadata.commandId,
    correlationId: metadata.correlationId,
    causationId: metadata.causationId,
  };
}

function actorOf(actor: Actor): AuditEntry['actor'] {
  return { type: actor.type, id: actor.id };
}
