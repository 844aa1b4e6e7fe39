import type { EventFilter, EventStore, Position } from '@org/event-store';

/** Tells how much of the event log lies beyond a checkpoint, for lag and progress. */
export interface EventLogMeter {
  /** Events after `checkpoint` (exclusive), or in the whole log for `null`. */
  eventsAfter(checkpoint: Position | null): Promise<number>;
}

/**
 * For stores whose commit positions number the events of the whole log
 * one after the other (the embedded SQLite and in-memory stores): events
 * behind = head position − checkpoint. The count includes the events of
 * streams the projection does not follow (such as name reservations), so
 * it is an upper bound. The head is found by a galloping search with
 * `readAll` of one event, about 2·log2(distance) reads, and remembered.
 */
export function denseEventLogMeter(store: EventStore): EventLogMeter {
  let knownHead = 0n;
  const after = async (commit: bigint): Promise<bigint | undefined> => {
    const [next] = await store.readAll({
      after: { commit, prepare: commit },
      maxCount: 1,
    });
    return next?.position.commit;
  };
  return {
    async eventsAfter(checkpoint) {
      knownHead = await findHead(after, knownHead);
      const behind = knownHead - (checkpoint?.commit ?? 0n);
      return Number(behind > 0n ? behind : 0n);
    },
  };
}

// The head is the smallest position with no event after it; the log only
// grows, so the search starts from the head found last time.
async function findHead(
  after: (commit: bigint) => Promise<bigint | undefined>,
  from: bigint,
): Promise<bigint> {
  let next = await after(from);
  if (next === undefined) return from;
  // No event lies between `low` and `next`, so the head is above `low`.
  let low = next - 1n;
  let high = 0n;
  for (let step = 1n; high === 0n; step *= 2n) {
    const probe = next + step - 1n;
    const beyond = await after(probe);
    if (beyond === undefined) high = probe;
    else [low, next] = [beyond - 1n, beyond];
  }
  while (high - low > 1n) {
    const middle: bigint = (low + high) / 2n;
    if ((await after(middle)) === undefined) high = middle;
    else low = middle;
  }
  return high;
}

/** Options of {@link countingEventLogMeter}. */
export interface CountingEventLogMeterOptions {
  /** The projection's filter, so that only the events it follows count. */
  readonly filter: EventFilter;
  /** Counting stops here, and the count is then a lower bound. Defaults to 100,000. */
  readonly cap?: number;
  /** Events per read. Defaults to 1000. */
  readonly pageSize?: number;
}

/**
 * For stores whose positions are not a sequence of events, such as
 * EventStoreDB (commit positions are byte offsets in its transaction log):
 * counts the matching events after the checkpoint by reading them, up to
 * `cap`. Exact below the cap; the cost grows with the lag.
 */
export function countingEventLogMeter(
  store: EventStore,
  options: CountingEventLogMeterOptions,
): EventLogMeter {
  const cap = options.cap ?? 100_000;
  const pageSize = options.pageSize ?? 1000;
  return {
    async eventsAfter(checkpoint) {
      let counted = 0;
      let after = checkpoint ?? undefined;
      while (counted < cap) {
        const page = await store.readAll({
          after,
          maxCount: Math.min(pageSize, cap - counted),
          filter: options.filter,
        });
        counted += page.length;
        after = page.at(-1)?.position;
        if (after === undefined) break;
      }
      return counted;
    },
  };
}
