import {
  type ChainedEvent,
  publicKeyFingerprint,
  type SignedDigest,
  storedHashOf,
  verifyChain,
  verifyDigest,
} from '@org/event-store';

import type { HistoryFile } from './integrity-files.js';

/** One of the three things {@link verifyOffline} checks. */
export interface OfflineCheck {
  readonly check: 'digest' | 'chain' | 'head';
  readonly valid: boolean;
  readonly detail: string;
}

/** What `integrity verify-offline` found; valid only when every check holds. */
export interface OfflineVerification {
  readonly valid: boolean;
  readonly orgId: string;
  /** The fingerprint of the public key given, which the digest must name. */
  readonly publicKeyFingerprint: string | null;
  readonly digestCreatedAt: string;
  readonly checks: readonly OfflineCheck[];
}

/**
 * Verifies an exported history against a signed digest with the public key
 * only: the digest's signature and key fingerprint, the history's hash
 * chain, and that the history holds, at the digest's revision for this
 * organization, exactly the head hash the digest signed. Works on the
 * stored form alone (ciphertext stays ciphertext); nothing is decrypted or
 * fetched.
 */
export function verifyOffline(
  history: HistoryFile,
  digest: SignedDigest,
  publicKeyPem: string,
): OfflineVerification {
  const checks = [
    digestCheck(digest, publicKeyPem),
    chainCheck(history.events),
    headCheck(history, digest),
  ];
  return {
    valid: checks.every((c) => c.valid),
    orgId: history.orgId,
    publicKeyFingerprint: fingerprintOf(publicKeyPem),
    digestCreatedAt: digest.createdAt,
    checks,
  };
}

function digestCheck(digest: SignedDigest, publicKeyPem: string): OfflineCheck {
  const result = verifyDigest(digest, publicKeyPem);
  return result.valid
    ? {
        check: 'digest',
        valid: true,
        detail: `signed by key ${digest.publicKeyFingerprint.slice(0, 16)}… on ${digest.createdAt}`,
      }
    : { check: 'digest', valid: false, detail: `digest: ${result.reason}` };
}

function chainCheck(events: readonly ChainedEvent[]): OfflineCheck {
  const result = verifyChain(events);
  return result.valid
    ? {
        check: 'chain',
        valid: true,
        detail: `${result.count} events chained, head ${result.head.slice(0, 16)}…`,
      }
    : { check: 'chain', valid: false, detail: `history ${result.reason}` };
}

function headCheck(history: HistoryFile, digest: SignedDigest): OfflineCheck {
  const broken = (detail: string): OfflineCheck => ({
    check: 'head',
    valid: false,
    detail,
  });
  const entry = digest.organizations.find((e) => e.orgId === history.orgId);
  if (entry === undefined) {
    return broken(
      `the digest of ${digest.createdAt} holds no head for organization ` +
        `${history.orgId}: use a digest made after its creation`,
    );
  }
  const event = history.events[entry.revision];
  if (event === undefined) {
    const last = history.events.length - 1;
    return broken(
      `revision ${last + 1}: the history ends at revision ${last} but the ` +
        `digest's head is at revision ${entry.revision} (events were removed)`,
    );
  }
  const hash = storedHashOf(event.metadata);
  if (event.revision !== entry.revision || hash !== entry.headHash) {
    return broken(
      `revision ${entry.revision}: the history's hash ${String(hash)} is not ` +
        `the digest's head ${entry.headHash} (history rewritten)`,
    );
  }
  return {
    check: 'head',
    valid: true,
    detail: `revision ${entry.revision} carries the digest's head hash`,
  };
}

function fingerprintOf(publicKeyPem: string): string | null {
  try {
    return publicKeyFingerprint(publicKeyPem);
  } catch {
    return null;
  }
}
