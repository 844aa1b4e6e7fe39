import { createHmac, timingSafeEqual } from 'node:crypto';

/** Redis keys of the bus, under one prefix (default `organizations`). */
export interface BusStreams {
  readonly commands: string;
  readonly deadLetters: string;
  readonly events: string;
  replies(clientId: string): string;
}

export function busStreams(prefix = 'organizations'): BusStreams {
  return {
    commands: `${prefix}:commands`,
    deadLetters: `${prefix}:commands:dead`,
    events: `${prefix}:events`,
    replies: (clientId) => `${prefix}:replies:${clientId}`,
  };
}

/** A request on the bus: a command envelope, or a query. */
export type MessageKind = 'command' | 'query';

/** The fields of a request entry in the commands stream. */
export interface SignedMessage {
  readonly kind: MessageKind;
  /** The JSON text of the envelope or query, exactly as signed. */
  readonly body: string;
  /** The stream the reply goes to. */
  readonly replyTo: string;
  readonly keyId: string;
  /** Unix milliseconds when the sender signed it. */
  readonly issuedAt: string;
  /** Hex HMAC-SHA256 of {@link signedText} with the key's secret. */
  readonly signature: string;
}

/** The fields of a reply entry. */
export interface ReplyMessage {
  /** The command id or query id it answers. */
  readonly inReplyTo: string;
  readonly body: string;
}

/** A query sent over the bus, answered like its HTTP counterpart. */
export type BusQuery =
  | {
      readonly queryId: string;
      readonly query: 'organization';
      readonly orgId: string;
    }
  | {
      readonly queryId: string;
      readonly query: 'organizationAt';
      readonly orgId: string;
      readonly revision?: number;
      readonly at?: string;
    }
  | {
      readonly queryId: string;
      readonly query: 'audit';
      /** Audit filters, as the HTTP route takes them. */
      readonly orgId?: string;
      readonly actor?: string;
      readonly type?: readonly string[];
      readonly from?: string;
      readonly to?: string;
      readonly order?: 'newest' | 'oldest';
      readonly limit?: number;
      readonly cursor?: string;
    };

export type QueryReply =
  | {
      readonly status: 'ok';
      readonly queryId: string;
      readonly result: unknown;
    }
  | {
      readonly status: 'rejected';
      readonly queryId: string;
      readonly code: string;
      readonly message: string;
    };

/** Everything the signature covers: a reply address or kind cannot be swapped. */
export function signedText(message: Omit<SignedMessage, 'signature'>): string {
  const { kind, replyTo, keyId, issuedAt, body } = message;
  return ['v1', keyId, issuedAt, kind, replyTo, body].join('\n');
}

export function sign(
  message: Omit<SignedMessage, 'signature'>,
  secret: Buffer,
): SignedMessage {
  const signature = createHmac('sha256', secret)
    .update(signedText(message))
    .digest('hex');
  return { ...message, signature };
}

/** Whether the signature is the key's, compared in constant time. */
export function hasValidSignature(
  message: SignedMessage,
  secret: Buffer,
): boolean {
  const expected = createHmac('sha256', secret)
    .update(signedText(message))
    .digest();
  const given = Buffer.from(
    /^[0-9a-f]{64}$/.test(message.signature) ? message.signature : '',
    'hex',
  );
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Turns a Redis stream entry's flat field list into a record. */
export function fieldsOf(flat: readonly string[]): Record<string, string> {
  const fields: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) {
    const key = flat[i];
    const value = flat[i + 1];
    if (
      key !== undefined &&
      value !== undefined &&
      !Object.hasOwn(fields, key)
    ) {
      fields[key] = value;
    }
  }
  return fields;
}

export function flatten(fields: Readonly<Record<string, string>>): string[] {
  return Object.entries(fields).flat();
}
