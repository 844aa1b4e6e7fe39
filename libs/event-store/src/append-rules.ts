import {
  DuplicateEventIdError,
  WrongExpectedRevisionError,
} from './event-store.port.js';
import type {
  AppendResult,
  ExpectedRevision,
  NewEvent,
  Position,
} from './event-store.port.js';

/** Where an event id is stored. */
export interface EventLocation {
  readonly streamId: string;
  readonly revision: number;
  readonly position: Position;
}

/** What the shared append rules need to know of an adapter's storage. */
export interface AppendView {
  /** The stream's current revision, -1 when it does not exist. */
  currentRevision(streamId: string): number;
  locate(eventId: string): EventLocation | undefined;
}

/** Refuses arguments no store could accept, before anything is queued. */
export function assertValidAppend(
  streamId: string,
  events: readonly NewEvent[],
  expected: ExpectedRevision,
): void {
  if (streamId === '') throw new TypeError('streamId must not be empty');
  if (typeof expected === 'number' && !isRevision(expected)) {
    throw new RangeError(
      `expected revision ${expected} is neither an integer from -1 up, ` +
        "'no_stream' nor 'any'",
    );
  }
  events.forEach(assertValidEvent);
}

function isRevision(value: number): boolean {
  return Number.isSafeInteger(value) && value >= -1;
}

function assertValidEvent(event: NewEvent): void {
  if (event.id === '' || event.type === '') {
    throw new TypeError('every event needs a non-empty id and type');
  }
  if (!Number.isSafeInteger(event.schemaVersion) || event.schemaVersion < 1) {
    throw new RangeError(
      `event ${event.id} has schema version ${event.schemaVersion}; ` +
        'versions start at 1',
    );
  }
}

/** Throws {@link WrongExpectedRevisionError} unless `actual` is expected. */
export function checkExpected(
  streamId: string,
  expected: ExpectedRevision,
  actual: number,
): void {
  if (expected === 'any') return;
  const wanted = expected === 'no_stream' ? -1 : expected;
  if (wanted !== actual) {
    throw new WrongExpectedRevisionError(streamId, expected, actual);
  }
}

/**
 * The original result when `events` are already stored, in order, right
 * after `expected` in `streamId`: a retried append. `null` when none of
 * their ids is stored. Throws when they are stored only in part, elsewhere
 * in the stream, or in another stream.
 */
export function findRetriedAppend(
  view: AppendView,
  streamId: string,
  events: readonly NewEvent[],
  expected: ExpectedRevision,
): AppendResult | null {
  const first = events[0];
  const found = first && view.locate(first.id);
  if (!first || !found) {
    assertNewIds(view, streamId, events);
    return null;
  }
  if (found.streamId !== streamId) {
    throw new DuplicateEventIdError(streamId, first.id, found.streamId);
  }
  const last = matchStoredRun(view, streamId, events, found);
  if (!last || !retryStartsAt(expected, found.revision)) {
    const actual = view.currentRevision(streamId);
    throw new WrongExpectedRevisionError(streamId, expected, actual);
  }
  return { nextRevision: last.revision, position: last.position };
}

function assertNewIds(
  view: AppendView,
  streamId: string,
  events: readonly NewEvent[],
): void {
  const seen = new Set<string>();
  for (const { id } of events) {
    const stored = view.locate(id);
    if (stored || seen.has(id)) {
      throw new DuplicateEventIdError(streamId, id, stored?.streamId ?? null);
    }
    seen.add(id);
  }
}

function matchStoredRun(
  view: AppendView,
  streamId: string,
  events: readonly NewEvent[],
  first: EventLocation,
): EventLocation | undefined {
  let last: EventLocation | undefined;
  for (const [offset, event] of events.entries()) {
    last = view.locate(event.id);
    const inPlace =
      last?.streamId === streamId && last.revision === first.revision + offset;
    if (!inPlace) return undefined;
  }
  return last;
}

function retryStartsAt(expected: ExpectedRevision, revision: number): boolean {
  if (expected === 'any') return true;
  if (expected === 'no_stream') return revision === 0;
  return revision === expected + 1;
}
