import {
  afterAll,
  afterEach,
  beforeAll,
  describe,
  expect,
  it,
} from '@jest/globals';
import { randomUUID } from 'node:crypto';

import {
  comparePositions,
  GENESIS_HASH,
  verifyChain,
  WrongExpectedRevisionError,
} from '@org/event-store';
import type {
  EventFilter,
  EventStore,
  NewEvent,
  Position,
  RecordedEvent,
  Subscription,
} from '@org/event-store';

import { waitFor } from '../support/wait-for.js';

/** A store under test and how to release it. */
export interface EventStoreUnderTest {
  readonly store: EventStore;
  teardown(): Promise<void>;
}

/** What a test subscription has seen so far. */
interface Collected {
  readonly events: RecordedEvent[];
  readonly errors: Error[];
  caughtUp: number;
  readonly subscription: Subscription;
}

/**
 * A prefix no other test uses, so that every test reads and subscribes to
 * its own streams only, whatever else the store holds.
 */
function uniqueCategory(): string {
  return `contract${randomUUID().replaceAll('-', '')}`;
}

function uniqueStream(category = uniqueCategory()): string {
  return `${category}-${randomUUID()}`;
}

function newEvent(type = 'ContractTested', index = 0): NewEvent {
  return {
    id: randomUUID(),
    type,
    schemaVersion: 1,
    data: { index, note: `event ${index}` },
    metadata: { correlationId: randomUUID() },
  };
}

function newEvents(count: number, type = 'ContractTested'): NewEvent[] {
  return Array.from({ length: count }, (_, index) => newEvent(type, index));
}

/** The element at `index`, which the test knows is there. */
function nth<T>(list: readonly T[], index: number): T {
  const element = list[index];
  if (element === undefined) throw new Error(`nothing at index ${index}`);
  return element;
}

function ids(events: readonly { readonly id: string }[]): string[] {
  return events.map(({ id }) => id);
}

function expectStrictlyIncreasing(positions: readonly Position[]): void {
  positions.slice(1).forEach((position, index) => {
    const previous = positions[index];
    if (!previous) throw new Error('positions out of step');
    expect(comparePositions(previous, position)).toBe(-1);
  });
}

/**
 * The behaviour every {@link EventStore} adapter must show. `setup` is
 * called once for the suite; tests share the store and keep apart through
 * unique stream ids, so the store may hold anything else as well.
 */
export function describeEventStoreContract(
  name: string,
  setup: () => Promise<EventStoreUnderTest>,
): void {
  describe(`${name} event store contract`, () => {
    let underTest: EventStoreUnderTest | undefined;
    const running: Subscription[] = [];

    const store = (): EventStore => {
      if (!underTest) throw new Error('the store under test is not set up');
      return underTest.store;
    };

    const collect = (options: {
      after?: Position;
      filter: EventFilter;
    }): Collected => {
      const events: RecordedEvent[] = [];
      const errors: Error[] = [];
      const collected = { events, errors, caughtUp: 0 };
      const subscription = store().subscribeToAll(options, {
        onEvent: (event) => {
          events.push(event);
          return Promise.resolve();
        },
        onCaughtUp: () => {
          collected.caughtUp += 1;
        },
        onError: (error) => errors.push(error),
      });
      running.push(subscription);
      return Object.assign(collected, { subscription });
    };

    const received = (collected: Collected, count: number): Promise<void> =>
      waitFor(() => collected.events.length >= count, {
        description: `${count} events delivered`,
      });

    beforeAll(async () => {
      underTest = await setup();
    });

    afterEach(async () => {
      await Promise.all(running.splice(0).map((sub) => sub.stop()));
    });

    afterAll(async () => {
      await underTest?.teardown();
    });

    describe('append', () => {
      it('creates a stream with no_stream and stores every field', async () => {
        const streamId = uniqueStream();
        const events = newEvents(3);

        const result = await store().append(streamId, events, 'no_stream');

        const stored = await store().readStream(streamId);
        expect(result.nextRevision).toBe(2);
        expect(stored.map((event) => event.revision)).toEqual([0, 1, 2]);
        expect(stored).toEqual(
          events.map((event) =>
            expect.objectContaining({
              ...event,
              streamId,
              metadata: {
                ...event.metadata,
                $prevHash: expect.stringMatching(/^[0-9a-f]{64}$/),
                $hash: expect.stringMatching(/^[0-9a-f]{64}$/),
              },
            }),
          ),
        );
        expect(stored.at(-1)?.position).toEqual(result.position);
        expect(Number.isNaN(Date.parse(stored[0]?.recordedAt ?? ''))).toBe(
          false,
        );
      });

      it('keeps the schema version each event was appended with', async () => {
        const streamId = uniqueStream();
        const events = [1, 3, 2].map((schemaVersion, index) => ({
          ...newEvent('ContractVersioned', index),
          schemaVersion,
        }));

        await store().append(streamId, events, 'no_stream');

        const stored = await store().readStream(streamId);
        expect(stored.map((event) => event.schemaVersion)).toEqual([1, 3, 2]);
      });

      it('appends at the exact current revision', async () => {
        const streamId = uniqueStream();
        await store().append(streamId, newEvents(2), 'no_stream');

        const result = await store().append(streamId, newEvents(1), 1);

        expect(result.nextRevision).toBe(2);
      });

      it('appends with any, to a missing and to an existing stream', async () => {
        const streamId = uniqueStream();

        const first = await store().append(streamId, newEvents(2), 'any');
        const second = await store().append(streamId, newEvents(1), 'any');

        expect([first.nextRevision, second.nextRevision]).toEqual([1, 2]);
      });

      it('refuses a stale revision and names the actual one', async () => {
        const streamId = uniqueStream();
        await store().append(streamId, newEvents(2), 'no_stream');

        const attempt = store().append(streamId, newEvents(1), 0);

        await expect(attempt).rejects.toBeInstanceOf(
          WrongExpectedRevisionError,
        );
        await expect(attempt).rejects.toMatchObject({
          streamId,
          expected: 0,
          actual: 1,
        });
      });

      it('refuses no_stream when the stream exists', async () => {
        const streamId = uniqueStream();
        await store().append(streamId, newEvents(1), 'no_stream');

        const attempt = store().append(streamId, newEvents(1), 'no_stream');

        await expect(attempt).rejects.toMatchObject({
          name: 'WrongExpectedRevisionError',
          actual: 0,
        });
      });

      it('refuses an exact revision on a missing stream, actual -1', async () => {
        const attempt = store().append(uniqueStream(), newEvents(1), 3);

        await expect(attempt).rejects.toMatchObject({
          name: 'WrongExpectedRevisionError',
          actual: -1,
        });
      });

      it.each([['no_stream' as const], ['any' as const]])(
        'stores a retried append once and repeats its result (%s)',
        async (expected) => {
          const streamId = uniqueStream();
          const events = newEvents(3);
          const first = await store().append(streamId, events, expected);

          const retried = await store().append(streamId, events, expected);

          expect(retried).toEqual(first);
          expect(ids(await store().readStream(streamId))).toEqual(ids(events));
        },
      );

      it('stores a retry at an exact revision once, after later appends', async () => {
        const streamId = uniqueStream();
        await store().append(streamId, newEvents(1), 'no_stream');
        const events = newEvents(2);
        const first = await store().append(streamId, events, 0);
        await store().append(streamId, newEvents(1), 2);

        const retried = await store().append(streamId, events, 0);

        expect(retried).toEqual(first);
        expect(await store().readStream(streamId)).toHaveLength(4);
      });

      it('stores none of the events of a refused append', async () => {
        const category = uniqueCategory();
        const streamId = uniqueStream(category);
        await store().append(streamId, newEvents(1), 'no_stream');
        const refused = newEvents(3);

        await expect(
          store().append(streamId, refused, 5),
        ).rejects.toBeInstanceOf(WrongExpectedRevisionError);

        expect(await store().readStream(streamId)).toHaveLength(1);
        const all = await store().readAll({
          filter: { streamPrefixes: [category] },
        });
        expect(ids(all)).not.toEqual(expect.arrayContaining([refused[0]?.id]));
      });

      it('stores 50 concurrent appends with any, revisions contiguous', async () => {
        const streamId = uniqueStream();
        const batches = Array.from({ length: 50 }, () => newEvents(1));

        const results = await Promise.all(
          batches.map((events) => store().append(streamId, events, 'any')),
        );

        const stored = await store().readStream(streamId);
        expect(stored.map((event) => event.revision)).toEqual(
          Array.from({ length: 50 }, (_, revision) => revision),
        );
        expect(new Set(ids(stored))).toEqual(new Set(ids(batches.flat())));
        const revisions = results.map((result) => result.nextRevision);
        expect(revisions.sort((a, b) => a - b)).toEqual(
          stored.map((event) => event.revision),
        );
      });
    });

    describe('hash chain', () => {
      it('links every event to the one before it, across appends', async () => {
        const streamId = uniqueStream();
        await store().append(streamId, newEvents(2), 'no_stream');
        await store().append(streamId, newEvents(1), 1);
        await store().append(streamId, newEvents(2), 'any');
        const retried = newEvents(1);
        await store().append(streamId, retried, 4);
        await store().append(streamId, retried, 4);

        const stored = await store().readStream(streamId, { asStored: true });

        expect(stored[0]?.metadata.$prevHash).toBe(GENESIS_HASH);
        expect(verifyChain(stored)).toEqual({
          valid: true,
          head: stored.at(-1)?.metadata.$hash,
          count: 6,
        });
      });

      it('keeps the chain whole under concurrent appends with any', async () => {
        const streamId = uniqueStream();

        await Promise.all(
          Array.from({ length: 10 }, () =>
            store().append(streamId, newEvents(2), 'any'),
          ),
        );

        const stored = await store().readStream(streamId, { asStored: true });
        expect(verifyChain(stored)).toMatchObject({ valid: true, count: 20 });
      });
    });

    describe('readStream', () => {
      const streamOfTen = async (): Promise<string> => {
        const streamId = uniqueStream();
        await store().append(streamId, newEvents(10), 'no_stream');
        return streamId;
      };

      const revisionsOf = (events: readonly RecordedEvent[]): number[] =>
        events.map((event) => event.revision);

      it('reads forwards from a revision, at most maxCount', async () => {
        const streamId = await streamOfTen();

        const events = await store().readStream(streamId, {
          fromRevision: 3,
          maxCount: 4,
        });

        expect(revisionsOf(events)).toEqual([3, 4, 5, 6]);
      });

      it('reads backwards from the end or from a revision', async () => {
        const streamId = await streamOfTen();

        const all = await store().readStream(streamId, {
          direction: 'backwards',
        });
        const some = await store().readStream(streamId, {
          direction: 'backwards',
          fromRevision: 5,
          maxCount: 3,
        });

        expect(revisionsOf(all)).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
        expect(revisionsOf(some)).toEqual([5, 4, 3]);
      });

      it('reads a missing stream as empty, both ways', async () => {
        const streamId = uniqueStream();

        expect(await store().readStream(streamId)).toEqual([]);
        expect(
          await store().readStream(streamId, { direction: 'backwards' }),
        ).toEqual([]);
      });
    });

    describe('readAll', () => {
      it('reads after a position, filtered by stream prefix and type', async () => {
        const category = uniqueCategory();
        const [first, second] = [
          uniqueStream(category),
          uniqueStream(category),
        ];
        const [alpha1, alpha2] = [newEvent('Alpha'), newEvent('Alpha')];
        const [beta1, beta2] = [newEvent('Beta'), newEvent('Beta')];
        await store().append(first, [alpha1, beta1], 'no_stream');
        await store().append(uniqueStream(), newEvents(2, 'Beta'), 'any');
        await store().append(second, [alpha2, beta2], 'no_stream');
        const filter = { streamPrefixes: [category] };

        const mine = await store().readAll({ filter });
        const betasOnly = await store().readAll({
          filter: { ...filter, eventTypes: ['Beta'] },
        });
        const afterFirst = await store().readAll({
          filter,
          after: nth(mine, 0).position,
          maxCount: 2,
        });

        expect(ids(mine)).toEqual(ids([alpha1, beta1, alpha2, beta2]));
        expect(ids(betasOnly)).toEqual(ids([beta1, beta2]));
        expect(ids(afterFirst)).toEqual(ids([beta1, alpha2]));
      });

      it('gives positions that grow strictly across streams', async () => {
        const category = uniqueCategory();
        const streams = [uniqueStream(category), uniqueStream(category)];
        const results = [];
        for (const round of [0, 1, 2]) {
          for (const streamId of streams) {
            const expected = round === 0 ? 'no_stream' : round * 2 - 1;
            results.push(
              await store().append(streamId, newEvents(2), expected),
            );
          }
        }

        const all = await store().readAll({
          filter: { streamPrefixes: [category] },
        });

        expect(all).toHaveLength(12);
        expectStrictlyIncreasing(all.map((event) => event.position));
        expectStrictlyIncreasing(results.map((result) => result.position));
      });
    });

    describe('subscribeToAll', () => {
      it('delivers from the start of the log', async () => {
        const category = uniqueCategory();
        const events = newEvents(4);
        await store().append(uniqueStream(category), events, 'no_stream');

        const collected = collect({ filter: { streamPrefixes: [category] } });
        await received(collected, 4);

        expect(ids(collected.events)).toEqual(ids(events));
      });

      it('starts after a checkpoint, which it does not deliver', async () => {
        const category = uniqueCategory();
        const streamId = uniqueStream(category);
        const events = newEvents(5);
        await store().append(streamId, events, 'no_stream');
        const checkpoint = nth(await store().readStream(streamId), 1);

        const collected = collect({
          after: checkpoint.position,
          filter: { streamPrefixes: [category] },
        });
        await received(collected, 3);

        expect(ids(collected.events)).toEqual(ids(events.slice(2)));
      });

      it('catches up, says so once, then delivers live', async () => {
        const category = uniqueCategory();
        const streamId = uniqueStream(category);
        const stored = newEvents(3);
        await store().append(streamId, stored, 'no_stream');

        const collected = collect({ filter: { streamPrefixes: [category] } });
        await waitFor(() => collected.caughtUp > 0);
        const deliveredWhenCaughtUp = ids(collected.events);
        const live = newEvents(2);
        await store().append(streamId, live, 2);
        await received(collected, 5);

        expect(deliveredWhenCaughtUp).toEqual(ids(stored));
        expect(ids(collected.events)).toEqual(ids([...stored, ...live]));
        expect(collected.caughtUp).toBe(1);
        expect(collected.errors).toEqual([]);
      });

      it('keeps log order under concurrent appends to many streams', async () => {
        const category = uniqueCategory();
        const filter = { streamPrefixes: [category] };
        const collected = collect({ filter });
        await waitFor(() => collected.caughtUp > 0);
        const streams = Array.from({ length: 20 }, () =>
          uniqueStream(category),
        );

        await Promise.all(
          streams.map(async (streamId) => {
            for (let batch = 0; batch < 3; batch++) {
              await store().append(streamId, newEvents(2), 'any');
            }
          }),
        );
        await received(collected, 120);

        const delivered = collected.events;
        expectStrictlyIncreasing(delivered.map((event) => event.position));
        expect(new Set(ids(delivered)).size).toBe(120);
        expect(ids(delivered)).toEqual(ids(await store().readAll({ filter })));
        for (const streamId of streams) {
          const revisions = delivered
            .filter((event) => event.streamId === streamId)
            .map((event) => event.revision);
          expect(revisions).toEqual([0, 1, 2, 3, 4, 5]);
        }
      });

      it('filters by event type alone, and by stream prefix and type together', async () => {
        const category = uniqueCategory();
        const type = `Typed${randomUUID().replaceAll('-', '')}`;
        const [mine, other] = [uniqueStream(category), uniqueStream()];
        await store().append(mine, [newEvent(type), newEvent()], 'no_stream');
        await store().append(other, [newEvent(type)], 'no_stream');

        const byType = collect({ filter: { eventTypes: [type] } });
        const both = collect({
          filter: { streamPrefixes: [category], eventTypes: [type] },
        });
        await waitFor(() => byType.caughtUp > 0 && both.caughtUp > 0);

        expect(byType.events.map((event) => event.streamId)).toEqual([
          mine,
          other,
        ]);
        expect(both.events.map((event) => event.streamId)).toEqual([mine]);
      });

      it('ends through onError when the handler rejects, delivering nothing after', async () => {
        const category = uniqueCategory();
        const streamId = uniqueStream(category);
        await store().append(streamId, newEvents(3), 'no_stream');
        const delivered: RecordedEvent[] = [];
        const errors: Error[] = [];
        running.push(
          store().subscribeToAll(
            { filter: { streamPrefixes: [category] } },
            {
              onEvent: (event) => {
                delivered.push(event);
                return Promise.reject(new Error('handler failed'));
              },
              onError: (error) => errors.push(error),
            },
          ),
        );
        await waitFor(() => errors.length > 0);

        await store().append(streamId, newEvents(1), 2);
        const control = collect({
          filter: { streamPrefixes: [category] },
        });
        await received(control, 4);

        expect(delivered).toHaveLength(1);
        expect(errors.map((error) => error.message)).toEqual([
          'handler failed',
        ]);
      });

      it('delivers nothing after stop()', async () => {
        const category = uniqueCategory();
        const streamId = uniqueStream(category);
        const filter = { streamPrefixes: [category] };
        const stopped = collect({ filter });
        await store().append(streamId, newEvents(1), 'no_stream');
        await received(stopped, 1);

        await stopped.subscription.stop();
        await store().append(streamId, newEvents(2), 0);
        const control = collect({
          filter,
          after: nth(stopped.events, 0).position,
        });
        await received(control, 2);

        expect(stopped.events).toHaveLength(1);
      });

      it('waits for a slow handler, delivering each event once, in order', async () => {
        const category = uniqueCategory();
        const streamId = uniqueStream(category);
        const events = newEvents(6);
        const delivered: RecordedEvent[] = [];
        const releases: (() => void)[] = [];
        let inFlight = 0;
        let mostInFlight = 0;
        running.push(
          store().subscribeToAll(
            { filter: { streamPrefixes: [category] } },
            {
              onEvent: async (event) => {
                inFlight += 1;
                mostInFlight = Math.max(mostInFlight, inFlight);
                await new Promise<void>((release) => releases.push(release));
                delivered.push(event);
                inFlight -= 1;
              },
            },
          ),
        );

        await store().append(streamId, events.slice(0, 2), 'no_stream');
        await waitFor(() => releases.length === 1);
        await store().append(streamId, events.slice(2, 4), 1);
        await store().append(streamId, events.slice(4), 3);
        for (let index = 0; index < events.length; index++) {
          await waitFor(() => releases.length === index + 1);
          expect(delivered).toHaveLength(index);
          releases[index]?.();
        }
        await waitFor(() => delivered.length === events.length);

        expect(ids(delivered)).toEqual(ids(events));
        expect(mostInFlight).toBe(1);
      });
    });
  });
}
