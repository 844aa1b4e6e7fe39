import { randomUUID } from 'node:crypto';

/** The revision a tombstone is stored at: the largest signed 64-bit value. */
export const TOMBSTONE_REVISION = 2n ** 63n - 1n;

// A soft delete sets `$tb` to this; JSON numbers that large lose precision,
// so anything at or above the largest safe integer counts as deleted.
const DELETED_TRUNCATE_BEFORE = '9223372036854775807';

const TICKS_PER_MILLISECOND = 10_000n;

/** What a write expects of the stream, as the wire states it. */
export type ExpectedState =
  | { readonly kind: 'any' }
  | { readonly kind: 'no_stream' }
  | { readonly kind: 'stream_exists' }
  | { readonly kind: 'revision'; readonly revision: bigint };

/** An event as a client proposes it. */
export interface ProposedEvent {
  /** Lower-case canonical UUID, as the server prints a Guid. */
  readonly id: string;
  readonly type: string;
  readonly contentType: string;
  readonly data: Uint8Array;
  readonly metadata: Uint8Array;
}

/** A record of the transaction log: an event of a stream at a position. */
export interface LogRecord extends ProposedEvent {
  readonly streamId: string;
  readonly revision: bigint;
  /** Byte offset in the log; the emulator uses it as commit and prepare. */
  readonly position: bigint;
  /** 100-nanosecond ticks since the Unix epoch. */
  readonly created: bigint;
}

/** A place in `$all` as the client gives it. */
export interface LogPosition {
  readonly commit: bigint;
  readonly prepare: bigint;
}

export interface WriteResult {
  readonly revision: bigint;
  readonly position: bigint;
}

/** What a stream read finds. */
export type StreamRead =
  | { readonly kind: 'found'; readonly records: readonly LogRecord[] }
  | { readonly kind: 'not_found' }
  | { readonly kind: 'deleted' };

/** The stream is not in the state the write expected. */
export class WrongExpectedVersionFault extends Error {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedState,
    /** -1 when the stream does not exist. */
    readonly current: bigint,
  ) {
    super(`wrong expected version for ${streamId}`);
  }
}

/** The stream is tombstoned. */
export class StreamDeletedFault extends Error {
  constructor(readonly streamId: string) {
    super(`stream ${streamId} is deleted`);
  }
}

/** The events of one append are larger than the server accepts. */
export class MaxAppendSizeFault extends Error {
  constructor(readonly maxAppendSize: number) {
    super(`append larger than ${maxAppendSize} bytes`);
  }
}

interface StreamRecords {
  readonly records: LogRecord[];
  readonly byId: Map<string, LogRecord>;
  tombstoned: boolean;
}

interface StreamMetadata {
  readonly $maxCount?: unknown;
  readonly $maxAge?: unknown;
  readonly $tb?: unknown;
}

/** Options of {@link EmulatedLog}. */
export interface EmulatedLogOptions {
  /** Bytes of data and metadata one append may carry. */
  readonly maxAppendSize: number;
  /** The clock for `created`, in milliseconds since the Unix epoch. */
  readonly now: () => number;
  /** Called after every append a client made to a stream not starting with `$`. */
  readonly onAppended?: () => void;
}

/**
 * The emulator's storage: one transaction log (`$all`) in memory, streams
 * as views of it, stream metadata in `$$<stream>` metastreams, soft deletes
 * as `$tb` metadata and tombstones as `$streamDeleted` records, as the
 * server keeps them. Writes check the expected version and recognise
 * retried writes by their event ids.
 */
export class EmulatedLog {
  private readonly log: LogRecord[] = [];
  private readonly streams = new Map<string, StreamRecords>();
  private readonly waiters = new Set<() => void>();
  private nextPosition = 0n;

  constructor(private readonly options: EmulatedLogOptions) {}

  /** How many records `$all` holds. */
  get length(): number {
    return this.log.length;
  }

  recordAt(index: number): LogRecord | undefined {
    return this.log[index];
  }

  /** The position the next record will get. */
  get endPosition(): bigint {
    return this.nextPosition;
  }

  /** Index of the first record after `position` (exclusive). */
  indexAfter(position: LogPosition): number {
    return this.firstIndex((record) => isAfter(record.position, position));
  }

  /** Index of the first record at or after `position` (inclusive). */
  indexFrom(position: LogPosition): number {
    return this.firstIndex(
      (record) =>
        isAfter(record.position, position) ||
        (record.position === position.commit &&
          record.position === position.prepare),
    );
  }

  /** The stream's records as stored, truncation ignored; for subscriptions. */
  recordsOf(streamId: string): readonly LogRecord[] {
    return this.streams.get(streamId)?.records ?? [];
  }

  /**
   * Test support: rewrites a stream's records in place, as someone with
   * access to the server's storage could, for tampering tests. `edit` gets
   * a copy of the records and returns the new ones; `$all` is left as it
   * was.
   */
  tamperWithStream(
    streamId: string,
    edit: (records: LogRecord[]) => LogRecord[],
  ): void {
    const stream = this.streams.get(streamId);
    if (!stream) throw new Error(`no stream ${streamId} to tamper with`);
    const edited = edit([...stream.records]);
    stream.records.splice(0, stream.records.length, ...edited);
    stream.byId.clear();
    edited.forEach((record) => stream.byId.set(record.id, record));
  }

  isTombstoned(streamId: string): boolean {
    return this.streams.get(streamId)?.tombstoned ?? false;
  }

  /** The stream's events a read may see, honouring `$tb`, `$maxCount`, `$maxAge`. */
  readStream(streamId: string): StreamRead {
    const stream = this.streams.get(streamId);
    if (stream?.tombstoned) return { kind: 'deleted' };
    const records = stream?.records ?? [];
    const metadata = this.metadataOf(streamId);
    if (isSoftDeleted(metadata) || records.length === 0) {
      return { kind: 'not_found' };
    }
    return { kind: 'found', records: this.visible(records, metadata) };
  }

  append(
    streamId: string,
    events: readonly ProposedEvent[],
    expected: ExpectedState,
  ): WriteResult {
    const stream = this.streams.get(streamId);
    if (stream?.tombstoned) throw new StreamDeletedFault(streamId);
    this.assertSize(events);
    const current = lastRevision(stream);
    const retried = this.findRetry(streamId, events, expected, current);
    if (retried) return retried;

    check(streamId, expected, current);
    if (events.length === 0) {
      const last = stream?.records.at(-1)?.position ?? this.nextPosition;
      return { revision: current, position: last };
    }
    this.reviveIfSoftDeleted(streamId, current);
    let last: LogRecord | undefined;
    events.forEach((event, offset) => {
      last = this.store(streamId, current + 1n + BigInt(offset), event);
    });
    if (!streamId.startsWith('$')) this.options.onAppended?.();
    this.notify();
    return { revision: current + BigInt(events.length), position: pos(last) };
  }

  /** Soft delete: reads say not found, later appends continue the revisions. */
  delete(streamId: string, expected: ExpectedState): bigint {
    const stream = this.streams.get(streamId);
    if (stream?.tombstoned) throw new StreamDeletedFault(streamId);
    const current = lastRevision(stream);
    const unknown = current === -1n && !this.streams.has(metastream(streamId));
    if (expected.kind === 'no_stream' && unknown) {
      throw new WrongExpectedVersionFault(streamId, expected, current);
    }
    check(streamId, expected, current);

    const record = this.writeMetadata(streamId, {
      ...this.metadataOf(streamId),
      $tb: DELETED_TRUNCATE_BEFORE,
    });
    this.notify();
    return record.position;
  }

  /** Hard delete: the stream can never be read or written again. */
  tombstone(streamId: string, expected: ExpectedState): bigint {
    const stream = this.streams.get(streamId);
    if (stream?.tombstoned) throw new StreamDeletedFault(streamId);
    check(streamId, expected, lastRevision(stream));

    const record = this.store(streamId, TOMBSTONE_REVISION, {
      id: randomUUID(),
      type: '$streamDeleted',
      contentType: 'application/octet-stream',
      data: new Uint8Array(),
      metadata: new Uint8Array(),
    });
    this.streamRecords(streamId).tombstoned = true;
    this.notify();
    return record.position;
  }

  /** Resolves at the next write, or at once when `signal` aborts. */
  waitForWrite(signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal.aborted) {
        resolve();
        return;
      }
      const done = (): void => {
        this.waiters.delete(done);
        signal.removeEventListener('abort', done);
        resolve();
      };
      this.waiters.add(done);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  private firstIndex(test: (record: LogRecord) => boolean): number {
    let low = 0;
    let high = this.log.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const record = this.log[middle];
      if (record && test(record)) high = middle;
      else low = middle + 1;
    }
    return low;
  }

  private assertSize(events: readonly ProposedEvent[]): void {
    const size = events.reduce(
      (total, event) => total + event.data.length + event.metadata.length,
      0,
    );
    if (size > this.options.maxAppendSize) {
      throw new MaxAppendSizeFault(this.options.maxAppendSize);
    }
  }

  // The server recognises a retry by the event ids stored right after the
  // expected revision, or, for `any`, by where the first id is stored.
  private findRetry(
    streamId: string,
    events: readonly ProposedEvent[],
    expected: ExpectedState,
    current: bigint,
  ): WriteResult | null {
    const stream = this.streams.get(streamId);
    const first = events[0];
    if (!stream || !first) return null;
    const from = retryStart(stream, first, expected);
    if (from === undefined || from > current) return null;
    const stored = events.map((event, offset) =>
      stream.byId.get(event.id)?.revision === from + BigInt(offset)
        ? stream.byId.get(event.id)
        : undefined,
    );
    if (stored.every((record) => record !== undefined)) {
      return {
        revision: from + BigInt(events.length) - 1n,
        position: pos(stored.at(-1)),
      };
    }
    throw new WrongExpectedVersionFault(streamId, expected, current);
  }

  private reviveIfSoftDeleted(streamId: string, current: bigint): void {
    const metadata = this.metadataOf(streamId);
    if (!isSoftDeleted(metadata)) return;
    this.writeMetadata(streamId, {
      ...metadata,
      $tb: (current + 1n).toString(),
    });
  }

  private writeMetadata(streamId: string, metadata: StreamMetadata): LogRecord {
    const meta = metastream(streamId);
    const revision = lastRevision(this.streams.get(meta)) + 1n;
    return this.store(meta, revision, {
      id: randomUUID(),
      type: '$metadata',
      contentType: 'application/json',
      data: new TextEncoder().encode(metadataJson(metadata)),
      metadata: new Uint8Array(),
    });
  }

  private metadataOf(streamId: string): StreamMetadata {
    if (streamId.startsWith('$$')) return { $maxCount: 1 };
    const last = this.streams.get(metastream(streamId))?.records.at(-1);
    if (!last) return {};
    try {
      const parsed: unknown = JSON.parse(new TextDecoder().decode(last.data));
      return typeof parsed === 'object' && parsed !== null ? parsed : {};
    } catch {
      return {};
    }
  }

  private visible(
    records: readonly LogRecord[],
    metadata: StreamMetadata,
  ): LogRecord[] {
    const last = records.at(-1)?.revision ?? -1n;
    const maxCount = integer(metadata.$maxCount);
    const maxAge = integer(metadata.$maxAge);
    const from = [
      integer(metadata.$tb) ?? 0n,
      maxCount === undefined ? 0n : last + 1n - maxCount,
    ].reduce((a, b) => (a > b ? a : b));
    const oldest =
      maxAge === undefined
        ? undefined
        : this.ticksNow() - maxAge * 1000n * TICKS_PER_MILLISECOND;
    return records.filter(
      (record) =>
        record.revision >= from &&
        (oldest === undefined || record.created >= oldest),
    );
  }

  private store(
    streamId: string,
    revision: bigint,
    event: ProposedEvent,
  ): LogRecord {
    const record: LogRecord = {
      ...event,
      streamId,
      revision,
      position: this.nextPosition,
      created: this.ticksNow(),
    };
    this.nextPosition += recordSize(record);
    this.log.push(record);
    const stream = this.streamRecords(streamId);
    stream.records.push(record);
    stream.byId.set(record.id, record);
    return record;
  }

  private streamRecords(streamId: string): StreamRecords {
    let stream = this.streams.get(streamId);
    if (!stream) {
      stream = { records: [], byId: new Map(), tombstoned: false };
      this.streams.set(streamId, stream);
    }
    return stream;
  }

  private ticksNow(): bigint {
    return BigInt(this.options.now()) * TICKS_PER_MILLISECOND;
  }

  private notify(): void {
    [...this.waiters].forEach((wake) => {
      wake();
    });
  }
}

/** The metadata stream of `streamId`. */
export function metastream(streamId: string): string {
  return `$$${streamId}`;
}

function check(
  streamId: string,
  expected: ExpectedState,
  current: bigint,
): void {
  const ok =
    expected.kind === 'any' ||
    (expected.kind === 'no_stream' && current === -1n) ||
    (expected.kind === 'stream_exists' && current !== -1n) ||
    (expected.kind === 'revision' && current === expected.revision);
  if (!ok) throw new WrongExpectedVersionFault(streamId, expected, current);
}

function retryStart(
  stream: StreamRecords,
  first: ProposedEvent,
  expected: ExpectedState,
): bigint | undefined {
  switch (expected.kind) {
    case 'revision':
      return expected.revision + 1n;
    case 'no_stream':
      return 0n;
    case 'any':
    case 'stream_exists':
      return stream.byId.get(first.id)?.revision;
  }
}

function lastRevision(stream: StreamRecords | undefined): bigint {
  const last = stream?.records.findLast(
    (record) => record.revision !== TOMBSTONE_REVISION,
  );
  return last?.revision ?? -1n;
}

function isAfter(recordPosition: bigint, position: LogPosition): boolean {
  return (
    recordPosition > position.commit ||
    (recordPosition === position.commit && recordPosition > position.prepare)
  );
}

function isSoftDeleted(metadata: StreamMetadata): boolean {
  const tb = integer(metadata.$tb);
  return tb !== undefined && tb >= BigInt(Number.MAX_SAFE_INTEGER);
}

function integer(value: unknown): bigint | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) {
    return BigInt(value);
  }
  if (typeof value === 'string' && /^\d+$/.test(value)) return BigInt(value);
  return undefined;
}

// `$tb` values travel as strings inside this file so that the deleted
// marker keeps all 19 digits; on the wire they are JSON numbers.
function metadataJson(metadata: StreamMetadata): string {
  return JSON.stringify(metadata).replace(
    /"\$tb":"(\d+)"/,
    (_, digits: string) => `"$tb":${digits}`,
  );
}

function recordSize(record: LogRecord): bigint {
  const text = new TextEncoder();
  const header = 64;
  return BigInt(
    header +
      text.encode(record.streamId).length +
      text.encode(record.type).length +
      record.data.length +
      record.metadata.length,
  );
}

function pos(record: LogRecord | undefined): bigint {
  if (!record) throw new Error('no record was written');
  return record.position;
}
