import { describe, expect, it } from '@jest/globals';

import { InMemoryEventStore } from '../in-memory/in-memory-event-store.js';
import type { RecordedEvent } from '../event-store.port.js';
import {
  GENESIS_HASH,
  HASH_KEY,
  PREV_HASH_KEY,
  verifyChain,
} from './hash-chain.js';

async function chainOf(count: number): Promise<RecordedEvent[]> {
  const store = new InMemoryEventStore();
  await store.append(
    'organization-1',
    Array.from({ length: count }, (_, index) => ({
      id: `event-${index}`,
      type: 'Tested',
      schemaVersion: 1,
      data: { index, nested: { b: 1, a: [1, 2] } },
      metadata: { actor: 'u-1' },
    })),
    'no_stream',
  );
  return store.readStream('organization-1', { asStored: true });
}

function at<T>(list: readonly T[], index: number): T {
  const found = list[index];
  if (found === undefined) throw new Error(`nothing at ${index}`);
  return found;
}

describe('verifyChain', () => {
  it('accepts an untouched chain and reports its head and length', async () => {
    const events = await chainOf(4);

    expect(verifyChain(events)).toEqual({
      valid: true,
      head: at(events, 3).metadata[HASH_KEY],
      count: 4,
    });
  });

  it('accepts an empty stream with the genesis hash as head', () => {
    expect(verifyChain([])).toEqual({
      valid: true,
      head: GENESIS_HASH,
      count: 0,
    });
  });

  it('does not depend on the order of object keys', async () => {
    const events = await chainOf(2);
    const reordered = events.map((event) => ({
      ...event,
      data: Object.fromEntries(Object.entries(event.data as object).reverse()),
    }));

    expect(verifyChain(reordered)).toMatchObject({ valid: true });
  });

  it('names a changed event', async () => {
    const events = await chainOf(4);
    events[2] = { ...at(events, 2), data: { index: 99 } };

    expect(verifyChain(events)).toMatchObject({
      valid: false,
      firstBrokenRevision: 2,
      reason: expect.stringContaining('changed'),
    });
  });

  it('names a changed metadata field and a changed type', async () => {
    const metadata = await chainOf(3);
    metadata[1] = {
      ...at(metadata, 1),
      metadata: { ...at(metadata, 1).metadata, actor: 'u-2' },
    };
    const type = await chainOf(3);
    type[0] = { ...at(type, 0), type: 'Other' };

    expect(verifyChain(metadata)).toMatchObject({ firstBrokenRevision: 1 });
    expect(verifyChain(type)).toMatchObject({ firstBrokenRevision: 0 });
  });

  it('names the place of a removed event', async () => {
    const events = await chainOf(4);
    events.splice(1, 1);

    expect(verifyChain(events)).toMatchObject({
      valid: false,
      firstBrokenRevision: 1,
    });
  });

  it('names a removed event whose successors were renumbered', async () => {
    const events = (await chainOf(4)).filter(({ revision }) => revision !== 1);
    const renumbered = events.map((event, revision) => ({
      ...event,
      revision,
    }));

    expect(verifyChain(renumbered)).toMatchObject({
      valid: false,
      firstBrokenRevision: 1,
      reason: expect.stringContaining('does not link'),
    });
  });

  it('names the first of two swapped events', async () => {
    const events = await chainOf(4);
    const swapped = [
      at(events, 0),
      at(events, 2),
      at(events, 1),
      at(events, 3),
    ];
    const renumbered = swapped.map((event, revision) => ({
      ...event,
      revision,
    }));

    expect(verifyChain(swapped)).toMatchObject({ firstBrokenRevision: 1 });
    expect(verifyChain(renumbered)).toMatchObject({ firstBrokenRevision: 1 });
  });

  it('names an inserted event, even one that carries a forged hash', async () => {
    const events = await chainOf(3);
    const forged = {
      ...at(events, 1),
      id: 'forged',
      metadata: {
        actor: 'u-1',
        [PREV_HASH_KEY]: at(events, 0).metadata[HASH_KEY],
        [HASH_KEY]: 'f'.repeat(64),
      },
    };
    const inserted = [at(events, 0), forged, at(events, 1), at(events, 2)].map(
      (event, revision) => ({ ...event, revision }),
    );

    expect(verifyChain(inserted)).toMatchObject({
      valid: false,
      firstBrokenRevision: 1,
    });
  });

  it('refuses events stored without a hash', async () => {
    const events = await chainOf(1);
    events[0] = { ...at(events, 0), metadata: { actor: 'u-1' } };

    expect(verifyChain(events)).toMatchObject({
      valid: false,
      firstBrokenRevision: 0,
      reason: expect.stringContaining('no hash'),
    });
  });
});
