import { describe, expect, it } from '@jest/globals';

import type { NewEvent, RecordedEvent } from '../event-store.port.js';
import { InMemoryEventStore } from '../in-memory/in-memory-event-store.js';
import { verifyChain } from '../integrity/hash-chain.js';
import { InMemorySnapshotStore } from '../snapshots/in-memory-snapshot-store.js';
import {
  ErasingEventStore,
  ErasingSnapshotStore,
} from './erasing-event-store.js';
import { InMemoryKeyStore } from './in-memory-key-store.js';
import { PersonalDataError } from './key-store.port.js';
import { ENCRYPTED_KEY, PersonalDataCipher } from './personal-data-cipher.js';

const ERASED = '[erased]';

function dataText(events: readonly RecordedEvent[]): string {
  return JSON.stringify(events.map((event) => event.data));
}
const STREAM = 'org-1';

const policy = {
  subjectOf: (streamId: string) =>
    streamId.startsWith('org-') ? streamId.slice(4) : null,
  personalFieldsOf: (type: string) =>
    type === 'Created'
      ? ['profile.email', 'billing.email']
      : type === 'Renamed'
        ? []
        : ['email'],
  erased: ERASED,
};

function setUp() {
  const inner = new InMemoryEventStore();
  const keys = new InMemoryKeyStore();
  const cipher = new PersonalDataCipher(keys, policy);
  const snapshots = new InMemorySnapshotStore();
  return {
    inner,
    keys,
    snapshots,
    store: new ErasingEventStore(inner, cipher),
    snapshotStore: new ErasingSnapshotStore(snapshots, cipher),
  };
}

const created: NewEvent = {
  id: 'e-1',
  type: 'Created',
  schemaVersion: 1,
  data: {
    name: 'acme',
    profile: { email: 'ops@acme.example', shown: true },
    billing: { email: null },
  },
  metadata: {},
};
const emailChanged: NewEvent = {
  id: 'e-2',
  type: 'EmailChanged',
  schemaVersion: 1,
  data: { email: 'noc@acme.example' },
  metadata: {},
};

describe('the erasing event store', () => {
  it('stores personal values encrypted and reads them back decrypted', async () => {
    const { inner, store } = setUp();
    await store.append(STREAM, [created, emailChanged], 'no_stream');

    const stored = await inner.readStream(STREAM, { asStored: true });
    expect(dataText(stored)).not.toContain('@acme.example');
    expect(stored[0]?.data).toMatchObject({
      name: 'acme',
      profile: { email: { [ENCRYPTED_KEY]: expect.any(String) }, shown: true },
      billing: { email: null },
    });
    const read = await store.readStream(STREAM);
    expect(read.map((event) => event.data)).toEqual([
      created.data,
      emailChanged.data,
    ]);
    expect((await store.readAll()).map((event) => event.data)).toEqual([
      created.data,
      emailChanged.data,
    ]);
  });

  it('reads as stored what the chain was computed over, and it verifies', async () => {
    const { store } = setUp();
    await store.append(STREAM, [created, emailChanged], 'no_stream');
    const asStored = await store.readStream(STREAM, { asStored: true });
    expect(dataText(asStored)).not.toContain('@acme.example');
    expect(verifyChain(asStored)).toMatchObject({ valid: true, count: 2 });
  });

  it('shows every personal value as erased once the key is destroyed, and the chain still verifies', async () => {
    const { keys, store } = setUp();
    await store.append(STREAM, [created, emailChanged], 'no_stream');
    const before = await store.readStream(STREAM, { asStored: true });
    await keys.destroy('1');

    const read = await store.readStream(STREAM);
    expect(read[0]?.data).toEqual({
      name: 'acme',
      profile: { email: ERASED, shown: true },
      billing: { email: null },
    });
    expect(read[1]?.data).toEqual({ email: ERASED });
    expect((await store.readAll())[1]?.data).toEqual({ email: ERASED });

    const delivered: RecordedEvent[] = [];
    let both: () => void = () => undefined;
    const twoDelivered = new Promise<void>((resolve) => {
      both = resolve;
    });
    const subscription = store.subscribeToAll(
      {},
      {
        onEvent: (event) => {
          delivered.push(event);
          if (delivered.length === 2) both();
          return Promise.resolve();
        },
      },
    );
    await twoDelivered;
    await subscription.stop();
    expect(delivered.map((event) => event.data)).toEqual([
      read[0]?.data,
      read[1]?.data,
    ]);

    const after = await store.readStream(STREAM, { asStored: true });
    expect(after).toEqual(before);
    expect(verifyChain(after)).toMatchObject({ valid: true });
  });

  it('refuses to store personal data for a subject whose key is destroyed', async () => {
    const { keys, store } = setUp();
    await keys.destroy('1');
    await expect(
      store.append(STREAM, [emailChanged], 'any'),
    ).rejects.toBeInstanceOf(PersonalDataError);
    await expect(
      store.append(
        STREAM,
        [{ ...emailChanged, id: 'e-3', type: 'Renamed', data: { x: 1 } }],
        'any',
      ),
    ).resolves.toMatchObject({ nextRevision: 0 });
  });

  it('refuses personal data in a stream that belongs to no subject', async () => {
    const { store } = setUp();
    await expect(
      store.append('name-acme', [emailChanged], 'no_stream'),
    ).rejects.toBeInstanceOf(PersonalDataError);
  });

  it('fails loudly when an encrypted value is moved to another event', async () => {
    const { inner, keys } = setUp();
    const cipher = new PersonalDataCipher(keys, policy);
    const sealed = await cipher.seal(STREAM, emailChanged);
    await inner.append(
      STREAM,
      [{ ...emailChanged, id: 'e-other', data: sealed }],
      'no_stream',
    );
    const store = new ErasingEventStore(inner, cipher);
    await expect(store.readStream(STREAM)).rejects.toBeInstanceOf(
      PersonalDataError,
    );
  });
});

describe('the erasing snapshot store', () => {
  const snapshot = {
    revision: 4,
    stateVersion: 1,
    state: { email: 'ops@acme.example', n: 1 },
  };

  it('keeps the state encrypted and loads it decrypted', async () => {
    const { snapshots, snapshotStore } = setUp();
    await snapshotStore.save(STREAM, snapshot);
    expect(JSON.stringify(await snapshots.load(STREAM))).not.toContain(
      '@acme.example',
    );
    expect(await snapshotStore.load(STREAM)).toEqual(snapshot);
  });

  it('reads no snapshot once the key is destroyed, and saves none after', async () => {
    const { keys, snapshots, snapshotStore } = setUp();
    await snapshotStore.save(STREAM, snapshot);
    await keys.destroy('1');
    expect(await snapshotStore.load(STREAM)).toBeNull();
    await snapshotStore.save(STREAM, { ...snapshot, revision: 9 });
    expect((await snapshots.load(STREAM))?.revision).toBe(4);
  });
});
