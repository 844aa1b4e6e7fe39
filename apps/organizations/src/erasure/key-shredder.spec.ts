import { describe, expect, it } from '@jest/globals';
import {
  type EventStore,
  InMemoryEventStore,
  InMemoryKeyStore,
} from '@org/event-store';

import { KeyShredder } from './key-shredder.js';

const A = '0193a1b2-c3d4-7e5f-8a6b-00000000000a';
const B = '0193a1b2-c3d4-7e5f-8a6b-00000000000b';

async function record(
  store: EventStore,
  orgId: string,
  type: string,
): Promise<void> {
  await store.append(
    `organization-${orgId}`,
    [
      {
        id: `${orgId}-${type}`,
        type,
        schemaVersion: 1,
        data: {},
        metadata: {},
      },
    ],
    'any',
  );
}

function destroyed(shredder: KeyShredder, count: number): Promise<void> {
  let seen = 0;
  return new Promise((resolve) => {
    const off = shredder.onDestroyed(() => {
      seen += 1;
      if (seen === count) {
        off();
        resolve();
      }
    });
  });
}

describe('KeyShredder', () => {
  it('destroys the key of a deletion recorded while it was not running', async () => {
    const events = new InMemoryEventStore();
    const keys = new InMemoryKeyStore();
    await keys.keyFor(A);
    await keys.keyFor(B);
    await record(events, A, 'OrganizationCreated');
    await record(events, A, 'OrganizationDeleted');

    const shredder = new KeyShredder(events, keys);
    const done = destroyed(shredder, 1);
    await shredder.start();
    await done;
    await shredder.stop();

    const found = await keys.keysOf([A, B]);
    expect(found.get(A)).toBeNull();
    expect(found.get(B)).toBeInstanceOf(Buffer);
    expect(await keys.checkpoint()).not.toBeNull();
  });

  it('resumes after its checkpoint and destroys keys of later deletions', async () => {
    const events = new InMemoryEventStore();
    const keys = new InMemoryKeyStore();
    await record(events, A, 'OrganizationDeleted');
    const first = new KeyShredder(events, keys);
    const once = destroyed(first, 1);
    await first.start();
    await once;
    await first.stop();
    const checkpoint = await keys.checkpoint();

    await keys.keyFor(B);
    const second = new KeyShredder(events, keys);
    const later = destroyed(second, 1);
    await second.start();
    await record(events, B, 'OrganizationDeleted');
    await later;
    await second.stop();

    expect((await keys.keysOf([B])).get(B)).toBeNull();
    expect(await keys.checkpoint()).not.toBe(checkpoint);
  });
});
