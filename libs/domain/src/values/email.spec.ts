import { describe, expect, it } from '@jest/globals';

import { checkEmail } from './email.js';

const LOCAL_64 = 'l'.repeat(64);
const LABEL_63 = 'd'.repeat(63);

describe('checkEmail', () => {
  it.each([
    'ops@acme.example',
    'first.last@acme.example',
    'ops+alerts@acme.example',
    "o'brien@acme.example",
    'ops@eu-west.billing.acme.example',
    'ops@acme.xn--p1ai',
    '123@4.example',
    `${LOCAL_64}@acme.example`,
    `ops@${LABEL_63}.example`,
  ])('accepts the deliverable address %j', (address) => {
    expect(checkEmail(address)).toEqual({ ok: true, value: address });
  });

  it('lower-cases the domain and keeps the local part as given', () => {
    expect(checkEmail('Ops.Team@ACME.Example')).toEqual({
      ok: true,
      value: 'Ops.Team@acme.example',
    });
  });

  it('trims surrounding whitespace', () => {
    expect(checkEmail('  ops@acme.example\n')).toEqual({
      ok: true,
      value: 'ops@acme.example',
    });
  });

  it.each([
    ['an empty string', ''],
    ['no @', 'ops.acme.example'],
    ['nothing before the @', '@acme.example'],
  ])('refuses %s: %j is no e-mail address', (_case, address) => {
    expect(checkEmail(address)).toEqual({
      ok: false,
      problem: 'must be an e-mail address such as ops@example.com',
    });
  });

  it.each([
    ['a leading dot', '.ops@acme.example'],
    ['a trailing dot', 'ops.@acme.example'],
    ['two dots in a row', 'o..ps@acme.example'],
    ['a second @', 'o@ps@acme.example'],
    ['a space', 'o ps@acme.example'],
    ['a quoted local part', '"o ps"@acme.example'],
    ['a non-ASCII letter', 'jürgen@acme.example'],
    ['a control character', 'o\u0000ps@acme.example'],
    ['65 characters', `${LOCAL_64}l@acme.example`],
  ])('refuses a local part with %s: %j', (_case, address) => {
    expect(checkEmail(address)).toEqual({
      ok: false,
      problem: 'has an invalid part before the @',
    });
  });

  it.each([
    ['nothing after the @', 'ops@'],
    ['a single label', 'ops@localhost'],
    ['a trailing dot', 'ops@acme.example.'],
    ['an empty label', 'ops@acme..example'],
    ['a label starting with a hyphen', 'ops@-acme.example'],
    ['a label ending with a hyphen', 'ops@acme-.example'],
    ['an underscore', 'ops@ac_me.example'],
    ['a one-letter top-level domain', 'ops@acme.e'],
    ['a numeric top-level domain', 'ops@acme.123'],
    ['an IP literal', 'ops@[192.0.2.1]'],
    ['a bare IP address', 'ops@192.0.2.1'],
    ['a non-ASCII domain', 'ops@münchen.example'],
    ['a 64-character label', `ops@${LABEL_63}d.example`],
  ])('refuses a domain with %s: %j', (_case, address) => {
    expect(checkEmail(address)).toEqual({
      ok: false,
      problem: 'has an invalid domain after the @',
    });
  });

  it('refuses an address longer than 254 characters', () => {
    const domain = `${LABEL_63}.${LABEL_63}.${LABEL_63}.${'d'.repeat(51)}.example`;
    const address = `ops@${domain}`;

    expect(address.length).toBe(255);
    expect(checkEmail(address)).toEqual({
      ok: false,
      problem: 'must have at most 254 characters',
    });
  });

  it('accepts an address of exactly 254 characters', () => {
    const domain = `${LABEL_63}.${LABEL_63}.${LABEL_63}.${'d'.repeat(50)}.example`;
    const address = `ops@${domain}`;

    expect(address.length).toBe(254);
    expect(checkEmail(address).ok).toBe(true);
  });
});
