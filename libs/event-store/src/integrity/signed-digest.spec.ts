import { describe, expect, it } from '@jest/globals';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';

import {
  publicKeyFingerprint,
  signDigest,
  verifyDigest,
} from './signed-digest.js';

function keyPair(): { privateKey: string; publicKey: string } {
  return generateKeyPairSync('ed25519', {
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
}

const HEADS = [
  { orgId: 'org-b', revision: 3, headHash: 'b'.repeat(64) },
  { orgId: 'org-a', revision: 0, headHash: 'a'.repeat(64) },
];
const AT = new Date('2026-01-02T03:04:05.000Z');

describe('signDigest and verifyDigest', () => {
  it('signs the heads, sorted, with the key fingerprint, and verifies', () => {
    const { privateKey, publicKey } = keyPair();

    const digest = signDigest(HEADS, privateKey, AT);

    expect(digest).toMatchObject({
      algorithm: 'Ed25519',
      createdAt: AT.toISOString(),
      organizations: [{ orgId: 'org-a' }, { orgId: 'org-b' }],
      publicKeyFingerprint: publicKeyFingerprint(publicKey),
    });
    expect(verifyDigest(digest, publicKey)).toEqual({ valid: true });
  });

  it('fails for a changed head, revision, time or dropped organization', () => {
    const { privateKey, publicKey } = keyPair();
    const digest = signDigest(HEADS, privateKey, AT);
    const [first, second] = digest.organizations;
    if (!first || !second) throw new Error('two heads expected');

    const tampered = [
      {
        ...digest,
        organizations: [{ ...first, headHash: 'c'.repeat(64) }, second],
      },
      { ...digest, organizations: [{ ...first, revision: 1 }, second] },
      { ...digest, createdAt: new Date(0).toISOString() },
      { ...digest, organizations: [second] },
    ];

    tampered.forEach((digest) => {
      expect(verifyDigest(digest, publicKey)).toEqual({
        valid: false,
        reason: 'the signature does not match the digest',
      });
    });
  });

  it('fails for another key, a garbled signature or an unreadable key', () => {
    const { privateKey } = keyPair();
    const other = keyPair();
    const digest = signDigest(HEADS, privateKey, AT);

    expect(verifyDigest(digest, other.publicKey)).toMatchObject({
      valid: false,
      reason: 'signed with another key',
    });
    expect(
      verifyDigest(
        {
          ...digest,
          publicKeyFingerprint: publicKeyFingerprint(other.publicKey),
        },
        other.publicKey,
      ),
    ).toMatchObject({ valid: false });
    expect(
      verifyDigest(
        { ...digest, signature: 'garbled' },
        publicKeyOf(privateKey),
      ),
    ).toMatchObject({ valid: false });
    expect(verifyDigest(digest, 'not a key')).toMatchObject({ valid: false });
  });
});

function publicKeyOf(privateKeyPem: string): string {
  return createPublicKey(privateKeyPem)
    .export({ type: 'spki', format: 'pem' })
    .toString();
}
