import { readFileSync } from 'node:fs';

/** The service a bus key stands for. */
export interface BusKey {
  readonly keyId: string;
  readonly secret: Buffer;
  readonly service: string;
}

const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;
const SERVICE = /^[\x21-\x7e]{1,128}$/;

/**
 * Bus signing keys by id. The file is a JSON list of
 * `{ "keyId": "devices-1", "secret": "<base64, at least 32 bytes>", "service": "devices-service" }`.
 */
export class BusKeyRing {
  private constructor(private readonly keys: ReadonlyMap<string, BusKey>) {}

  static fromJson(text: string, source: string): BusKeyRing {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new Error(`${source}: not valid JSON`);
    }
    if (!Array.isArray(parsed))
      throw new Error(`${source}: must be a list of keys`);
    const keys = parsed.map((entry, i) => toKey(entry, `${source}[${i}]`));
    return new BusKeyRing(new Map(keys.map((key) => [key.keyId, key])));
  }

  static fromFile(file: string): BusKeyRing {
    return BusKeyRing.fromJson(readFileSync(file, 'utf8'), file);
  }

  find(keyId: string): BusKey | undefined {
    return this.keys.get(keyId);
  }
}

function toKey(value: unknown, where: string): BusKey {
  const entry = value as {
    keyId?: unknown;
    secret?: unknown;
    service?: unknown;
  } | null;
  if (typeof entry?.keyId !== 'string' || !KEY_ID.test(entry.keyId)) {
    throw new Error(
      `${where}.keyId: 1 to 64 characters of A-Z, a-z, 0-9, ".", "_", "-"`,
    );
  }
  const secret =
    typeof entry.secret === 'string'
      ? Buffer.from(entry.secret, 'base64')
      : null;
  if (secret === null || secret.length < 32) {
    throw new Error(`${where}.secret: base64 of at least 32 random bytes`);
  }
  if (typeof entry.service !== 'string' || !SERVICE.test(entry.service)) {
    throw new Error(
      `${where}.service: the name of the service the key stands for`,
    );
  }
  return { keyId: entry.keyId, secret, service: entry.service };
}
