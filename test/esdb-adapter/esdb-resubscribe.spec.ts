import {
  afterAll,
  afterEach,
  beforeAll,
  describe,
  expect,
  it,
} from '@jest/globals';
import { randomUUID } from 'node:crypto';

import { comparePositions } from '@org/event-store';
import { EventStoreDbEventStore } from '@org/event-store/esdb';
import type {
  NewEvent,
  Position,
  RecordedEvent,
  Subscription,
} from '@org/event-store';

import { EsdbWireEmulator } from '../esdb-emulator/esdb-wire-emulator.js';
import { waitFor } from '../support/wait-for.js';

function newEvents(count: number): NewEvent[] {
  return Array.from({ length: count }, (_, index) => ({
    id: randomUUID(),
    type: 'ResumeTested',
    schemaVersion: 1,
    data: { index },
    metadata: {},
  }));
}

/**
 * A consumer as a projection is one: it stores the position of the last
 * event it processed as its checkpoint, and refuses (records) any event at
 * or before that checkpoint, which would be a duplicate.
 */
class CheckpointingConsumer {
  readonly processed: RecordedEvent[] = [];
  readonly duplicates: RecordedEvent[] = [];
  checkpoint: Position | undefined;
  caughtUp = 0;
  private gate: Promise<void> | undefined;
  private release: (() => void) | undefined;
  private blockAt: number | undefined;

  /** Holds the handler on the `count`-th event until {@link unblock}. */
  blockOn(count: number): void {
    this.blockAt = count;
    this.gate = new Promise((resolve) => (this.release = resolve));
  }

  unblock(): void {
    this.release?.();
  }

  get blocked(): boolean {
    return (
      this.blockAt !== undefined && this.processed.length + 1 >= this.blockAt
    );
  }

  readonly onEvent = async (event: RecordedEvent): Promise<void> => {
    if (this.gate && this.processed.length + 1 === this.blockAt) {
      await this.gate;
    }
    if (
      this.checkpoint &&
      comparePositions(event.position, this.checkpoint) <= 0
    ) {
      this.duplicates.push(event);
      return;
    }
    this.processed.push(event);
    this.checkpoint = event.position;
  };

  readonly onCaughtUp = (): void => {
    this.caughtUp += 1;
  };
}

describe('EventStoreDB adapter on the wire emulator: resubscribing (wire emulator tests)', () => {
  let emulator: EsdbWireEmulator;
  let store: EventStoreDbEventStore;
  const warnings: string[] = [];
  const running: Subscription[] = [];

  beforeAll(async () => {
    emulator = await EsdbWireEmulator.start({ statsEvery: 11 });
    store = EventStoreDbEventStore.connect(emulator.connectionString, {
      resubscribe: { initialDelayMs: 5, maxDelayMs: 50 },
      logger: {
        log: () => undefined,
        warn: (message) => warnings.push(message),
      },
    });
  });

  afterEach(async () => {
    await Promise.all(
      running.splice(0).map((subscription) => subscription.stop()),
    );
  });

  afterAll(async () => {
    await store.close();
    await emulator.stop();
  });

  const follow = (category: string, consumer: CheckpointingConsumer) => {
    const errors: Error[] = [];
    running.push(
      store.subscribeToAll(
        { filter: { streamPrefixes: [category] } },
        {
          onEvent: consumer.onEvent,
          onCaughtUp: consumer.onCaughtUp,
          onError: (error) => errors.push(error),
        },
      ),
    );
    return errors;
  };

  const appendInBatches = async (
    streamId: string,
    batches: number,
    size: number,
  ) => {
    const ids: string[] = [];
    for (let batch = 0; batch < batches; batch++) {
      const events = newEvents(size);
      await store.append(
        streamId,
        events,
        batch === 0 ? 'no_stream' : batch * size - 1,
      );
      ids.push(...events.map((event) => event.id));
    }
    return ids;
  };

  it.each([['unavailable' as const], ['cancelled' as const]])(
    'resumes after a drop (%s) mid catch-up from its checkpoint, missing and repeating nothing',
    async (reason) => {
      const category = `resume${randomUUID().replaceAll('-', '')}`;
      const streamId = `${category}-1`;
      const ids = await appendInBatches(streamId, 10, 30);
      const consumer = new CheckpointingConsumer();
      consumer.blockOn(120);
      const reads = emulator.callsTo('read');

      const errors = follow(category, consumer);
      await waitFor(() => consumer.blocked, {
        description: 'handler held mid-stream',
      });
      expect(emulator.dropSubscriptions(reason)).toBeGreaterThanOrEqual(1);
      consumer.unblock();
      await waitFor(
        () =>
          consumer.processed.length === ids.length && consumer.caughtUp === 1,
        {
          description: 'every event processed after the drop',
        },
      );

      expect(consumer.processed.map((event) => event.id)).toEqual(ids);
      expect(consumer.duplicates).toEqual([]);
      expect(errors).toEqual([]);
      expect(emulator.callsTo('read')).toBeGreaterThan(reads + 1);
      expect(warnings.some((warning) => warning.includes('dropped'))).toBe(
        true,
      );
    },
  );

  it('resumes after a drop while live, delivering what was appended meanwhile, and says caught up once', async () => {
    const category = `resume${randomUUID().replaceAll('-', '')}`;
    const streamId = `${category}-1`;
    const consumer = new CheckpointingConsumer();
    const errors = follow(category, consumer);
    await waitFor(() => consumer.caughtUp === 1);
    const first = await appendInBatches(streamId, 2, 5);
    await waitFor(() => consumer.processed.length === first.length);

    emulator.dropSubscriptions();
    const during = newEvents(5);
    await store.append(streamId, during, 9);
    await waitFor(() => consumer.processed.length === 15);
    const after = newEvents(5);
    await store.append(streamId, after, 14);
    await waitFor(() => consumer.processed.length === 20);

    expect(consumer.processed.map((event) => event.id)).toEqual([
      ...first,
      ...during.map((event) => event.id),
      ...after.map((event) => event.id),
    ]);
    expect(consumer.duplicates).toEqual([]);
    expect(consumer.caughtUp).toBe(1);
    expect(errors).toEqual([]);
  });

  it('waits with backoff while the node is down and resumes when it is back on the same port', async () => {
    const category = `resume${randomUUID().replaceAll('-', '')}`;
    const streamId = `${category}-1`;
    const consumer = new CheckpointingConsumer();
    const errors = follow(category, consumer);
    const before = await appendInBatches(streamId, 1, 5);
    await waitFor(() => consumer.processed.length === 5);

    const warned = warnings.length;
    await emulator.stop();
    await waitFor(() => warnings.length > warned + 1, {
      description: 'the drop and a failed resubscription reported',
    });
    await emulator.start();
    const after = newEvents(5);
    await store.append(streamId, after, 4);
    await waitFor(() => consumer.processed.length === 10, {
      timeoutMs: 10_000,
    });

    expect(consumer.processed.map((event) => event.id)).toEqual([
      ...before,
      ...after.map((event) => event.id),
    ]);
    expect(consumer.duplicates).toEqual([]);
    expect(errors).toEqual([]);
  });
});
