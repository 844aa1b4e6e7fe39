import { EventStoreDBClient } from '@eventstore/db-client';

/**
 * A client for `connectionString`; it connects lazily, on its first call.
 * The client's parse errors quote the whole string, credentials included,
 * so a string it cannot parse is refused without passing them on.
 */
export function connectClient(connectionString: string): EventStoreDBClient {
  try {
    return EventStoreDBClient.connectionString(connectionString);
  } catch {
    throw new TypeError(
      'not a usable EventStoreDB connection string; expected for example ' +
        'esdb://localhost:2113?tls=false',
    );
  }
}
