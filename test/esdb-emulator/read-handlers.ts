import { randomUUID } from 'node:crypto';

import type { ServerWritableStream } from '@grpc/grpc-js';
import type { IStreamsServer } from '@eventstore/db-client/generated/streams_grpc_pb.js';
import type {
  ReadReq,
  ReadResp,
} from '@eventstore/db-client/generated/streams_pb.js';

import { StreamDeletedFault, TOMBSTONE_REVISION } from './emulated-log.js';
import type { EmulatedLog, LogRecord } from './emulated-log.js';
import { streamsPb } from './generated.js';
import { statusOf } from './wire-errors.js';
import type { WireStatus } from './wire-errors.js';
import {
  caughtUpMessage,
  checkpointMessage,
  confirmationMessage,
  eventMessage,
  streamName,
  streamNotFoundMessage,
} from './wire-messages.js';

type ReadCall = ServerWritableStream<ReadReq, ReadResp>;
type Options = ReadReq.Options;

const { Options: OptionsCases } = streamsPb.ReadReq;
const DEFAULT_SEARCH_WINDOW = 32;

/** A subscription the emulator can end from its side. */
export interface LiveSubscription {
  /** Ends the call with `status`, as a server dropping a consumer does. */
  drop(status: WireStatus): void;
  /** Stops serving without a status; the transport is going away. */
  abort(): void;
}

/** Where a `$all` subscription asked to start: a commit position it follows, or the start or end. */
export type SubscriptionStart = bigint | 'start' | 'end';

/** Streams.Read: stream and `$all` reads, and subscriptions to both. */
export function readHandler(
  log: EmulatedLog,
  live: Set<LiveSubscription>,
  onSubscribeToAll: (from: SubscriptionStart) => void = () => undefined,
): IStreamsServer['read'] {
  return (call) => {
    const controller = new AbortController();
    const subscription: LiveSubscription = {
      drop: (status) => {
        controller.abort();
        call.emit('error', Object.assign(new Error(status.details), status));
      },
      abort: () => {
        controller.abort();
      },
    };
    call.on('cancelled', () => {
      controller.abort();
    });
    live.add(subscription);
    const reader = new Reader(log, call, controller.signal, onSubscribeToAll);
    reader
      .serve()
      .then(() => {
        if (!controller.signal.aborted) call.end();
      })
      .catch((error: unknown) => {
        if (controller.signal.aborted) return;
        call.emit('error', Object.assign(new Error(), statusOf(error)));
      })
      .finally(() => {
        live.delete(subscription);
      });
  };
}

class Reader {
  private readonly options: Options;
  private readonly structured: boolean;
  private lastCheckpoint: bigint | undefined;

  constructor(
    private readonly log: EmulatedLog,
    private readonly call: ReadCall,
    private readonly signal: AbortSignal,
    private readonly onSubscribeToAll: (from: SubscriptionStart) => void,
  ) {
    this.options = call.request.getOptions() ?? new streamsPb.ReadReq.Options();
    this.structured = this.options.getUuidOption()?.hasStructured() ?? false;
  }

  serve(): Promise<void> {
    const subscribing =
      this.options.getCountOptionCase() ===
      OptionsCases.CountOptionCase.SUBSCRIPTION;
    const all = this.options.hasAll();
    if (subscribing) {
      return all ? this.subscribeToAll() : this.subscribeToStream();
    }
    return all ? this.readAll() : this.readStream();
  }

  private async readStream(): Promise<void> {
    const stream = this.options.getStream();
    const name = streamName(stream?.getStreamIdentifier());
    const found = this.log.readStream(name);
    if (found.kind === 'deleted') throw new StreamDeletedFault(name);
    if (found.kind === 'not_found') {
      await this.send(streamNotFoundMessage(name));
      return;
    }
    const selected = this.backwards
      ? found.records
          .filter((record) => record.revision <= this.fromRevision)
          .reverse()
      : found.records.filter((record) => record.revision >= this.fromRevision);
    for (const record of selected.slice(0, this.count)) {
      await this.sendEvent(record);
    }
  }

  private async readAll(): Promise<void> {
    const matches = this.filter();
    const step = this.backwards ? -1 : 1;
    let sent = 0;
    for (
      let index = this.firstIndex();
      sent < this.count && !this.signal.aborted;
      index += step
    ) {
      const record = this.log.recordAt(index);
      if (!record) return;
      if (!matches(record)) continue;
      await this.sendEvent(record);
      sent += 1;
    }
  }

  private async subscribeToAll(): Promise<void> {
    const matches = this.filter();
    const checkpointEvery = this.checkpointInterval();
    await this.send(confirmationMessage(randomUUID()));
    this.onSubscribeToAll(this.requestedStart());
    let index = this.subscriptionStart();
    let scanned = 0;
    let caughtUp = false;
    while (!this.signal.aborted) {
      const record = this.log.recordAt(index);
      if (!record) {
        if (!caughtUp) await this.announceCaughtUp(checkpointEvery);
        caughtUp = true;
        await this.log.waitForWrite(this.signal);
        continue;
      }
      index += 1;
      scanned += 1;
      if (matches(record)) await this.sendEvent(record);
      if (checkpointEvery !== undefined && scanned % checkpointEvery === 0) {
        await this.sendCheckpoint(index);
      }
    }
  }

  private async subscribeToStream(): Promise<void> {
    const name = streamName(this.options.getStream()?.getStreamIdentifier());
    if (this.log.isTombstoned(name)) throw new StreamDeletedFault(name);
    await this.send(confirmationMessage(randomUUID()));
    let next = this.streamSubscriptionStart(name);
    let caughtUp = false;
    while (!this.signal.aborted) {
      const records = this.log.recordsOf(name);
      const record = records[next];
      if (record?.revision === TOMBSTONE_REVISION) {
        throw new StreamDeletedFault(name);
      }
      if (!record) {
        if (!caughtUp) await this.send(caughtUpMessage());
        caughtUp = true;
        await this.log.waitForWrite(this.signal);
        continue;
      }
      next += 1;
      await this.sendEvent(record);
    }
  }

  // A filtered subscription reports how far it has looked before it says it
  // has caught up, so that a consumer can store that progress.
  private async announceCaughtUp(
    checkpointEvery: number | undefined,
  ): Promise<void> {
    if (checkpointEvery !== undefined) {
      await this.sendCheckpoint(this.log.length);
    }
    await this.send(caughtUpMessage());
  }

  /**
   * Checkpoints carry the commit position of the next record to look at and
   * a prepare position of 0: resuming after one delivers that record. Like
   * a real node, the emulator does not repeat a checkpoint it has just sent.
   */
  private async sendCheckpoint(nextIndex: number): Promise<void> {
    const next = this.log.recordAt(nextIndex)?.position ?? this.log.endPosition;
    if (next === this.lastCheckpoint) return;
    this.lastCheckpoint = next;
    await this.send(checkpointMessage(next, 0n));
  }

  private get backwards(): boolean {
    return (
      this.options.getReadDirection() === OptionsCases.ReadDirection.BACKWARDS
    );
  }

  private get count(): number {
    return Number(this.options.getCount() || '0');
  }

  /** Where a stream read starts, inclusive; the end lies past every revision. */
  private get fromRevision(): bigint {
    const stream = this.options.getStream();
    if (stream?.hasRevision()) return BigInt(stream.getRevision());
    return stream?.hasEnd() ? TOMBSTONE_REVISION : 0n;
  }

  private firstIndex(): number {
    const all = this.options.getAll();
    const position = all?.getPosition();
    if (position) {
      const at = {
        commit: BigInt(position.getCommitPosition()),
        prepare: BigInt(position.getPreparePosition()),
      };
      return this.backwards
        ? this.log.indexAfter(at) - 1
        : this.log.indexFrom(at);
    }
    const atEnd = all?.hasEnd() ?? false;
    if (this.backwards) return atEnd ? this.log.length - 1 : -1;
    return atEnd ? this.log.length : 0;
  }

  private subscriptionStart(): number {
    const all = this.options.getAll();
    const position = all?.getPosition();
    if (position) {
      return this.log.indexAfter({
        commit: BigInt(position.getCommitPosition()),
        prepare: BigInt(position.getPreparePosition()),
      });
    }
    return all?.hasEnd() ? this.log.length : 0;
  }

  private requestedStart(): SubscriptionStart {
    const all = this.options.getAll();
    const position = all?.getPosition();
    if (position) return BigInt(position.getCommitPosition());
    return all?.hasEnd() ? 'end' : 'start';
  }

  private streamSubscriptionStart(name: string): number {
    const records = this.log.recordsOf(name);
    const stream = this.options.getStream();
    if (stream?.hasEnd()) return records.length;
    if (!stream?.hasRevision()) return 0;
    const after = BigInt(stream.getRevision());
    const index = records.findIndex((record) => record.revision > after);
    return index === -1 ? records.length : index;
  }

  private filter(): (record: LogRecord) => boolean {
    const options = this.options.getFilter();
    if (!options) return () => true;
    const onStream = options.hasStreamIdentifier();
    const expression = onStream
      ? options.getStreamIdentifier()
      : options.getEventType();
    const prefixes = expression?.getPrefixList() ?? [];
    const pattern = expression?.getRegex() ?? '';
    const regex = pattern === '' ? undefined : new RegExp(pattern);
    return (record) => {
      const subject = onStream ? record.streamId : record.type;
      if (prefixes.length > 0) {
        return prefixes.some((prefix) => subject.startsWith(prefix));
      }
      return regex?.test(subject) ?? true;
    };
  }

  private checkpointInterval(): number | undefined {
    const options = this.options.getFilter();
    if (!options) return undefined;
    const window = options.hasMax() ? options.getMax() : DEFAULT_SEARCH_WINDOW;
    return window * Math.max(1, options.getCheckpointintervalmultiplier());
  }

  private sendEvent(record: LogRecord): Promise<void> {
    return this.send(eventMessage(record, this.structured));
  }

  private async send(message: ReadResp): Promise<void> {
    if (this.signal.aborted || this.call.write(message)) return;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        this.call.off('drain', done);
        this.signal.removeEventListener('abort', done);
        resolve();
      };
      this.call.once('drain', done);
      this.signal.addEventListener('abort', done, { once: true });
    });
  }
}
