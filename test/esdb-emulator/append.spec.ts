import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import {
  MaxAppendSizeExceededError,
  StreamDeletedError,
  WrongExpectedVersionError,
  jsonEvent,
} from '@eventstore/db-client';
import type { AppendToStreamOptions } from '@eventstore/db-client';

import {
  collect,
  connect,
  testEvents,
  uniqueStream,
} from './conformance-support.js';
import type { Connected } from './conformance-support.js';

// Per-call credentials make the client append through Streams.Append
// instead of BatchAppend; insecure mode ignores the credentials themselves.
const PATHS = [
  ['BatchAppend', {}],
  ['Append', { credentials: { username: 'admin', password: 'changeit' } }],
] as const satisfies readonly (readonly [string, AppendToStreamOptions])[];

describe('EventStoreDB wire emulator: appends (wire emulator conformance)', () => {
  let connected: Connected;

  beforeAll(async () => {
    connected = await connect({ maxAppendSize: 64 * 1024 });
  });

  afterAll(async () => {
    await connected.disconnect();
  });

  const append = (
    stream: string,
    count: number,
    options: AppendToStreamOptions,
  ) => connected.client.appendToStream(stream, testEvents(count), options);

  it('advertises BatchAppend, so that the client appends through one long-lived call', async () => {
    await append(uniqueStream(), 2, { expectedRevision: 'no_stream' });
    await append(uniqueStream(), 1, { expectedRevision: 'any' });

    expect(connected.emulator.callsTo('getSupportedMethods')).toBe(1);
    expect(connected.emulator.callsTo('batchAppend')).toBe(1);
    expect(connected.emulator.callsTo('append')).toBe(0);
  });

  describe.each(PATHS)('through %s', (path, base) => {
    it('creates a stream and reports its revision and position', async () => {
      const stream = uniqueStream();

      const result = await append(stream, 3, {
        ...base,
        expectedRevision: 'no_stream',
      });

      const [last] = await collect(
        connected.client.readStream(stream, {
          direction: 'backwards',
          fromRevision: 'end',
          maxCount: 1,
        }),
      );
      expect(result).toEqual({
        success: true,
        nextExpectedRevision: 2n,
        position: last?.event?.position,
      });
    });

    it('appends at the exact revision, any, and stream_exists', async () => {
      const stream = uniqueStream();
      await append(stream, 1, { ...base, expectedRevision: 'no_stream' });

      const exact = await append(stream, 1, { ...base, expectedRevision: 0n });
      const any = await append(stream, 1, { ...base, expectedRevision: 'any' });
      const exists = await append(stream, 1, {
        ...base,
        expectedRevision: 'stream_exists',
      });

      expect(
        [exact, any, exists].map((result) => result.nextExpectedRevision),
      ).toEqual([1n, 2n, 3n]);
    });

    it.each([
      ['a stale revision', 0n, 1n],
      ['no_stream on an existing stream', 'no_stream' as const, 1n],
    ])(
      'refuses %s with WrongExpectedVersionError',
      async (_, expected, actual) => {
        const stream = uniqueStream();
        await append(stream, 2, { ...base, expectedRevision: 'no_stream' });

        const attempt = append(stream, 1, {
          ...base,
          expectedRevision: expected,
        });

        await expect(attempt).rejects.toBeInstanceOf(WrongExpectedVersionError);
        await expect(attempt).rejects.toMatchObject({
          streamName: stream,
          expectedVersion: expected,
          actualVersion: actual,
        });
      },
    );

    it.each([
      ['an exact revision', 3n],
      ['stream_exists', 'stream_exists' as const],
    ])(
      'refuses %s on a missing stream, current no_stream',
      async (_, expected) => {
        const stream = uniqueStream();

        const attempt = append(stream, 1, {
          ...base,
          expectedRevision: expected,
        });

        await expect(attempt).rejects.toMatchObject({
          type: 'wrong-expected-version',
          streamName: stream,
          actualVersion: 'no_stream',
        });
      },
    );

    it.each([['no_stream' as const], ['any' as const], [0n]])(
      'stores a re-append of the same event ids once (%s)',
      async (expected) => {
        const stream = uniqueStream();
        if (expected === 0n) {
          await append(stream, 1, { ...base, expectedRevision: 'no_stream' });
        }
        const events = testEvents(3);
        const first = await connected.client.appendToStream(stream, events, {
          ...base,
          expectedRevision: expected,
        });
        await append(stream, 1, { ...base, expectedRevision: 'any' });

        const again = await connected.client.appendToStream(stream, events, {
          ...base,
          expectedRevision: expected,
        });

        expect(again).toEqual(first);
        const stored = await collect(connected.client.readStream(stream));
        expect(stored).toHaveLength(expected === 0n ? 5 : 4);
      },
    );

    it('refuses a re-append whose ids are stored only in part', async () => {
      const stream = uniqueStream();
      const events = testEvents(2);
      await connected.client.appendToStream(stream, events, {
        ...base,
        expectedRevision: 'no_stream',
      });

      const attempt = connected.client.appendToStream(
        stream,
        [events[0], ...testEvents(1)].filter((event) => event !== undefined),
        { ...base, expectedRevision: 'no_stream' },
      );

      await expect(attempt).rejects.toBeInstanceOf(WrongExpectedVersionError);
    });

    it('refuses an append over the maximum size', async () => {
      const big = jsonEvent({
        type: 'TooBig',
        data: { text: 'x'.repeat(70 * 1024) },
      });

      const attempt = connected.client.appendToStream(
        uniqueStream(),
        big,
        base,
      );

      await expect(attempt).rejects.toBeInstanceOf(MaxAppendSizeExceededError);
      await expect(attempt).rejects.toMatchObject({ maxAppendSize: 64 * 1024 });
    });

    it('refuses appends to a tombstoned stream', async () => {
      const stream = uniqueStream();
      await append(stream, 1, { ...base, expectedRevision: 'no_stream' });
      await connected.client.tombstoneStream(stream);

      const attempt = append(stream, 1, base);

      await expect(attempt).rejects.toBeInstanceOf(StreamDeletedError);
      await expect(attempt).rejects.toMatchObject({ streamName: stream });
    });

    it(`counts its calls as ${path}`, () => {
      const method = path === 'Append' ? 'append' : 'batchAppend';
      expect(connected.emulator.callsTo(method)).toBeGreaterThan(0);
    });
  });
});
