import { generateKeyPairSync } from 'node:crypto';

import { describe, expect, it } from '@jest/globals';
import {
  type ChainedEvent,
  GENESIS_HASH,
  hashEvent,
  type SignedDigest,
  signDigest,
} from '@org/event-store';

import { CliError } from '../cli/errors.js';
import {
  HISTORY_FORMAT,
  type HistoryFile,
  parseDigestFile,
  parseHistoryFile,
} from './integrity-files.js';
import { verifyOffline } from './offline-verification.js';

const ORG_ID = '0192f6c3-0000-7000-8000-000000000001';
const STREAM = `organization-${ORG_ID}`;

function keys() {
  return generateKeyPairSync('ed25519', {
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
}

const key = keys();

/** Events chained as the store chains them; data stands for ciphertext. */
function chained(count: number, from = 0, prev = GENESIS_HASH): ChainedEvent[] {
  const events: ChainedEvent[] = [];
  let prevHash = prev;
  for (let revision = from; revision < from + count; revision++) {
    const event = {
      streamId: STREAM,
      revision,
      id: `event-${revision}`,
      type: 'ProfileUpdated',
      schemaVersion: 1,
      data: { contactEmail: `enc:v1:${'ab'.repeat(8)}${revision}` },
      metadata: { orgId: ORG_ID, commandId: `c-${revision}` },
    };
    const hash = hashEvent(event, prevHash);
    events.push({
      ...event,
      metadata: { ...event.metadata, $prevHash: prevHash, $hash: hash },
    });
    prevHash = hash;
  }
  return events;
}

function history(events: readonly ChainedEvent[]): HistoryFile {
  return {
    format: HISTORY_FORMAT,
    orgId: ORG_ID,
    streamId: STREAM,
    exportedAt: '2026-12-01T10:00:00.000Z',
    events,
  };
}

function digestOf(
  events: readonly ChainedEvent[],
  privateKeyPem = key.privateKey,
): SignedDigest {
  const head = events.at(-1);
  if (head === undefined) throw new Error('no events');
  return signDigest(
    [
      {
        orgId: ORG_ID,
        revision: head.revision,
        headHash: head.metadata.$hash as string,
      },
      { orgId: 'another-org', revision: 0, headHash: 'f'.repeat(64) },
    ],
    privateKeyPem,
    new Date('2026-12-01T09:00:00Z'),
  );
}

function failures(result: ReturnType<typeof verifyOffline>) {
  return result.checks.filter((c) => !c.valid).map((c) => c.detail);
}

describe('offline verification of an exported history against a digest', () => {
  const events = chained(4);
  const digest = digestOf(events.slice(0, 3));

  it('holds for an untouched history, also one longer than the digest', () => {
    const result = verifyOffline(history(events), digest, key.publicKey);

    expect(result.valid).toBe(true);
    expect(result.checks.map((c) => [c.check, c.valid])).toEqual([
      ['digest', true],
      ['chain', true],
      ['head', true],
    ]);
  });

  it('names the first changed event of the history', () => {
    const changed = events.map((e) =>
      e.revision === 1 ? { ...e, data: { contactEmail: 'enc:v1:forged' } } : e,
    );

    const result = verifyOffline(history(changed), digest, key.publicKey);

    expect(result.valid).toBe(false);
    expect(failures(result)).toEqual([
      expect.stringMatching(/^history revision 1: .*does not match its hash/),
    ]);
  });

  it('names the missing revision of a history cut short', () => {
    const result = verifyOffline(
      history(events.slice(0, 2)),
      digest,
      key.publicKey,
    );

    expect(failures(result)).toEqual([
      "revision 2: the history ends at revision 1 but the digest's head is at revision 2 (events were removed)",
    ]);
  });

  it('sees a history rewritten from a revision on with recomputed hashes', () => {
    const forged = rechain(
      events.map((e) => (e.revision >= 1 ? { ...e, id: `${e.id}-forged` } : e)),
    );

    const result = verifyOffline(history(forged), digest, key.publicKey);

    expect(failures(result)).toEqual([
      expect.stringMatching(/^revision 2: the history's hash/),
    ]);
  });

  it('refuses a digest signed with another key, or altered', () => {
    const other = keys();
    const foreign = digestOf(events.slice(0, 3), other.privateKey);
    const altered: SignedDigest = {
      ...digest,
      createdAt: '2026-12-02T09:00:00.000Z',
    };

    expect(
      failures(verifyOffline(history(events), foreign, key.publicKey)),
    ).toEqual(['digest: signed with another key']);
    expect(
      failures(verifyOffline(history(events), altered, key.publicKey)),
    ).toEqual(['digest: the signature does not match the digest']);
  });

  it('fails when the digest holds no head for the organization', () => {
    const elsewhere = signDigest(
      [{ orgId: 'another-org', revision: 0, headHash: 'f'.repeat(64) }],
      key.privateKey,
      new Date('2026-12-01T09:00:00Z'),
    );

    expect(
      failures(verifyOffline(history(events), elsewhere, key.publicKey)),
    ).toEqual([
      expect.stringContaining(`holds no head for organization ${ORG_ID}`),
    ]);
  });
});

describe('the files of offline verification', () => {
  it('reads what it wrote', () => {
    const file = history(chained(2));
    const digest = digestOf(file.events);

    expect(parseHistoryFile(JSON.stringify(file), 'h.json')).toEqual(file);
    expect(parseDigestFile(JSON.stringify(digest), 'd.json')).toEqual(digest);
  });

  it.each([
    ['not JSON', '{', 'it is not valid JSON'],
    ['another format', '{"format":"x"}', 'not a history export'],
    [
      'an event of another stream',
      JSON.stringify({
        ...history(chained(1)),
        events: [{ ...chained(1)[0], streamId: 'organization-other' }],
      }),
      'event #0 is malformed or of another stream',
    ],
  ])('fails verification (exit 1) for a history that is %s', (_, text, why) => {
    let error: unknown;
    try {
      parseHistoryFile(text, 'h.json');
    } catch (caught: unknown) {
      error = caught;
    }

    expect(error).toBeInstanceOf(CliError);
    expect(error).toMatchObject({ exitCode: 1 });
    expect((error as Error).message).toContain(why);
  });

  it('refuses a digest file without a signature', () => {
    expect(() => parseDigestFile('{"createdAt":"x"}', 'd.json')).toThrow(
      'd.json cannot be verified: it is not a signed digest',
    );
  });
});

/** Recomputes every hash after the first event, as a forger would. */
function rechain(events: readonly ChainedEvent[]): ChainedEvent[] {
  const [first, ...rest] = events;
  if (first === undefined) return [];
  const out = [first];
  let prev = first.metadata.$hash as string;
  for (const event of rest) {
    const { $prevHash: _p, $hash: _h, ...metadata } = event.metadata;
    const bare = { ...event, metadata };
    const hash = hashEvent(bare, prev);
    out.push({
      ...bare,
      metadata: { ...metadata, $prevHash: prev, $hash: hash },
    });
    prev = hash;
  }
  return out;
}
