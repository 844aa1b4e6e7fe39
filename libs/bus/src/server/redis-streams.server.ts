import { type CustomTransportStrategy, Server } from '@nestjs/microservices';
import { Redis } from 'ioredis';
import { lastValueFrom } from 'rxjs';

import type { BusKeyRing } from '../keys.js';
import { type BusStreams, busStreams, fieldsOf, flatten } from '../protocol.js';
import { type RefusalReason, verify, type VerifiedRequest } from './verify.js';

/** Options of {@link RedisStreamsServer}; times in milliseconds. */
export interface RedisStreamsServerOptions {
  readonly url: string;
  readonly keys: BusKeyRing;
  /** This replica's name in the consumer group; unique per replica. */
  readonly consumer: string;
  /** Key prefix of the streams. Defaults to `organizations`. */
  readonly prefix?: string;
  /** The consumer group all replicas join. Defaults to `organizations-service`. */
  readonly group?: string;
  /** Requests handled at once by this replica. Defaults to 16. */
  readonly concurrency?: number;
  /** How long one read waits for new entries. Defaults to 1000. */
  readonly blockMs?: number;
  /** How long an entry may stay unacknowledged before another replica takes it over. Defaults to 30000. */
  readonly claimIdleMs?: number;
  /** Deliveries after which an entry goes to the dead-letter stream. Defaults to 5. */
  readonly maxDeliveries?: number;
  /** How old a signature may be. Defaults to 300000 (5 minutes). */
  readonly maxAgeMs?: number;
  /** How far in the future a signature may be dated. Defaults to 60000. */
  readonly maxSkewMs?: number;
  /** Entries kept per reply stream. Defaults to 1000. */
  readonly replyStreamLength?: number;
  /** Reply streams of clients gone quiet expire after this many seconds. Defaults to 3600. */
  readonly replyStreamTtlSeconds?: number;
  readonly now?: () => number;
  /** Counts what was refused and dead-lettered, for metrics. */
  readonly observer?: BusObserver;
}

export interface BusObserver {
  refused(reason: RefusalReason): void;
  deadLettered(): void;
  handled(kind: string): void;
}

/** The Nest patterns a controller answers with `@MessagePattern`. */
export const BUS_PATTERNS = {
  command: 'organizations.command',
  query: 'organizations.query',
} as const;

type Entry = [id: string, fields: string[]];

// How long the reader waits after a failed read before reading again.
const READ_RETRY_MS = 250;

const FINISH = `
local pending = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[3], ARGV[3], 1)
if #pending == 0 or pending[1][2] ~= ARGV[2] then return 0 end
if KEYS[2] ~= '' then
  redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[4], '*', 'inReplyTo', ARGV[6], 'body', ARGV[7])
  redis.call('EXPIRE', KEYS[2], ARGV[5])
end
redis.call('XACK', KEYS[1], ARGV[1], ARGV[3])
redis.call('XDEL', KEYS[1], ARGV[3])
return 1`;

/**
 * A Nest transport on Redis Streams. Replicas read one commands stream as
 * members of one consumer group, with bounded concurrency. An entry is
 * acknowledged only after its reply is written; entries left pending by a
 * replica that died are taken over after `claimIdleMs` and completed, which
 * is safe because commands are idempotent by id. An entry that keeps failing
 * moves to the dead-letter stream with the reason. Closing drains the
 * requests in flight.
 */
export class RedisStreamsServer
  extends Server
  implements CustomTransportStrategy
{
  private readonly streams: BusStreams;
  private readonly group: string;
  private readonly reader: Redis;
  private readonly writer: Redis;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly lastErrors = new Map<string, string>();
  private running = false;
  private loops: Promise<void>[] = [];
  private claimTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: RedisStreamsServerOptions) {
    super();
    this.streams = busStreams(options.prefix);
    this.group = options.group ?? 'organizations-service';
    this.reader = new Redis(options.url, {
      lazyConnect: true,
      maxRetriesPerRequest: null,
    });
    this.writer = new Redis(options.url, { lazyConnect: true });
    for (const connection of [this.reader, this.writer]) {
      connection.on('error', (error: Error) => {
        this.reportConnectionError(error);
      });
    }
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      await Promise.all([this.reader.connect(), this.writer.connect()]);
      await this.createGroup();
      this.running = true;
      this.loops = [this.readLoop()];
      this.claimTimer = setInterval(
        () => {
          void this.claimAbandoned();
        },
        Math.max(50, Math.floor(this.claimIdleMs / 2)),
      );
      callback();
    } catch (error: unknown) {
      callback(error);
    }
  }

  async close(): Promise<void> {
    this.running = false;
    clearInterval(this.claimTimer);
    this.reader.disconnect();
    await Promise.allSettled(this.loops);
    await Promise.allSettled([...this.inFlight]);
    await this.writer.quit().catch(() => undefined);
  }

  on(): never {
    throw new Error('RedisStreamsServer has no events to listen to');
  }

  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- Nest's transport interface declares it so
  unwrap<T>(): T {
    return this.writer as T;
  }

  private lastConnectionError = 0;

  // ioredis reconnects by itself; say so once in a while, not per attempt.
  private reportConnectionError(error: Error): void {
    const now = Date.now();
    if (now - this.lastConnectionError < 10_000) return;
    this.lastConnectionError = now;
    this.logger.warn(`bus connection error, reconnecting: ${error.message}`);
  }

  private get claimIdleMs(): number {
    return this.options.claimIdleMs ?? 30_000;
  }

  private async createGroup(): Promise<void> {
    try {
      await this.writer.xgroup(
        'CREATE',
        this.streams.commands,
        this.group,
        '0',
        'MKSTREAM',
      );
    } catch (error: unknown) {
      if (!String(error).includes('BUSYGROUP')) throw error;
    }
  }

  private async readLoop(): Promise<void> {
    const concurrency = this.options.concurrency ?? 16;
    while (this.running) {
      if (this.inFlight.size >= concurrency) {
        await Promise.race(this.inFlight);
        continue;
      }
      const entries = await this.readNew(concurrency - this.inFlight.size);
      for (const entry of entries) this.track(this.process(entry));
    }
  }

  private async readNew(count: number): Promise<Entry[]> {
    try {
      const reply = (await this.reader.xreadgroup(
        'GROUP',
        this.group,
        this.options.consumer,
        'COUNT',
        count,
        'BLOCK',
        this.options.blockMs ?? 1000,
        'STREAMS',
        this.streams.commands,
        '>',
      )) as [string, Entry[]][] | null;
      return reply?.[0]?.[1] ?? [];
    } catch (error: unknown) {
      if (this.running) await this.recoverFromReadError(error);
      return [];
    }
  }

  // A Redis that restarted without its data has neither the stream nor the
  // group: create them again, or no replica would ever read again. The
  // requests it lost are sent again by their clients after a timeout.
  private async recoverFromReadError(error: unknown): Promise<void> {
    if (String(error).includes('NOGROUP')) {
      this.logger.warn('bus consumer group missing; creating it again');
      await this.createGroup().catch(() => undefined);
      return;
    }
    this.logger.warn(`bus read failed, retrying: ${String(error)}`);
    await new Promise((resolve) => setTimeout(resolve, READ_RETRY_MS));
  }

  private track(work: Promise<void>): void {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  private async process([id, flat]: Entry): Promise<void> {
    const fields = fieldsOf(flat);
    try {
      await this.answer(id, fields);
      this.lastErrors.delete(id);
    } catch (error: unknown) {
      // Left unacknowledged: another delivery, here or on a replica, tries again.
      this.lastErrors.set(
        id,
        error instanceof Error ? error.message : String(error),
      );
    }
  }

  private async answer(
    id: string,
    fields: Record<string, string>,
  ): Promise<void> {
    const replyTo = this.validReplyTo(fields.replyTo);
    const verified = verify(fields, {
      keys: this.options.keys,
      now: (this.options.now ?? Date.now)(),
      maxAgeMs: this.options.maxAgeMs ?? 300_000,
      maxSkewMs: this.options.maxSkewMs ?? 60_000,
    });
    if (!verified.ok) {
      this.options.observer?.refused(verified.reason);
      await this.finish(id, replyTo, refusal(fields, verified.message));
      return;
    }
    if (replyTo === null) {
      // Nobody could hear the answer, so the request is not run at all.
      this.options.observer?.refused('malformed');
      await this.finish(id, null, {});
      return;
    }
    const reply = await this.dispatch(verified.request);
    if (await this.finish(id, replyTo, reply)) {
      this.options.observer?.handled(verified.request.kind);
    }
  }

  private async dispatch(
    request: VerifiedRequest,
  ): Promise<Record<string, unknown>> {
    const handler = this.getHandlerByPattern(BUS_PATTERNS[request.kind]);
    if (handler === null)
      throw new Error(`no handler for ${request.kind} messages`);
    const result: unknown = await lastValueFrom(
      this.transformToObservable(await handler(request)),
    );
    return result as Record<string, unknown>;
  }

  // Replies go only to reply streams of this bus, never to any key a sender names.
  private validReplyTo(replyTo: string | undefined): string | null {
    const prefix = this.streams.replies('');
    const clientId = replyTo?.slice(prefix.length) ?? '';
    return replyTo?.startsWith(prefix) === true &&
      /^[A-Za-z0-9._-]{1,64}$/.test(clientId)
      ? replyTo
      : null;
  }

  /**
   * Writes the reply and acknowledges the entry in one step, only while this
   * replica still owns it: when another replica took it over meanwhile, that
   * one answers, so that every request gets exactly one reply. The answered
   * entry is deleted in the same step, so its payload (personal data
   * included) does not wait in the stream for the next trim.
   */
  private async finish(
    id: string,
    replyTo: string | null,
    reply: Record<string, unknown>,
  ): Promise<boolean> {
    const answered = reply.commandId ?? reply.queryId;
    const inReplyTo = typeof answered === 'string' ? answered : '';
    const done = await this.writer.eval(
      FINISH,
      2,
      this.streams.commands,
      replyTo ?? '',
      this.group,
      this.options.consumer,
      id,
      this.options.replyStreamLength ?? 1000,
      this.options.replyStreamTtlSeconds ?? 3600,
      inReplyTo,
      JSON.stringify(reply),
    );
    return done === 1;
  }

  private async claimAbandoned(): Promise<void> {
    if (!this.running) return;
    try {
      const [, claimed] = (await this.writer.xautoclaim(
        this.streams.commands,
        this.group,
        this.options.consumer,
        this.claimIdleMs,
        '0-0',
        'COUNT',
        64,
      )) as [string, Entry[]];
      for (const entry of claimed) await this.retryOrBury(entry);
      await this.trimHandled();
    } catch (error: unknown) {
      this.logger.warn(
        `claiming abandoned bus entries failed: ${String(error)}`,
      );
    }
  }

  private async retryOrBury(entry: Entry): Promise<void> {
    const [id, flat] = entry;
    const deliveries = await this.deliveriesOf(id);
    if (deliveries <= (this.options.maxDeliveries ?? 5)) {
      this.track(this.process(entry));
      return;
    }
    const reason =
      `not completed after ${deliveries - 1} deliveries` +
      (this.lastErrors.has(id)
        ? `; last error: ${this.lastErrors.get(id) ?? ''}`
        : '');
    await this.writer
      .multi()
      .xadd(
        this.streams.deadLetters,
        'MAXLEN',
        '~',
        10_000,
        '*',
        ...flatten({ ...fieldsOf(flat), originalId: id, reason }),
      )
      .xack(this.streams.commands, this.group, id)
      .exec();
    this.lastErrors.delete(id);
    this.options.observer?.deadLettered();
  }

  private async deliveriesOf(id: string): Promise<number> {
    const pending = (await this.writer.xpending(
      this.streams.commands,
      this.group,
      id,
      id,
      1,
    )) as [string, string, number, number][];
    return pending[0]?.[3] ?? 1;
  }

  // Handled entries are dropped; nothing pending or unread is ever trimmed.
  private async trimHandled(): Promise<void> {
    const summary = (await this.writer.xpending(
      this.streams.commands,
      this.group,
    )) as [number, string | null, string | null, unknown];
    const groups = (await this.writer.xinfo(
      'GROUPS',
      this.streams.commands,
    )) as unknown[][];
    const ours = groups
      .map(fieldsOf as (g: unknown[]) => Record<string, string>)
      .find((g) => g.name === this.group);
    const lastDelivered = ours?.['last-delivered-id'];
    const oldestPending = summary[1];
    const keepFrom = oldestPending ?? lastDelivered;
    if (keepFrom !== undefined) {
      await this.writer.xtrim(this.streams.commands, 'MINID', '~', keepFrom);
    }
  }
}

function refusal(
  fields: Record<string, string>,
  message: string,
): Record<string, unknown> {
  const id = idOf(fields.body);
  return fields.kind === 'query'
    ? { status: 'rejected', queryId: id, code: 'UNAUTHENTICATED', message }
    : { status: 'rejected', commandId: id, code: 'UNAUTHENTICATED', message };
}

// The id a refusal answers, read from an unverified body only to address the reply.
function idOf(body: string | undefined): string | null {
  try {
    const parsed = JSON.parse(body ?? '') as {
      commandId?: unknown;
      queryId?: unknown;
    };
    const id = parsed.commandId ?? parsed.queryId;
    return typeof id === 'string' && id.length <= 64 ? id : null;
  } catch {
    return null;
  }
}
