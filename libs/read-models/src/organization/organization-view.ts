import {
  ACTOR_TYPES,
  EVENT_SCHEMA_VERSIONS,
  EVENT_TYPES,
  evolve,
  type EventType,
  type Organization,
  type OrganizationEvent,
} from '@org/domain';
import type { RecordedEvent } from '@org/event-store';

/** Where organizations live in the log; other streams are not theirs. */
export const ORGANIZATION_STREAM_PREFIX = 'organization-';

/**
 * An organization as the read models keep it: the domain's state without
 * its internal bookkeeping (`recentIdempotencyKeys`), with the revision of
 * the last event applied and when it was created and last changed.
 */
export type OrganizationView = Omit<Organization, 'recentIdempotencyKeys'> & {
  /** Revision of the last event applied, in the organization's stream. */
  readonly revision: number;
  /** `occurredAt` of its creation. */
  readonly createdAt: string;
  /** `occurredAt` of the last event applied. */
  readonly updatedAt: string;
};

/** A recorded event that a projection cannot apply; the reason says why. */
export class EventNotApplicableError extends Error {
  override readonly name = 'EventNotApplicableError';
}

/** The organization id of an event, from its stream. */
export function organizationIdOf(event: RecordedEvent): string {
  if (!event.streamId.startsWith(ORGANIZATION_STREAM_PREFIX)) {
    throw new EventNotApplicableError(
      `stream ${event.streamId} is not an organization stream`,
    );
  }
  return event.streamId.slice(ORGANIZATION_STREAM_PREFIX.length);
}

/** The organizations the events are about; events of other streams fail later. */
export function organizationIds(events: readonly RecordedEvent[]): string[] {
  const ids = new Set<string>();
  for (const event of events) {
    try {
      ids.add(organizationIdOf(event));
    } catch {
      // Reported as the event that cannot be applied, in order.
    }
  }
  return [...ids];
}

/**
 * Whether the view already holds the event: events are applied in stream
 * order, so anything at or below its revision was applied before.
 */
export function alreadyApplied(
  view: OrganizationView | null,
  event: RecordedEvent,
): boolean {
  return view !== null && event.revision <= view.revision;
}

/**
 * Applies one recorded event through the domain's `evolve`. Throws
 * {@link EventNotApplicableError} for an event that is not a readable
 * organization event, or does not follow the view's revision.
 */
export function applyToView(
  view: OrganizationView | null,
  recorded: RecordedEvent,
): OrganizationView {
  const event = toOrganizationEvent(recorded);
  checkSequence(view, recorded);
  const next = evolveChecked(view, event);
  const { recentIdempotencyKeys: _internal, ...kept } = next;
  return {
    ...kept,
    revision: recorded.revision,
    createdAt: view?.createdAt ?? event.metadata.occurredAt,
    updatedAt: event.metadata.occurredAt,
  };
}

function evolveChecked(
  view: OrganizationView | null,
  event: OrganizationEvent,
): Organization {
  let next;
  try {
    next = evolve(view === null ? null : toState(view), event);
  } catch (error: unknown) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new EventNotApplicableError(`evolve failed: ${reason}`);
  }
  if (next === null) {
    throw new EventNotApplicableError(
      `${event.type} for an organization that was never created`,
    );
  }
  return next;
}

// The window of idempotency keys only matters to deciding commands.
function toState(view: OrganizationView): Organization {
  const { revision: _r, createdAt: _c, updatedAt: _u, ...state } = view;
  return { ...state, recentIdempotencyKeys: [] };
}

function checkSequence(
  view: OrganizationView | null,
  event: RecordedEvent,
): void {
  const created = event.type === 'OrganizationCreated';
  if (view === null && created && event.revision === 0) return;
  if (view !== null && !created && event.revision === view.revision + 1) return;
  const at = view === null ? 'no organization' : `revision ${view.revision}`;
  throw new EventNotApplicableError(
    `${event.type} at revision ${event.revision} does not follow ${at}; ` +
      'an event of the stream is missing or repeated',
  );
}

/** The domain's view of a recorded event, after checking its envelope. */
export function toOrganizationEvent(
  recorded: RecordedEvent,
): OrganizationEvent {
  const orgId = organizationIdOf(recorded);
  const type = knownType(recorded);
  checkMetadata(recorded.metadata, orgId);
  if (typeof recorded.data !== 'object' || recorded.data === null) {
    throw new EventNotApplicableError('its data is not an object');
  }
  return {
    type,
    schemaVersion: recorded.schemaVersion,
    data: recorded.data,
    metadata: recorded.metadata,
  } as unknown as OrganizationEvent;
}

function knownType(recorded: RecordedEvent): EventType {
  const type = EVENT_TYPES.find((known) => known === recorded.type);
  if (type === undefined) {
    throw new EventNotApplicableError(
      `unknown event type ${recorded.type}; deploy the code that knows it`,
    );
  }
  const current = EVENT_SCHEMA_VERSIONS[type];
  if (recorded.schemaVersion !== current) {
    throw new EventNotApplicableError(
      `schema version ${recorded.schemaVersion} of ${type} is not the ` +
        `current ${current}; deploy the code that knows it`,
    );
  }
  return type;
}

const ID_FIELDS = ['commandId', 'correlationId', 'causationId', 'occurredAt'];

function checkMetadata(
  metadata: Readonly<Record<string, unknown>>,
  orgId: string,
): void {
  if (metadata.orgId !== orgId) {
    throw new EventNotApplicableError(
      `metadata.orgId is not ${orgId}, the organization of its stream`,
    );
  }
  const missing = ID_FIELDS.filter((field) => !isText(metadata[field]));
  if (!isActor(metadata.actor)) missing.push('actor');
  if (missing.length > 0) {
    throw new EventNotApplicableError(`metadata lacks ${missing.join(', ')}`);
  }
}

function isText(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

function isActor(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const { type, id } = value as { type?: unknown; id?: unknown };
  return ACTOR_TYPES.some((known) => known === type) && isText(id);
}
