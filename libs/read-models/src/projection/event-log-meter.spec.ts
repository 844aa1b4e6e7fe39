import { describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';

import { InMemoryEventStore } from '@org/event-store';

import {
  countingEventLogMeter,
  denseEventLogMeter,
} from './event-log-meter.js';

async function storeWith(streams: Record<string, number>) {
  const store = new InMemoryEventStore();
  for (const [stream, count] of Object.entries(streams)) {
    for (let i = 0; i < count; i += 1) {
      await store.append(
        stream,
        [
          {
            id: randomUUID(),
            type: 'Tested',
            schemaVersion: 1,
            data: {},
            metadata: {},
          },
        ],
        i - 1,
      );
    }
  }
  return store;
}

const at = (n: bigint) => ({ commit: n, prepare: n });

describe('metering the log', () => {
  it.each([0, 1, 2, 7, 64, 1000])(
    'finds the head of a log of %i events',
    async (size) => {
      const store = await storeWith({ 'organization-a': size });
      const meter = denseEventLogMeter(store);

      expect(await meter.eventsAfter(null)).toBe(size);
      expect(await meter.eventsAfter(at(BigInt(Math.floor(size / 2))))).toBe(
        size - Math.floor(size / 2),
      );
    },
  );

  it('follows a log that grows', async () => {
    const store = await storeWith({ 'organization-a': 5 });
    const meter = denseEventLogMeter(store);
    await meter.eventsAfter(null);

    await store.append(
      'organization-b',
      [
        {
          id: randomUUID(),
          type: 'T',
          schemaVersion: 1,
          data: {},
          metadata: {},
        },
      ],
      'no_stream',
    );

    expect(await meter.eventsAfter(at(5n))).toBe(1);
  });

  it('counts only the events a filter passes, up to a cap', async () => {
    const store = await storeWith({ 'organization-a': 6, 'other-b': 4 });
    const filter = { streamPrefixes: ['organization-'] };

    expect(
      await countingEventLogMeter(store, { filter, pageSize: 4 }).eventsAfter(
        at(2n),
      ),
    ).toBe(4);
    expect(
      await countingEventLogMeter(store, { filter, cap: 3 }).eventsAfter(null),
    ).toBe(3);
  });
});
