import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import {
  StreamDeletedError,
  StreamNotFoundError,
  jsonEvent,
} from '@eventstore/db-client';
import type { AllStreamResolvedEvent, Position } from '@eventstore/db-client';

import {
  collect,
  connect,
  testEvents,
  uniqueStream,
} from './conformance-support.js';
import type { Connected } from './conformance-support.js';

function revisions(events: readonly { event?: { revision: bigint } }[]) {
  return events.map(({ event }) => event?.revision);
}

function positionOf(resolved: AllStreamResolvedEvent | undefined): Position {
  if (!resolved?.event) throw new Error('no event read');
  return resolved.event.position;
}

describe('EventStoreDB wire emulator: reads (wire emulator conformance)', () => {
  let connected: Connected;
  let tenEvents: string;

  beforeAll(async () => {
    connected = await connect();
    tenEvents = uniqueStream();
    await connected.client.appendToStream(tenEvents, testEvents(10));
  });

  afterAll(async () => {
    await connected.disconnect();
  });

  const readStream = (...args: Parameters<Connected['client']['readStream']>) =>
    collect(connected.client.readStream(...args));
  const readAll = (...args: Parameters<Connected['client']['readAll']>) =>
    collect(connected.client.readAll(...args));

  describe('a stream', () => {
    it('reads forwards from the start or from a revision, inclusive, up to a count', async () => {
      expect(revisions(await readStream(tenEvents))).toEqual(
        Array.from({ length: 10 }, (_, revision) => BigInt(revision)),
      );
      expect(
        revisions(
          await readStream(tenEvents, { fromRevision: 3n, maxCount: 4 }),
        ),
      ).toEqual([3n, 4n, 5n, 6n]);
    });

    it('reads backwards from the end or from a revision, inclusive', async () => {
      const fromEnd = await readStream(tenEvents, {
        direction: 'backwards',
        fromRevision: 'end',
        maxCount: 3,
      });
      const fromFive = await readStream(tenEvents, {
        direction: 'backwards',
        fromRevision: 5n,
      });

      expect(revisions(fromEnd)).toEqual([9n, 8n, 7n]);
      expect(revisions(fromFive)).toEqual([5n, 4n, 3n, 2n, 1n, 0n]);
    });

    it('returns JSON data and metadata parsed, type, id, created and position', async () => {
      const stream = uniqueStream();
      const event = jsonEvent({
        type: 'Shaped',
        data: { nested: { list: [1, 'two'] } },
        metadata: { correlationId: 'c-1' },
      });
      const before = Date.now();
      await connected.client.appendToStream(stream, event);

      const [read] = await readStream(stream);

      expect(read?.event).toMatchObject({
        streamId: stream,
        id: event.id,
        type: 'Shaped',
        revision: 0n,
        isJson: true,
        data: { nested: { list: [1, 'two'] } },
        metadata: { correlationId: 'c-1' },
      });
      expect(read?.event?.created.getTime()).toBeGreaterThanOrEqual(before);
      expect(read?.event?.position?.commit).toBe(
        read?.event?.position?.prepare,
      );
    });

    it('reports a missing stream in-band as StreamNotFoundError', async () => {
      const stream = uniqueStream();

      const attempt = readStream(stream);

      await expect(attempt).rejects.toBeInstanceOf(StreamNotFoundError);
      await expect(attempt).rejects.toMatchObject({ streamName: stream });
    });

    it('keeps only the newest $maxCount events readable', async () => {
      const stream = uniqueStream();
      await connected.client.setStreamMetadata(stream, { maxCount: 2 });
      await connected.client.appendToStream(stream, testEvents(5));

      const metadata = await connected.client.getStreamMetadata(stream);

      expect(metadata.metadata).toEqual({ maxCount: 2 });
      expect(revisions(await readStream(stream))).toEqual([3n, 4n]);
    });
  });

  describe('$all', () => {
    it('starts with system events: $-prefixed streams and types', async () => {
      const first = await readAll({ maxCount: 5 });

      expect(first).toHaveLength(5);
      for (const { event } of first) {
        expect(event?.streamId.startsWith('$')).toBe(true);
        expect(event?.type.startsWith('$')).toBe(true);
      }
    });

    it('gives every event a growing position that is neither contiguous nor a revision', async () => {
      const all = await readAll();

      const commits = all.map((resolved) => positionOf(resolved).commit);
      commits.slice(1).forEach((commit, index) => {
        expect(commit - (commits[index] ?? 0n)).toBeGreaterThan(1n);
      });
      all.forEach((resolved) => {
        expect(resolved.commitPosition).toBe(positionOf(resolved).commit);
      });
    });

    it('reads forwards from a position, inclusive, up to a count', async () => {
      const mine = (await readAll()).filter(
        ({ event }) => event?.streamId === tenEvents,
      );
      const from = positionOf(mine[4]);

      const read = await readAll({ fromPosition: from, maxCount: 3 });

      expect(read.map(positionOf)).toEqual(mine.slice(4, 7).map(positionOf));
    });

    it('reads backwards from the end or from a position, inclusive', async () => {
      const forwards = await readAll();
      const middle = positionOf(forwards[8]);

      const fromEnd = await readAll({
        direction: 'backwards',
        fromPosition: 'end',
        maxCount: 2,
      });
      const fromMiddle = await readAll({
        direction: 'backwards',
        fromPosition: middle,
        maxCount: 3,
      });

      expect(fromEnd.map(positionOf)).toEqual(
        forwards.slice(-2).reverse().map(positionOf),
      );
      expect(fromMiddle.map(positionOf)).toEqual(
        forwards.slice(6, 9).reverse().map(positionOf),
      );
    });
  });

  describe('deleted streams', () => {
    it('reads a soft-deleted stream as not found, and $all keeps its events', async () => {
      const stream = uniqueStream();
      await connected.client.appendToStream(stream, testEvents(2));

      await connected.client.deleteStream(stream);

      await expect(readStream(stream)).rejects.toBeInstanceOf(
        StreamNotFoundError,
      );
      const inAll = (await readAll()).filter(
        ({ event }) => event?.streamId === stream,
      );
      expect(inAll).toHaveLength(2);
    });

    it('refuses to read a tombstoned stream with FAILED_PRECONDITION stream-deleted', async () => {
      const stream = uniqueStream();
      await connected.client.appendToStream(stream, testEvents(2));
      await connected.client.tombstoneStream(stream);

      const attempt = readStream(stream);

      await expect(attempt).rejects.toBeInstanceOf(StreamDeletedError);
      await expect(attempt).rejects.toMatchObject({
        streamName: stream,
        code: 9,
      });
    });
  });
});
