import type { EventFilter } from './event-store.port.js';

/**
 * Whether an event passes the filter. An absent or empty list does not
 * restrict; both lists must pass when both are given.
 */
export function matchesFilter(
  filter: EventFilter | undefined,
  streamId: string,
  type: string,
): boolean {
  return (
    passes(filter?.streamPrefixes, (prefix) => streamId.startsWith(prefix)) &&
    passes(filter?.eventTypes, (eventType) => eventType === type)
  );
}

function passes(
  list: readonly string[] | undefined,
  test: (entry: string) => boolean,
): boolean {
  return list === undefined || list.length === 0 || list.some(test);
}
