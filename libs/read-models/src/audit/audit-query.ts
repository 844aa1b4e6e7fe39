import { ACTOR_TYPES } from '@org/domain';
import type { Position } from '@org/event-store';

import { InvalidQueryError } from '../shared/errors.js';
import { decodeCursor, encodeCursor, pageLimit } from '../shared/pagination.js';
import {
  positionFromJson,
  positionFromKey,
  positionKey,
} from '../shared/positions.js';
import type {
  AuditEntry,
  AuditExportQuery,
  AuditHistory,
  AuditQuery,
} from './audit-history.port.js';

/** An {@link AuditQuery} checked and normalized for the adapters. */
export interface AuditFilter {
  readonly orgId?: string;
  readonly actor?: AuditQuery['actor'];
  readonly eventTypes?: readonly string[];
  /** ISO 8601, inclusive. */
  readonly from?: string;
  /** ISO 8601, exclusive. */
  readonly to?: string;
  readonly order: 'newest' | 'oldest';
  /** Entries beyond this position, in the order's direction, only. */
  readonly after?: Position;
  readonly limit: number;
}

export function auditFilter(query: AuditQuery = {}): AuditFilter {
  const order = checkedOrder(query.order);
  checkActor(query.actor);
  return {
    orgId: query.orgId,
    actor: query.actor,
    eventTypes:
      query.eventTypes === undefined || query.eventTypes.length === 0
        ? undefined
        : query.eventTypes,
    from: moment(query.from, 'from'),
    to: moment(query.to, 'to'),
    order,
    after:
      query.cursor === undefined
        ? undefined
        : cursorPosition(query.cursor, order),
    limit: pageLimit(query.limit),
  };
}

/** The cursor of the page after the entry at this position. */
export function auditCursor(
  order: AuditFilter['order'],
  position: Position,
): string {
  return encodeCursor({ k: 'audit', order, at: positionKey(position) });
}

/** The position an entry sits at. */
export function entryPosition(entry: AuditEntry): Position {
  return positionFromJson(entry.position);
}

/** Whether an entry passes every filter of the query, the cursor aside. */
export function matchesAuditFilter(
  entry: AuditEntry,
  filter: AuditFilter,
): boolean {
  const { actor, eventTypes, from, to } = filter;
  return (
    (filter.orgId === undefined || entry.orgId === filter.orgId) &&
    (actor === undefined ||
      (entry.actor.type === actor.type && entry.actor.id === actor.id)) &&
    (eventTypes === undefined || eventTypes.includes(entry.eventType)) &&
    (from === undefined || entry.occurredAt >= from) &&
    (to === undefined || entry.occurredAt < to)
  );
}

/** Every entry of the query, a page at a time. */
export async function* auditEntries(
  history: Pick<AuditHistory, 'list'>,
  query: AuditExportQuery = {},
): AsyncIterableIterator<AuditEntry> {
  const { pageSize = 500, ...filters } = query;
  let cursor: string | undefined;
  do {
    const page = await history.list({ ...filters, limit: pageSize, cursor });
    yield* page.items;
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
}

function cursorPosition(cursor: string, order: string): Position {
  const fields = decodeCursor(cursor, 'audit');
  if (fields.order !== order || fields.at === undefined) {
    throw new InvalidQueryError(
      `the cursor belongs to a listing ${fields.order ?? ''} first; ` +
        'keep the order while paging',
    );
  }
  return positionFromKey(fields.at);
}

// Queries come from the wire: the types are checked again here.
function checkedOrder(order: string | undefined): AuditFilter['order'] {
  if (order === undefined) return 'newest';
  if (order === 'newest' || order === 'oldest') return order;
  throw new InvalidQueryError(`order must be newest or oldest, got ${order}`);
}

function checkActor(actor: AuditQuery['actor']): void {
  if (actor === undefined) return;
  if (!ACTOR_TYPES.includes(actor.type) || actor.id === '') {
    throw new InvalidQueryError(
      `an actor is one of ${ACTOR_TYPES.join(', ')} with an id`,
    );
  }
}

function moment(
  value: Date | string | undefined,
  name: string,
): string | undefined {
  if (value === undefined) return undefined;
  const date = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) {
    throw new InvalidQueryError(
      `${name} must be an ISO 8601 moment, e.g. 2026-12-01T09:00:00Z`,
    );
  }
  return date.toISOString();
}
