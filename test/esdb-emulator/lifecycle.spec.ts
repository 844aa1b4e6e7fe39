import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { CancelledError, UnavailableError } from '@eventstore/db-client';

import { waitFor } from '../support/wait-for.js';
import {
  collect,
  connect,
  testEvents,
  uniqueStream,
} from './conformance-support.js';
import type { Connected } from './conformance-support.js';

describe('EventStoreDB wire emulator: lifecycle (wire emulator conformance)', () => {
  let connected: Connected;

  beforeAll(async () => {
    connected = await connect({ statsEvery: 3 });
  });

  afterAll(async () => {
    await connected.disconnect();
  });

  it('interleaves a $statsCollected system event after every few client appends', async () => {
    const prefix = uniqueStream('stats');
    for (let round = 0; round < 3; round++) {
      await connected.client.appendToStream(
        `${prefix}-${round}`,
        testEvents(1),
      );
    }

    const tail = await collect(
      connected.client.readAll({
        direction: 'backwards',
        fromPosition: 'end',
        maxCount: 2,
      }),
    );

    expect(tail.map(({ event }) => event?.type)).toEqual([
      '$statsCollected',
      'TestEvent',
    ]);
  });

  it('stops like a crashed node and starts again on the same port with its data', async () => {
    const stream = uniqueStream();
    await connected.client.appendToStream(stream, testEvents(2));
    const errors: Error[] = [];
    const subscription = connected.client.subscribeToAll({
      fromPosition: 'end',
    });
    subscription.on('error', (error) => errors.push(error));
    subscription.on('data', () => undefined);
    await waitFor(() => connected.emulator.openReads === 1);
    const port = connected.emulator.port;

    await connected.emulator.stop();
    await waitFor(() => errors.length > 0);
    await expect(
      collect(connected.client.readStream(stream)),
    ).rejects.toBeInstanceOf(UnavailableError);
    await connected.emulator.start();
    const read = await collect(connected.client.readStream(stream));

    // The client sees the reset streams as CANCELLED, new calls as UNAVAILABLE.
    expect(errors[0]).toBeInstanceOf(CancelledError);
    expect(connected.emulator.port).toBe(port);
    expect(read).toHaveLength(2);
  });
});
