import { randomBytes } from 'node:crypto';

import { describe, expect, it } from '@jest/globals';

import { BusKeyRing } from '../keys.js';
import { sign } from '../protocol.js';
import { verify } from './verify.js';

const secret = randomBytes(32);
const keys = BusKeyRing.fromJson(
  JSON.stringify([
    { keyId: 'k1', secret: secret.toString('base64'), service: 'billing' },
  ]),
  'keys',
);
const NOW = 1_800_000_000_000;
const options = { keys, now: NOW, maxAgeMs: 300_000, maxSkewMs: 60_000 };

function signed(overrides: { issuedAt?: number; body?: string } = {}) {
  return sign(
    {
      kind: 'command',
      body: overrides.body ?? '{"commandId":"c-1"}',
      replyTo: 'organizations:replies:client-1',
      keyId: 'k1',
      issuedAt: String(overrides.issuedAt ?? NOW),
    },
    secret,
  );
}

describe('verify', () => {
  it('accepts a fresh request signed by a known key, naming its service', () => {
    expect(verify({ ...signed() }, options)).toEqual({
      ok: true,
      request: {
        kind: 'command',
        body: { commandId: 'c-1' },
        service: 'billing',
        keyId: 'k1',
      },
    });
  });

  it.each([
    ['malformed', { kind: 'shout' }],
    ['unsigned', { signature: '' }],
    ['unknown_key', { keyId: 'k2' }],
    ['bad_signature', { body: '{"commandId":"c-2"}' }],
    ['bad_signature', { replyTo: 'organizations:replies:attacker' }],
    ['bad_signature', { kind: 'query' }],
  ])('refuses as %s a request with %j', (reason, change) => {
    expect(verify({ ...signed(), ...change }, options)).toMatchObject({
      ok: false,
      reason,
    });
  });

  it.each([
    ['older than the maximum age', NOW - 300_001],
    ['dated too far ahead', NOW + 60_001],
  ])('refuses as stale a request %s', (_case, issuedAt) => {
    expect(verify({ ...signed({ issuedAt }) }, options)).toMatchObject({
      ok: false,
      reason: 'stale',
    });
  });

  it('refuses a signed body that is not JSON as malformed', () => {
    expect(verify({ ...signed({ body: 'not json' }) }, options)).toMatchObject({
      ok: false,
      reason: 'malformed',
    });
  });
});

describe('BusKeyRing', () => {
  it.each([
    [
      'a short secret',
      [{ keyId: 'k', secret: 'c2hvcnQ=', service: 's' }],
      'secret',
    ],
    [
      'a bad key id',
      [{ keyId: 'k 1', secret: secret.toString('base64'), service: 's' }],
      'keyId',
    ],
    [
      'no service',
      [{ keyId: 'k', secret: secret.toString('base64') }],
      'service',
    ],
  ])('refuses a keys file with %s', (_case, entries, field) => {
    expect(() => BusKeyRing.fromJson(JSON.stringify(entries), 'keys')).toThrow(
      field,
    );
  });
});
