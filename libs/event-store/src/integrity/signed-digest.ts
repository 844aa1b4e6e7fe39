import {
  createHash,
  createPrivateKey,
  createPublicKey,
  sign,
  verify,
} from 'node:crypto';
import type { KeyObject } from 'node:crypto';

import { canonicalJson } from './hash-chain.js';

/** One stream's chain head in a digest. */
export interface DigestEntry {
  readonly orgId: string;
  /** The revision of the stream's last event. */
  readonly revision: number;
  /** The `$hash` of that event. */
  readonly headHash: string;
}

/** What a digest states; its signature covers the canonical JSON of this. */
export interface DigestBody {
  /** When the digest was made (ISO 8601). */
  readonly createdAt: string;
  readonly organizations: readonly DigestEntry[];
  /** SHA-256 (hex) of the signing public key in SPKI DER form. */
  readonly publicKeyFingerprint: string;
}

/** A digest of chain heads, signed with Ed25519. */
export interface SignedDigest extends DigestBody {
  readonly algorithm: 'Ed25519';
  /** Base64 Ed25519 signature over the canonical JSON of the body. */
  readonly signature: string;
}

/** The outcome of {@link verifyDigest}. */
export type DigestVerification =
  { readonly valid: true } | { readonly valid: false; readonly reason: string };

/** SHA-256 (hex) of a public key's SPKI DER form. */
export function publicKeyFingerprint(publicKey: KeyObject | string): string {
  const key =
    typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
  const der = key.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex');
}

/**
 * Signs the chain heads with an Ed25519 private key (PEM, PKCS8). Entries
 * are sorted by organization id, so that equal heads give equal digests.
 */
export function signDigest(
  organizations: readonly DigestEntry[],
  privateKeyPem: string,
  createdAt: Date,
): SignedDigest {
  const privateKey = createPrivateKey(privateKeyPem);
  const body: DigestBody = {
    createdAt: createdAt.toISOString(),
    organizations: [...organizations].sort((a, b) =>
      a.orgId < b.orgId ? -1 : a.orgId > b.orgId ? 1 : 0,
    ),
    publicKeyFingerprint: publicKeyFingerprint(createPublicKey(privateKey)),
  };
  const signature = sign(null, Buffer.from(bodyText(body)), privateKey);
  return {
    ...body,
    algorithm: 'Ed25519',
    signature: signature.toString('base64'),
  };
}

/**
 * Checks a digest against the public key (PEM, SPKI) only: its fingerprint
 * and its signature over every other field. Pure apart from the crypto.
 */
export function verifyDigest(
  digest: SignedDigest,
  publicKeyPem: string,
): DigestVerification {
  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey(publicKeyPem);
  } catch {
    return { valid: false, reason: 'the public key is not a readable PEM key' };
  }
  // A digest read from a file may claim anything.
  const algorithm: string = digest.algorithm;
  if (algorithm !== 'Ed25519') {
    return {
      valid: false,
      reason: `unknown algorithm ${algorithm}`,
    };
  }
  if (digest.publicKeyFingerprint !== publicKeyFingerprint(publicKey)) {
    return { valid: false, reason: 'signed with another key' };
  }
  const body: DigestBody = {
    createdAt: digest.createdAt,
    organizations: digest.organizations,
    publicKeyFingerprint: digest.publicKeyFingerprint,
  };
  let ok: boolean;
  try {
    ok = verify(
      null,
      Buffer.from(bodyText(body)),
      publicKey,
      Buffer.from(digest.signature, 'base64'),
    );
  } catch {
    ok = false;
  }
  return ok
    ? { valid: true }
    : { valid: false, reason: 'the signature does not match the digest' };
}

function bodyText(body: DigestBody): string {
  return canonicalJson(body);
}
