import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import type { Actor } from '@org/domain';

interface TokenEntry {
  readonly digest: Buffer;
  readonly actor: Actor;
}

const HEX_DIGEST = /^[0-9a-f]{64}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ACTOR_ID = /^[\x21-\x7e]{1,128}$/;

/** The file the embedded default creates on first start when no tokens file is configured. */
export const FIRST_START_TOKENS_FILE = 'auth-tokens.json';

/** Finds the actor a bearer token stands for. */
export abstract class TokenResolver {
  abstract resolve(token: string): Actor | null;
}

/**
 * Bearer tokens and the actors they stand for. Only SHA-256 digests of the
 * tokens are held, and they are compared in constant time.
 */
export class TokenRegistry extends TokenResolver {
  private constructor(private readonly entries: readonly TokenEntry[]) {
    super();
  }

  static fromJson(text: string, source: string): TokenRegistry {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new Error(`${source}: not valid JSON`);
    }
    if (!Array.isArray(parsed)) {
      throw new Error(
        `${source}: must be a list of { "sha256": "...", "actor": { ... } }`,
      );
    }
    return new TokenRegistry(
      parsed.map((entry, i) => toEntry(entry, `${source}[${i}]`)),
    );
  }

  static fromFile(file: string): TokenRegistry {
    return TokenRegistry.fromJson(readFileSync(file, 'utf8'), file);
  }

  /** The actor whose token this is, or `null`. Every entry is compared, so timing tells nothing. */
  override resolve(token: string): Actor | null {
    const digest = sha256(token);
    let found: Actor | null = null;
    for (const entry of this.entries) {
      if (timingSafeEqual(entry.digest, digest)) found = entry.actor;
    }
    return found;
  }

  get size(): number {
    return this.entries.length;
  }
}

export function sha256Hex(token: string): string {
  return sha256(token).toString('hex');
}

export interface FirstStartResult {
  readonly registry: TokenRegistry;
  /** The new support token, present only on the start that created it. */
  readonly createdToken: string | null;
  readonly file: string;
}

/**
 * The embedded default's tokens: on first start a support token is created
 * and only its digest stored in the data folder; the token itself is returned
 * once for the caller to print.
 */
export function firstStartTokens(dataDir: string): FirstStartResult {
  const file = join(dataDir, FIRST_START_TOKENS_FILE);
  if (existsSync(file)) {
    return { registry: TokenRegistry.fromFile(file), createdToken: null, file };
  }
  mkdirSync(dataDir, { recursive: true });
  const token = `org_${randomBytes(32).toString('base64url')}`;
  const entries = [
    {
      sha256: sha256Hex(token),
      actor: { type: 'support', id: 'first-start-admin' },
    },
  ];
  writeFileSync(file, `${JSON.stringify(entries, null, 2)}\n`, {
    mode: 0o600,
    flag: 'wx',
  });
  return { registry: TokenRegistry.fromFile(file), createdToken: token, file };
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

function toEntry(value: unknown, where: string): TokenEntry {
  const entry = value as { sha256?: unknown; actor?: unknown } | null;
  if (typeof entry?.sha256 !== 'string' || !HEX_DIGEST.test(entry.sha256)) {
    throw new Error(
      `${where}.sha256: must be the hex SHA-256 digest of the token (64 characters)`,
    );
  }
  return {
    digest: Buffer.from(entry.sha256, 'hex'),
    actor: toActor(entry.actor, `${where}.actor`),
  };
}

function toActor(value: unknown, where: string): Actor {
  const actor = value as {
    type?: unknown;
    id?: unknown;
    orgId?: unknown;
  } | null;
  if (typeof actor?.id !== 'string' || !ACTOR_ID.test(actor.id)) {
    throw new Error(`${where}.id: must be 1 to 128 visible ASCII characters`);
  }
  const { id } = actor;
  switch (actor.type) {
    case 'support':
    case 'sales':
    case 'service':
      return { type: actor.type, id };
    case 'user':
      if (typeof actor.orgId !== 'string' || !UUID.test(actor.orgId)) {
        throw new Error(
          `${where}.orgId: a user actor needs the UUID of its organization`,
        );
      }
      return { type: 'user', id, orgId: actor.orgId };
    default:
      throw new Error(`${where}.type: must be support, sales, user or service`);
  }
}
