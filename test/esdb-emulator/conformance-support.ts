import { randomUUID } from 'node:crypto';

import { EventStoreDBClient, jsonEvent } from '@eventstore/db-client';
import type { JSONEventData } from '@eventstore/db-client';

import { EsdbWireEmulator } from './esdb-wire-emulator.js';
import type { EsdbWireEmulatorOptions } from './esdb-wire-emulator.js';

/** An emulator and a real client connected to it. */
export interface Connected {
  readonly emulator: EsdbWireEmulator;
  readonly client: EventStoreDBClient;
  disconnect(): Promise<void>;
}

/**
 * Starts an emulator and connects the real `@eventstore/db-client` to it
 * with the connection string a deployment would use.
 */
export async function connect(
  options: EsdbWireEmulatorOptions = {},
): Promise<Connected> {
  const emulator = await EsdbWireEmulator.start(options);
  const client = EventStoreDBClient.connectionString(emulator.connectionString);
  return {
    emulator,
    client,
    disconnect: async () => {
      await client.dispose();
      await emulator.stop();
    },
  };
}

/** A stream name no other test uses. */
export function uniqueStream(prefix = 'conformance'): string {
  return `${prefix}-${randomUUID()}`;
}

/** `count` JSON events of `type`, numbered in their data. */
export function testEvents(count: number, type = 'TestEvent'): JSONEventData[] {
  return Array.from({ length: count }, (_, index) =>
    jsonEvent({ id: randomUUID(), type, data: { index }, metadata: { index } }),
  );
}

/** Everything a finite read stream yields. */
export async function collect<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of stream) items.push(item);
  return items;
}
