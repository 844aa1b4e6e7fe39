import type { BusKeyRing } from '../keys.js';
import {
  hasValidSignature,
  type MessageKind,
  type SignedMessage,
} from '../protocol.js';

/** Why a request was refused before it reached a handler. */
export type RefusalReason =
  'malformed' | 'unsigned' | 'unknown_key' | 'bad_signature' | 'stale';

/** A request whose signature and age were checked, with the service that sent it. */
export interface VerifiedRequest {
  readonly kind: MessageKind;
  readonly body: unknown;
  readonly service: string;
  readonly keyId: string;
}

export type Verification =
  | { readonly ok: true; readonly request: VerifiedRequest }
  | {
      readonly ok: false;
      readonly reason: RefusalReason;
      readonly message: string;
    };

export interface VerifyOptions {
  readonly keys: BusKeyRing;
  readonly now: number;
  /** How old a signature may be. */
  readonly maxAgeMs: number;
  /** How far ahead of this clock a signature may be dated. */
  readonly maxSkewMs: number;
}

/**
 * Checks a request entry: well formed, signed by a known key, recently. A
 * replayed request inside the age window does no harm: commands are
 * idempotent by id.
 */
export function verify(
  fields: Readonly<Record<string, string>>,
  options: VerifyOptions,
): Verification {
  const message = asMessage(fields);
  if (message === null)
    return refused('malformed', 'the entry lacks kind, body or replyTo');
  if (message.signature === '' || message.keyId === '') {
    return refused('unsigned', 'sign every request with a bus key');
  }
  const key = options.keys.find(message.keyId);
  if (key === undefined)
    return refused('unknown_key', 'the key id is not known to the service');
  if (!hasValidSignature(message, key.secret)) {
    return refused('bad_signature', 'the signature does not match the request');
  }
  const issuedAt = Number(message.issuedAt);
  const age = options.now - issuedAt;
  if (
    !Number.isSafeInteger(issuedAt) ||
    age > options.maxAgeMs ||
    -age > options.maxSkewMs
  ) {
    return refused(
      'stale',
      'the request is too old or dated in the future; sign it again',
    );
  }
  const body = parseJson(message.body);
  if (body === undefined) return refused('malformed', 'the body is not JSON');
  return {
    ok: true,
    request: {
      kind: message.kind,
      body,
      service: key.service,
      keyId: key.keyId,
    },
  };
}

function asMessage(
  fields: Readonly<Record<string, string>>,
): SignedMessage | null {
  const { kind, body, replyTo } = fields;
  if (
    (kind !== 'command' && kind !== 'query') ||
    body === undefined ||
    replyTo === undefined
  ) {
    return null;
  }
  return {
    kind,
    body,
    replyTo,
    keyId: fields.keyId ?? '',
    issuedAt: fields.issuedAt ?? '',
    signature: fields.signature ?? '',
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function refused(reason: RefusalReason, message: string): Verification {
  return { ok: false, reason, message };
}
