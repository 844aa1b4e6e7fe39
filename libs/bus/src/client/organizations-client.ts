import { randomUUID } from 'node:crypto';

import type {
  AcceptedReply,
  CommandType,
  ErrorCode,
  PayloadOf,
  RejectedReply,
} from '@org/contracts';
import { Redis } from 'ioredis';

import {
  type BusQuery,
  type BusStreams,
  busStreams,
  fieldsOf,
  flatten,
  type MessageKind,
  type QueryReply,
  sign,
} from '../protocol.js';
import { BusTimeoutError, CommandRefusedError } from './errors.js';

/** Options of {@link OrganizationsClient}. */
export interface OrganizationsClientOptions {
  /** Redis URL of the bus. */
  readonly url: string;
  /** The id of this service's bus key. */
  readonly keyId: string;
  /** The key's secret, base64 as in the keys file, or raw bytes. */
  readonly secret: string | Buffer;
  /** Names this client's reply stream. Defaults to a random id per client. */
  readonly clientId?: string;
  /** Key prefix of the bus streams. Defaults to `organizations`. */
  readonly prefix?: string;
  /** How long to wait for a reply before sending again. Defaults to 5000 ms. */
  readonly timeoutMs?: number;
  /**
   * How often to send again, with the same command id, after a timeout or
   * a conflict with other writers (unless `expectedRevision` was given).
   * Defaults to 2.
   */
  readonly retries?: number;
  /**
   * Told of Redis connection errors while the client reconnects by itself.
   * Defaults to ignoring them: a call that cannot complete times out.
   */
  readonly onConnectionError?: (error: Error) => void;
}

/** Everything of a command envelope but its type and payload. */
export interface CommandOptions {
  /** Required for every command but CreateOrganization. */
  readonly orgId?: string;
  readonly commandId?: string;
  readonly expectedRevision?: number;
  readonly reference?: string;
  readonly correlationId?: string;
}

interface Waiter {
  readonly resolve: (body: string) => void;
}

/**
 * The organization service's client for other services: signed commands and
 * queries over the Redis Streams bus, replies matched by id, timeouts, and
 * retries that reuse the command id so that a command has its effect once.
 * Needs no Nest.
 */
export class OrganizationsClient {
  private readonly streams: BusStreams;
  private readonly replyStream: string;
  private readonly secret: Buffer;
  private readonly waiters = new Map<string, Waiter>();
  private readonly writer: Redis;
  private readonly reader: Redis;
  private lastReplyId = '0-0';
  private listening: Promise<void> | undefined;
  private open = true;

  constructor(private readonly options: OrganizationsClientOptions) {
    this.streams = busStreams(options.prefix);
    this.replyStream = this.streams.replies(options.clientId ?? randomUUID());
    this.secret =
      typeof options.secret === 'string'
        ? Buffer.from(options.secret, 'base64')
        : options.secret;
    this.writer = new Redis(options.url);
    this.reader = new Redis(options.url, { maxRetriesPerRequest: null });
    const onError = options.onConnectionError ?? (() => undefined);
    this.writer.on('error', onError);
    this.reader.on('error', onError);
  }

  /** Sends a command; resolves with the accepted reply, or throws {@link CommandRefusedError}. */
  async command<T extends CommandType>(
    type: T,
    payload: PayloadOf<T>,
    options: CommandOptions = {},
  ): Promise<AcceptedReply> {
    const commandId = options.commandId ?? randomUUID();
    const envelope = { ...options, commandId, type, payload };
    const retryConflicts = options.expectedRevision === undefined;
    for (let attempt = 0; ; attempt++) {
      const text = await this.request('command', commandId, envelope);
      const reply = JSON.parse(text) as AcceptedReply | RejectedReply;
      if (reply.status === 'accepted') return reply;
      const busy = reply.code === 'CONFLICT' && retryConflicts;
      if (!busy || attempt >= (this.options.retries ?? 2)) {
        throw new CommandRefusedError(
          reply.code,
          reply.message,
          reply.commandId,
          reply.details,
        );
      }
      await pause(20 * 2 ** attempt * Math.random());
    }
  }

  /** The organization's current state and revision. */
  organization(orgId: string): Promise<unknown> {
    return this.query({ queryId: randomUUID(), query: 'organization', orgId });
  }

  /** The organization's state at a revision or a moment. */
  /** A page of audit entries, with the filters of `GET /v1/audit`. */
  audit(
    filters: Omit<
      Extract<BusQuery, { query: 'audit' }>,
      'queryId' | 'query'
    > = {},
  ): Promise<unknown> {
    return this.query({ queryId: randomUUID(), query: 'audit', ...filters });
  }

  organizationAt(
    orgId: string,
    point: { revision: number } | { at: Date },
  ): Promise<unknown> {
    const when = 'at' in point ? { at: point.at.toISOString() } : point;
    return this.query({
      queryId: randomUUID(),
      query: 'organizationAt',
      orgId,
      ...when,
    });
  }

  async close(): Promise<void> {
    this.open = false;
    this.reader.disconnect();
    await this.listening?.catch(() => undefined);
    await this.writer.quit().catch(() => undefined);
  }

  private async query(query: BusQuery): Promise<unknown> {
    const reply = JSON.parse(
      await this.request('query', query.queryId, query),
    ) as QueryReply;
    if (reply.status === 'ok') return reply.result;
    throw new CommandRefusedError(reply.code as ErrorCode, reply.message, null);
  }

  private async request(
    kind: MessageKind,
    id: string,
    body: unknown,
  ): Promise<string> {
    this.listening ??= this.listen();
    const text = JSON.stringify(body);
    const attempts = (this.options.retries ?? 2) + 1;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const reply = this.replyTo(id);
      await this.send(kind, text);
      const answered = await reply;
      if (answered !== null) return answered;
    }
    throw new BusTimeoutError(id, attempts);
  }

  private replyTo(id: string): Promise<string | null> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters.delete(id);
        resolve(null);
      }, this.options.timeoutMs ?? 5000);
      this.waiters.set(id, {
        resolve: (body) => {
          clearTimeout(timer);
          this.waiters.delete(id);
          resolve(body);
        },
      });
    });
  }

  private async send(kind: MessageKind, body: string): Promise<void> {
    const message = sign(
      {
        kind,
        body,
        replyTo: this.replyStream,
        keyId: this.options.keyId,
        issuedAt: String(Date.now()),
      },
      this.secret,
    );
    await this.writer.xadd(
      this.streams.commands,
      '*',
      ...flatten({ ...message }),
    );
  }

  private closed(): boolean {
    return !this.open;
  }

  private async listen(): Promise<void> {
    while (this.open) {
      try {
        const entries = await this.reader.xread(
          'BLOCK',
          1000,
          'STREAMS',
          this.replyStream,
          this.lastReplyId,
        );
        for (const [id, flat] of entries?.[0]?.[1] ?? []) {
          this.lastReplyId = id;
          const { inReplyTo, body } = fieldsOf(flat);
          if (inReplyTo !== undefined && body !== undefined)
            this.waiters.get(inReplyTo)?.resolve(body);
        }
      } catch {
        if (this.closed()) return;
        // Redis is away: look again shortly rather than spin.
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  }
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
