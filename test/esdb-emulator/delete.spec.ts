import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import {
  StreamDeletedError,
  StreamNotFoundError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';

import {
  collect,
  connect,
  testEvents,
  uniqueStream,
} from './conformance-support.js';
import type { Connected } from './conformance-support.js';

describe('EventStoreDB wire emulator: delete and tombstone (wire emulator conformance)', () => {
  let connected: Connected;

  beforeAll(async () => {
    connected = await connect();
  });

  afterAll(async () => {
    await connected.disconnect();
  });

  const streamWith = async (count: number): Promise<string> => {
    const stream = uniqueStream();
    await connected.client.appendToStream(stream, testEvents(count));
    return stream;
  };

  describe('soft delete', () => {
    it('makes reads say not found, leaves appends allowed, and revisions continue', async () => {
      const stream = await streamWith(3);

      const deleted = await connected.client.deleteStream(stream, {
        expectedRevision: 2n,
      });
      await expect(
        collect(connected.client.readStream(stream)),
      ).rejects.toBeInstanceOf(StreamNotFoundError);
      const appended = await connected.client.appendToStream(
        stream,
        testEvents(1),
      );

      expect(deleted.position?.commit).toBeGreaterThan(0n);
      expect(appended.nextExpectedRevision).toBe(3n);
      const read = await collect(connected.client.readStream(stream));
      expect(read.map(({ event }) => event?.revision)).toEqual([3n]);
    });

    it("records the delete as $tb metadata in the stream's metastream", async () => {
      const stream = await streamWith(1);

      await connected.client.deleteStream(stream);

      const [metadata] = await collect(
        connected.client.readStream(`$$${stream}`, {
          direction: 'backwards',
          fromRevision: 'end',
          maxCount: 1,
        }),
      );
      expect(metadata?.event?.type).toBe('$metadata');
      // 2^63 - 1 on the wire; JSON numbers that large arrive rounded.
      expect(metadata?.event?.data).toEqual({ $tb: 2 ** 63 });
    });

    it('refuses a wrong expected revision with FAILED_PRECONDITION trailers', async () => {
      const stream = await streamWith(4);

      const attempt = connected.client.deleteStream(stream, {
        expectedRevision: 2n,
      });

      await expect(attempt).rejects.toBeInstanceOf(WrongExpectedVersionError);
      await expect(attempt).rejects.toMatchObject({
        code: 9,
        streamName: stream,
        expectedVersion: 2n,
        actualVersion: 3n,
      });
    });

    it('refuses no_stream on a stream that never existed, expected -1 actual -1', async () => {
      const stream = uniqueStream();

      const attempt = connected.client.deleteStream(stream, {
        expectedRevision: 'no_stream',
      });

      await expect(attempt).rejects.toMatchObject({
        type: 'wrong-expected-version',
        streamName: stream,
        expectedVersion: -1n,
        actualVersion: -1n,
      });
    });

    it('refuses to delete a tombstoned stream with stream-deleted', async () => {
      const stream = await streamWith(1);
      await connected.client.tombstoneStream(stream);

      const attempt = connected.client.deleteStream(stream);

      await expect(attempt).rejects.toBeInstanceOf(StreamDeletedError);
    });
  });

  describe('tombstone', () => {
    it('makes reads and appends fail with stream-deleted for good', async () => {
      const stream = await streamWith(2);

      await connected.client.tombstoneStream(stream, { expectedRevision: 1n });

      await expect(
        collect(connected.client.readStream(stream)),
      ).rejects.toBeInstanceOf(StreamDeletedError);
      await expect(
        connected.client.appendToStream(stream, testEvents(1)),
      ).rejects.toBeInstanceOf(StreamDeletedError);
      await expect(
        connected.client.tombstoneStream(stream),
      ).rejects.toBeInstanceOf(StreamDeletedError);
    });

    it('stores a $streamDeleted record in $all, in the tombstoned stream', async () => {
      const stream = await streamWith(1);

      const { position } = await connected.client.tombstoneStream(stream);

      const [record] = await collect(
        connected.client.readAll({
          fromPosition: position ?? 'start',
          maxCount: 1,
        }),
      );
      expect(record?.event).toMatchObject({
        streamId: stream,
        type: '$streamDeleted',
        revision: 2n ** 63n - 1n,
      });
    });

    it('refuses a wrong expected revision with FAILED_PRECONDITION trailers', async () => {
      const stream = await streamWith(3);

      const attempt = connected.client.tombstoneStream(stream, {
        expectedRevision: 'no_stream',
      });

      await expect(attempt).rejects.toMatchObject({
        type: 'wrong-expected-version',
        code: 9,
        streamName: stream,
        expectedVersion: -1n,
        actualVersion: 2n,
      });
    });

    it('reports stream_exists as -4 and a missing stream as -1 in the trailers', async () => {
      const stream = uniqueStream();

      // The client's code sends stream_exists here; its 6.2.1 types omit it.
      const options = { expectedRevision: 'stream_exists' } as unknown as {
        expectedRevision: bigint;
      };

      const attempt = connected.client.tombstoneStream(stream, options);

      await expect(attempt).rejects.toMatchObject({
        expectedVersion: -4n,
        actualVersion: -1n,
      });
    });

    it('tombstones a stream that never existed with no_stream', async () => {
      const stream = uniqueStream();

      await connected.client.tombstoneStream(stream, {
        expectedRevision: 'no_stream',
      });

      await expect(
        collect(connected.client.readStream(stream)),
      ).rejects.toBeInstanceOf(StreamDeletedError);
    });
  });
});
