import { createHash } from 'node:crypto';

import type { EventMetadataRecord, NewEvent } from '../event-store.port.js';
import type { SerializedEvent } from '../serialization/stored-event.js';

/** The metadata key of the hash of the event before, in the same stream. */
export const PREV_HASH_KEY = '$prevHash';
/** The metadata key of the event's own hash. */
export const HASH_KEY = '$hash';
/** The `$prevHash` of a stream's first event. */
export const GENESIS_HASH = '0'.repeat(64);

/** What the chain hashes of an event, as it is stored (not upcast). */
export interface ChainedEvent {
  readonly streamId: string;
  readonly revision: number;
  readonly id: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: unknown;
  readonly metadata: EventMetadataRecord;
}

/** The outcome of {@link verifyChain}. */
export type ChainVerification =
  | {
      readonly valid: true;
      /** The last event's hash, or {@link GENESIS_HASH} for no events. */
      readonly head: string;
      readonly count: number;
    }
  | {
      readonly valid: false;
      /** The revision of the first event whose link does not hold. */
      readonly firstBrokenRevision: number;
      readonly reason: string;
    };

/**
 * JSON with object keys sorted at every level and no white space, so that
 * equal values give equal text whichever order their keys were written in.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(JSON.parse(toJson(value))));
}

// Values reach here after the serializer has checked that JSON holds them;
// undefined stands for a missing value, as JSON writes it.
function toJson(value: unknown): string {
  return JSON.stringify(value === undefined ? null : value);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value as Record<string, unknown>).sort(
    ([a], [b]) => (a < b ? -1 : a > b ? 1 : 0),
  );
  return Object.fromEntries(entries.map(([k, v]) => [k, sortKeys(v)]));
}

/** The metadata without the chain's own keys. */
export function withoutChainKeys(
  metadata: EventMetadataRecord,
): EventMetadataRecord {
  const { [PREV_HASH_KEY]: _prev, [HASH_KEY]: _hash, ...rest } = metadata;
  return rest;
}

/**
 * SHA-256 (hex) over the canonical JSON of the event's stream, revision,
 * id, type, stored schema version, data, metadata without the chain keys,
 * and the hash of the event before it.
 */
export function hashEvent(event: ChainedEvent, prevHash: string): string {
  const canonical = canonicalJson([
    event.streamId,
    event.revision,
    event.id,
    event.type,
    event.schemaVersion,
    event.data,
    withoutChainKeys(event.metadata),
    prevHash,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

/** The event's own hash from its metadata, when it has one. */
export function storedHashOf(
  metadata: EventMetadataRecord,
): string | undefined {
  const hash = metadata[HASH_KEY];
  return typeof hash === 'string' ? hash : undefined;
}

/** The metadata of an event chained after `prevHash`. */
export function chainMetadata(
  event: ChainedEvent,
  prevHash: string,
): EventMetadataRecord {
  const metadata = withoutChainKeys(event.metadata);
  const hash = hashEvent({ ...event, metadata }, prevHash);
  return { ...metadata, [PREV_HASH_KEY]: prevHash, [HASH_KEY]: hash };
}

/**
 * Chains serialized events appended to `streamId` from `firstRevision`
 * after an event whose hash is `prevHash`: their metadata text gains
 * `$prevHash` and `$hash`. The embedded adapters call this inside the
 * append, where the predecessor is known for certain.
 */
export function chainSerialized(
  streamId: string,
  firstRevision: number,
  prevHash: string,
  events: readonly SerializedEvent[],
): SerializedEvent[] {
  let prev = prevHash;
  return events.map((event, offset) => {
    const metadata = chainMetadata(
      {
        streamId,
        revision: firstRevision + offset,
        id: event.id,
        type: event.type,
        schemaVersion: event.schemaVersion,
        data: JSON.parse(event.data),
        metadata: JSON.parse(event.metadata) as EventMetadataRecord,
      },
      prev,
    );
    prev = metadata[HASH_KEY] as string;
    return { ...event, metadata: JSON.stringify(metadata) };
  });
}

/**
 * Chains events appended to `streamId` from `firstRevision` after an event
 * whose hash is `prevHash`, for adapters that store the port's events as
 * they are (EventStoreDB).
 */
export function chainNew(
  streamId: string,
  firstRevision: number,
  prevHash: string,
  events: readonly NewEvent[],
): NewEvent[] {
  let prev = prevHash;
  return events.map((event, offset) => {
    const metadata = chainMetadata(
      { ...event, streamId, revision: firstRevision + offset },
      prev,
    );
    prev = metadata[HASH_KEY] as string;
    return { ...event, metadata };
  });
}

/** The hash an event appended after the stored `last` event chains to. */
export function prevHashAfter(lastMetadataJson: string | undefined): string {
  if (lastMetadataJson === undefined) return GENESIS_HASH;
  const metadata = JSON.parse(lastMetadataJson) as EventMetadataRecord;
  return storedHashOf(metadata) ?? GENESIS_HASH;
}

/**
 * Walks one stream's events, in the order given and as stored (not upcast),
 * and names the first link that does not hold: an event changed (its hash
 * no longer matches), removed, inserted or moved (a revision out of
 * sequence, or a `$prevHash` that is not its predecessor's hash).
 */
export function verifyChain(
  events: readonly ChainedEvent[],
): ChainVerification {
  let prev = GENESIS_HASH;
  let expectedRevision = 0;
  for (const event of events) {
    const broken = (reason: string): ChainVerification => ({
      valid: false,
      firstBrokenRevision: expectedRevision,
      reason: `revision ${expectedRevision}: ${reason}`,
    });
    if (event.revision !== expectedRevision) {
      return broken(
        `found event ${event.id} at revision ${event.revision} ` +
          'where the next revision belongs',
      );
    }
    const stored = storedHashOf(event.metadata);
    if (stored === undefined) return broken(`event ${event.id} has no hash`);
    if (event.metadata[PREV_HASH_KEY] !== prev) {
      return broken(
        `event ${event.id} does not link to the event before it ` +
          '(an event was removed, inserted or reordered)',
      );
    }
    if (hashEvent(event, prev) !== stored) {
      return broken(`event ${event.id} does not match its hash (changed)`);
    }
    prev = stored;
    expectedRevision += 1;
  }
  return { valid: true, head: prev, count: events.length };
}
