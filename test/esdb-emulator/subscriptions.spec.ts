import {
  afterAll,
  afterEach,
  beforeAll,
  describe,
  expect,
  it,
} from '@jest/globals';

import {
  CancelledError,
  StreamDeletedError,
  UnavailableError,
  eventTypeFilter,
  excludeSystemEvents,
  streamNameFilter,
} from '@eventstore/db-client';
import type {
  Filter,
  Position,
  ReadableSubscription,
  SubscribeToAllOptions,
} from '@eventstore/db-client';

import { waitFor } from '../support/wait-for.js';
import {
  collect,
  connect,
  testEvents,
  uniqueStream,
} from './conformance-support.js';
import type { Connected } from './conformance-support.js';

type Entry =
  | {
      kind: 'event';
      streamId: string;
      type: string;
      revision: bigint;
      position?: Position;
    }
  | { kind: 'checkpoint'; position: Position }
  | { kind: 'caughtUp' };

interface Watched {
  readonly entries: Entry[];
  readonly errors: Error[];
  readonly subscription: ReadableSubscription<unknown>;
  events(): Extract<Entry, { kind: 'event' }>[];
  caughtUp(): boolean;
}

type FilterOptions = Parameters<typeof streamNameFilter>[0];

describe('EventStoreDB wire emulator: subscriptions (wire emulator conformance)', () => {
  let connected: Connected;
  const open: Watched[] = [];

  beforeAll(async () => {
    connected = await connect();
  });

  afterEach(async () => {
    await Promise.all(open.splice(0).map((w) => w.subscription.unsubscribe()));
  });

  afterAll(async () => {
    await connected.disconnect();
  });

  // With a 'data' listener and a fast consumer, the client's subscription
  // emits events, checkpoints and caught-up in the order they came.
  function watch(
    subscription: ReadableSubscription<unknown>,
    entries: Entry[] = [],
  ): Watched {
    const errors: Error[] = [];
    subscription.on('data', (resolved: unknown) => {
      const { event } = resolved as {
        event?: {
          streamId: string;
          type: string;
          revision: bigint;
          position?: Position;
        };
      };
      if (event) entries.push({ kind: 'event', ...pick(event) });
    });
    subscription.on('caughtUp', () => entries.push({ kind: 'caughtUp' }));
    subscription.on('error', (error: Error) => errors.push(error));
    const watched: Watched = {
      entries,
      errors,
      subscription,
      events: () => entries.filter((e) => e.kind === 'event'),
      caughtUp: () => entries.some((e) => e.kind === 'caughtUp'),
    };
    open.push(watched);
    return watched;
  }

  function subscribeToAll(
    options: Omit<SubscribeToAllOptions, 'filter'> & {
      filter?: (reached: FilterOptions['checkpointReached']) => Filter;
    } = {},
  ): Watched {
    const entries: Entry[] = [];
    const { filter, ...rest } = options;
    const subscription = connected.client.subscribeToAll({
      ...rest,
      filter: filter?.((_, position) => {
        entries.push({ kind: 'checkpoint', position });
        return Promise.resolve();
      }),
    });
    return watch(subscription, entries);
  }

  const caughtUp = (watched: Watched) =>
    waitFor(() => watched.caughtUp(), { description: 'caught up' });

  it('confirms, delivers catch-up events, a checkpoint, caught-up, then live events', async () => {
    const prefix = uniqueStream('sub');
    const stream = `${prefix}-a`;
    await connected.client.appendToStream(stream, testEvents(3));

    const watched = subscribeToAll({
      filter: (checkpointReached) =>
        streamNameFilter({ prefixes: [prefix], checkpointReached }),
    });
    await caughtUp(watched);
    await connected.client.appendToStream(stream, testEvents(2));
    await waitFor(() => watched.events().length === 5);

    const kinds = watched.entries
      .map((entry) => entry.kind)
      .filter(
        (kind, index, all) =>
          kind !== 'checkpoint' || all[index + 1] === 'caughtUp',
      );
    expect(kinds).toEqual([
      'event',
      'event',
      'event',
      'checkpoint',
      'caughtUp',
      'event',
      'event',
    ]);
    expect(watched.events().map((e) => e.revision)).toEqual([
      0n,
      1n,
      2n,
      3n,
      4n,
    ]);
  });

  it('starts after the given position, exclusive', async () => {
    const prefix = uniqueStream('sub');
    await connected.client.appendToStream(`${prefix}-a`, testEvents(4));
    const [, second] = await collect(
      connected.client.readStream(`${prefix}-a`),
    );

    const watched = subscribeToAll({
      fromPosition: second?.event?.position,
      filter: (checkpointReached) =>
        streamNameFilter({ prefixes: [prefix], checkpointReached }),
    });
    await caughtUp(watched);

    expect(watched.events().map((e) => e.revision)).toEqual([2n, 3n]);
  });

  it('starts at the end, delivering live events only', async () => {
    const prefix = uniqueStream('sub');
    await connected.client.appendToStream(`${prefix}-a`, testEvents(2));

    const watched = subscribeToAll({
      fromPosition: 'end',
      filter: (checkpointReached) =>
        streamNameFilter({ prefixes: [prefix], checkpointReached }),
    });
    await caughtUp(watched);
    await connected.client.appendToStream(`${prefix}-a`, testEvents(1));
    await waitFor(() => watched.events().length === 1);

    expect(watched.events().map((e) => e.revision)).toEqual([2n]);
  });

  describe('filters', () => {
    const marker = uniqueStream('filtered').replaceAll('-', '');
    const streams = { orders: `${marker}orders-1`, users: `${marker}users-1` };

    beforeAll(async () => {
      await connected.client.appendToStream(streams.orders, [
        ...testEvents(2, `${marker}OrderPlaced`),
        ...testEvents(1, `${marker}OrderShipped`),
      ]);
      await connected.client.appendToStream(
        streams.users,
        testEvents(2, `${marker}UserJoined`),
      );
      connected.emulator.writeSystemEvent();
    });

    const delivered = async (
      filter: (reached: FilterOptions['checkpointReached']) => Filter,
    ) => {
      const watched = subscribeToAll({ filter });
      await caughtUp(watched);
      return watched.events();
    };

    it.each([
      [
        'stream prefixes',
        () => streamNameFilter({ prefixes: [`${marker}orders`] }),
        3,
      ],
      [
        'a stream regex',
        () => streamNameFilter({ regex: `^${marker}(orders|users)-` }),
        5,
      ],
      [
        'event type prefixes',
        () => eventTypeFilter({ prefixes: [`${marker}Order`] }),
        3,
      ],
      [
        'an event type regex',
        () => eventTypeFilter({ regex: `^${marker}.*(Shipped|Joined)$` }),
        3,
      ],
    ])('by %s', async (_, filter, count) => {
      const events = await delivered(filter);

      const mine = events.filter((e) => e.streamId.startsWith(marker));
      expect(mine).toHaveLength(count);
      expect(events).toEqual(mine);
    });

    it('excluding system events, the metadata and tombstone records among them', async () => {
      const deleted = uniqueStream('filtered');
      await connected.client.appendToStream(deleted, testEvents(1));
      await connected.client.setStreamMetadata(deleted, { maxCount: 5 });
      await connected.client.tombstoneStream(deleted);

      const events = await delivered(() => excludeSystemEvents());
      const everything = await collect(connected.client.readAll());

      expect(events.some((e) => e.type.startsWith('$'))).toBe(false);
      const systemTypes = everything.filter(({ event }) =>
        event?.type.startsWith('$'),
      );
      expect(systemTypes.map(({ event }) => event?.type)).toEqual(
        expect.arrayContaining([
          '$metadata',
          '$streamDeleted',
          '$statsCollected',
        ]),
      );
      expect(events).toHaveLength(everything.length - systemTypes.length);
    });
  });

  it('sends a checkpoint every window × multiplier events scanned, matching or not, carrying prepare 0', async () => {
    const everything = await collect(connected.client.readAll());
    const positions = everything.map(({ event }) => event?.position);

    const watched = subscribeToAll({
      filter: (checkpointReached) =>
        streamNameFilter({
          prefixes: [uniqueStream('nothing-matches')],
          maxSearchWindow: 5,
          checkpointInterval: 2,
          checkpointReached,
        }),
    });
    await caughtUp(watched);

    const checkpoints = watched.entries.flatMap((e) =>
      e.kind === 'checkpoint' ? [e.position] : [],
    );
    // Every tenth record scanned, then the end of the log when caught up.
    const scanned = Array.from(
      { length: Math.floor((everything.length - 1) / 10) },
      (_, index) => positions[(index + 1) * 10],
    );
    expect(checkpoints.slice(0, scanned.length)).toEqual(
      scanned.map((position) => ({ commit: position?.commit, prepare: 0n })),
    );
    expect(checkpoints).toHaveLength(scanned.length + 1);
    expect(checkpoints.at(-1)?.commit).toBeGreaterThan(
      positions.at(-1)?.commit ?? 0n,
    );
    expect(watched.events()).toEqual([]);
  });

  describe('to a stream', () => {
    const subscribeToStream = (
      stream: string,
      fromRevision?: bigint | 'start' | 'end',
    ) => watch(connected.client.subscribeToStream(stream, { fromRevision }));

    it('delivers from the start, says caught up, then delivers live', async () => {
      const stream = uniqueStream();
      await connected.client.appendToStream(stream, testEvents(2));

      const watched = subscribeToStream(stream);
      await caughtUp(watched);
      await connected.client.appendToStream(stream, testEvents(1));
      await waitFor(() => watched.events().length === 3);

      expect(watched.entries.map((e) => e.kind)).toEqual([
        'event',
        'event',
        'caughtUp',
        'event',
      ]);
    });

    it('starts after a revision, exclusive', async () => {
      const stream = uniqueStream();
      await connected.client.appendToStream(stream, testEvents(4));

      const watched = subscribeToStream(stream, 1n);
      await caughtUp(watched);

      expect(watched.events().map((e) => e.revision)).toEqual([2n, 3n]);
    });

    it('waits for a stream that does not exist yet', async () => {
      const stream = uniqueStream();

      const watched = subscribeToStream(stream);
      await caughtUp(watched);
      await connected.client.appendToStream(stream, testEvents(1));
      await waitFor(() => watched.events().length === 1);

      expect(watched.errors).toEqual([]);
    });

    it('ends with StreamDeletedError when the stream is tombstoned', async () => {
      const stream = uniqueStream();
      await connected.client.appendToStream(stream, testEvents(1));
      const watched = subscribeToStream(stream);
      await caughtUp(watched);

      await connected.client.tombstoneStream(stream);
      await waitFor(() => watched.errors.length > 0);

      expect(watched.errors[0]).toBeInstanceOf(StreamDeletedError);
    });
  });

  it.each([
    ['unavailable' as const, UnavailableError],
    ['cancelled' as const, CancelledError],
  ])(
    'drops its subscriptions on demand, ending them as %s',
    async (reason, errorType) => {
      const watched = subscribeToAll({ fromPosition: 'end' });
      await caughtUp(watched);

      const dropped = connected.emulator.dropSubscriptions(reason);
      await waitFor(() => watched.errors.length > 0);

      expect(dropped).toBeGreaterThanOrEqual(1);
      expect(watched.errors[0]).toBeInstanceOf(errorType);
    },
  );
});

function pick(event: {
  streamId: string;
  type: string;
  revision: bigint;
  position?: Position;
}) {
  const { streamId, type, revision, position } = event;
  return position === undefined
    ? { streamId, type, revision }
    : { streamId, type, revision, position };
}
