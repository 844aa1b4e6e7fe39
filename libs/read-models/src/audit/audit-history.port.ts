import type { ActorType } from '@org/domain';
import type { Position } from '@org/event-store';

import type { OrganizationView } from '../organization/organization-view.js';
import type { GenerationStore } from '../projection/projection.port.js';
import type { Page } from '../shared/pagination.js';
import type { PositionJson } from '../shared/positions.js';

/** One field an event changed, as the organization's state had it before and after. */
export interface FieldChange {
  /**
   * Dotted path in the organization's state, e.g. `profile.contactEmail`
   * or `usage.devices`. In the keyed collections `members`, `legalHolds`
   * and `activeDeployments` the path names the collection and the values
   * are the one element that came, went or changed (`null` for absent).
   */
  readonly path: string;
  readonly before: unknown;
  readonly after: unknown;
}

/** One event of an organization, as the audit history tells it. */
export interface AuditEntry {
  readonly position: PositionJson;
  readonly eventId: string;
  /** What happened: the event type. */
  readonly eventType: string;
  readonly orgId: string;
  readonly orgName: string;
  /** The event's revision in the organization's stream. */
  readonly revision: number;
  /** When it happened, by the command's clock (ISO 8601). */
  readonly occurredAt: string;
  /** When the event store recorded it (ISO 8601). */
  readonly recordedAt: string;
  /** Who did it. */
  readonly actor: { readonly type: ActorType; readonly id: string };
  /** The support ticket or sales contract it was done under. */
  readonly reference: string | null;
  readonly changes: readonly FieldChange[];
  /**
   * What in this entry is personal data, for erasure to blank: `actor.id`
   * (a user's id); a change's `path`, whose `before` and `after` are
   * personal; or `<path>.<field>`, a field inside the values of the
   * changes at `path` (e.g. `members.userId`).
   */
  readonly personal: readonly string[];
  readonly commandId: string;
  readonly correlationId: string;
  readonly causationId: string;
}

/**
 * Which entries to list. Every filter given must hold.
 */
export interface AuditQuery {
  readonly orgId?: string;
  readonly actor?: { readonly type: ActorType; readonly id: string };
  /** Any of these event types. */
  readonly eventTypes?: readonly string[];
  /** Occurred at or after this moment. */
  readonly from?: Date | string;
  /** Occurred before this moment. */
  readonly to?: Date | string;
  /** Defaults to `newest` first. */
  readonly order?: 'newest' | 'oldest';
  /** Entries per page, 1 to 1000. Defaults to 50. */
  readonly limit?: number;
  /** The `nextCursor` of the previous page, of the same order. */
  readonly cursor?: string;
}

/** Options of {@link AuditHistory.entries}. */
export type AuditExportQuery = Omit<AuditQuery, 'cursor' | 'limit'> & {
  /** Entries read per page. Defaults to 500. */
  readonly pageSize?: number;
};

/**
 * The audit history, the query side: one entry per organization event.
 *
 * Paging is keyed on the log position, which orders the entries and never
 * changes: walking all pages yields every entry that existed when the walk
 * began exactly once while new entries arrive (oldest first, the new ones
 * follow at the end).
 */
export interface AuditHistory {
  /** Throws `InvalidQueryError` for a bad filter, limit or cursor. */
  list(query?: AuditQuery): Promise<Page<AuditEntry>>;
  /** Every matching entry, read a page at a time, for exports. */
  entries(query?: AuditExportQuery): AsyncIterableIterator<AuditEntry>;
}

/** What an audit batch writes: new entries and the folded organizations. */
export interface AuditChange {
  readonly entries: readonly AuditEntry[];
  readonly organizations: readonly OrganizationView[];
  /**
   * Entries written by earlier batches, to be replaced whole (by event id):
   * those of an organization whose personal data is erased.
   */
  readonly rewritten?: readonly AuditEntry[];
}

/** The audit history's storage: queries, and what its projection writes. */
export interface AuditStore extends AuditHistory, GenerationStore {
  /**
   * The organizations as the generation last folded them, to tell what the
   * next event changes.
   */
  loadOrganizations(
    generation: number,
    ids: readonly string[],
  ): Promise<Map<string, OrganizationView>>;
  /** Every entry of one organization in the generation, oldest first. */
  entriesOf(generation: number, orgId: string): Promise<AuditEntry[]>;
  /**
   * Writes the change and the checkpoint in one atomic step; throws
   * `CheckpointConflictError`, writing nothing, when the stored
   * checkpoint is not `expected`.
   */
  commit(
    generation: number,
    change: AuditChange,
    expected: Position | null,
    checkpoint: Position,
  ): Promise<void>;
}
