import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

import type { KeyStore } from './key-store.port.js';
import { PersonalDataError } from './key-store.port.js';

/** The key under which an encrypted value is stored in place of the value. */
export const ENCRYPTED_KEY = '$encrypted';

const ALGORITHM = 'aes-256-gcm';
const SCHEME = 'aes-256-gcm:';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** What the cipher needs to know of the data it protects. */
export interface PersonalDataPolicy {
  /** The subject (organization) a stream belongs to, or null for none. */
  subjectOf(streamId: string): string | null;
  /** The dotted paths of personal values in an event of this type. */
  personalFieldsOf(type: string): readonly string[];
  /** What a value shows once its subject's key is destroyed. */
  readonly erased: unknown;
}

/** A value as stored: its JSON, encrypted, authenticated with the context. */
export interface EncryptedValue {
  readonly [ENCRYPTED_KEY]: string;
}

/**
 * Encrypts personal values with their subject's key (AES-256-GCM, a fresh
 * 96-bit IV per value, the context as additional data so a value cannot be
 * moved to another event or subject) and decrypts them, or shows them as
 * erased once the key is destroyed.
 */
export class PersonalDataCipher {
  constructor(
    readonly keys: KeyStore,
    readonly policy: PersonalDataPolicy,
  ) {}

  /**
   * The data with each personal value that is present and not null
   * replaced by its encryption; the data itself when it holds none.
   */
  async seal(
    streamId: string,
    event: {
      readonly id: string;
      readonly type: string;
      readonly data: unknown;
    },
  ): Promise<unknown> {
    const paths = this.policy.personalFieldsOf(event.type);
    if (paths.length === 0 || !holdsAny(event.data, paths)) return event.data;
    const subject = this.subjectOf(streamId);
    const key = await this.keys.keyFor(subject);
    if (key === null) {
      throw new PersonalDataError(
        `the key of ${subject} is destroyed; personal data cannot be stored for it`,
      );
    }
    const context = eventContext(subject, event.id);
    let data = event.data;
    for (const path of paths) {
      data = mapAt(data, path.split('.'), (value) =>
        encrypt(key, context, value),
      );
    }
    return data;
  }

  /** The data with every encrypted value decrypted, or erased. */
  async open(
    streamId: string,
    event: { readonly id: string; readonly data: unknown },
  ): Promise<unknown> {
    if (!containsEncrypted(event.data)) return event.data;
    const subject = this.subjectOf(streamId);
    const keys = await this.keys.keysOf([subject]);
    return this.openWith(keys.get(subject), subject, event);
  }

  /**
   * Decrypts many events at once, reading each subject's key once. Events
   * of streams without a subject are returned as they are.
   */
  async openAll<
    E extends {
      readonly id: string;
      readonly streamId: string;
      readonly data: unknown;
    },
  >(events: readonly E[]): Promise<E[]> {
    const sealed = events.filter((event) => containsEncrypted(event.data));
    if (sealed.length === 0) return [...events];
    const subjects = [
      ...new Set(sealed.map((event) => this.subjectOf(event.streamId))),
    ];
    const keys = await this.keys.keysOf(subjects);
    return events.map((event) => {
      if (!containsEncrypted(event.data)) return event;
      const subject = this.subjectOf(event.streamId);
      return {
        ...event,
        data: this.openWith(keys.get(subject), subject, event),
      };
    });
  }

  /** A whole value (a snapshot's state) encrypted under the subject's key. */
  async sealWhole(
    subject: string,
    context: string,
    value: unknown,
  ): Promise<EncryptedValue | null> {
    const key = await this.keys.keyFor(subject);
    if (key === null) return null;
    return encrypt(key, `${subject}\n${context}`, value);
  }

  /** The value {@link sealWhole} encrypted; null once the key is destroyed. */
  async openWhole(
    subject: string,
    context: string,
    sealed: unknown,
  ): Promise<{ value: unknown } | null> {
    if (!isEncrypted(sealed)) {
      throw new PersonalDataError(`a value of ${subject} is not encrypted`);
    }
    const keys = await this.keys.keysOf([subject]);
    const key = keys.get(subject);
    if (key === undefined || key === null) return null;
    return { value: decrypt(key, `${subject}\n${context}`, sealed) };
  }

  private openWith(
    key: Buffer | null | undefined,
    subject: string,
    event: { readonly id: string; readonly data: unknown },
  ): unknown {
    if (key === undefined) {
      throw new PersonalDataError(
        `event ${event.id} holds encrypted values but ${subject} has no key`,
      );
    }
    const context = eventContext(subject, event.id);
    return mapEncrypted(event.data, (sealed) =>
      key === null ? this.policy.erased : decrypt(key, context, sealed),
    );
  }

  private subjectOf(streamId: string): string {
    const subject = this.policy.subjectOf(streamId);
    if (subject === null) {
      throw new PersonalDataError(
        `stream ${streamId} belongs to no subject, so it cannot hold personal data`,
      );
    }
    return subject;
  }
}

/** The key for a new subject: 256 random bits. */
export function newDataKey(): Buffer {
  return randomBytes(32);
}

function eventContext(subject: string, eventId: string): string {
  return `${subject}\n${eventId}`;
}

function encrypt(key: Buffer, context: string, value: unknown): EncryptedValue {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv, {
    authTagLength: TAG_BYTES,
  });
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const body = Buffer.concat([
    cipher.update(JSON.stringify(value), 'utf8'),
    cipher.final(),
  ]);
  const sealed = Buffer.concat([iv, cipher.getAuthTag(), body]);
  return { [ENCRYPTED_KEY]: SCHEME + sealed.toString('base64') };
}

function decrypt(key: Buffer, context: string, value: EncryptedValue): unknown {
  const text = value[ENCRYPTED_KEY];
  if (!text.startsWith(SCHEME)) {
    throw new PersonalDataError(
      `unknown encryption scheme in ${text.slice(0, 16)}`,
    );
  }
  const sealed = Buffer.from(text.slice(SCHEME.length), 'base64');
  if (sealed.length < IV_BYTES + TAG_BYTES) {
    throw new PersonalDataError('an encrypted value is too short');
  }
  try {
    const decipher = createDecipheriv(
      ALGORITHM,
      key,
      sealed.subarray(0, IV_BYTES),
      { authTagLength: TAG_BYTES },
    );
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    const plain = Buffer.concat([
      decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)),
      decipher.final(),
    ]);
    return JSON.parse(plain.toString('utf8'));
  } catch (error: unknown) {
    throw new PersonalDataError(
      'an encrypted value does not decrypt: it was changed, moved or its key replaced',
      { cause: error },
    );
  }
}

function isEncrypted(value: unknown): value is EncryptedValue {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return false;
  const keys = Object.keys(value);
  return (
    keys.length === 1 &&
    keys[0] === ENCRYPTED_KEY &&
    typeof (value as Record<string, unknown>)[ENCRYPTED_KEY] === 'string'
  );
}

function containsEncrypted(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (isEncrypted(value)) return true;
  return Object.values(value).some(containsEncrypted);
}

function mapEncrypted(
  value: unknown,
  change: (sealed: EncryptedValue) => unknown,
): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (isEncrypted(value)) return change(value);
  if (Array.isArray(value))
    return value.map((item) => mapEncrypted(item, change));
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      key,
      mapEncrypted(item, change),
    ]),
  );
}

function holdsAny(data: unknown, paths: readonly string[]): boolean {
  return paths.some((path) => {
    let value = data;
    for (const key of path.split('.')) {
      if (typeof value !== 'object' || value === null) return false;
      value = (value as Record<string, unknown>)[key];
    }
    return value !== undefined && value !== null;
  });
}

// A copy of `value` with the non-null value at `path` changed; `value`
// itself when the path is absent.
function mapAt(
  value: unknown,
  path: readonly string[],
  change: (value: unknown) => unknown,
): unknown {
  const [head, ...rest] = path;
  if (head === undefined || typeof value !== 'object' || value === null)
    return value;
  const record = value as Record<string, unknown>;
  if (!Object.hasOwn(record, head)) return value;
  const inner = record[head];
  if (rest.length === 0) {
    return inner === null || inner === undefined
      ? value
      : { ...record, [head]: change(inner) };
  }
  return { ...record, [head]: mapAt(inner, rest, change) };
}
