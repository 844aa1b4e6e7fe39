import { describe, expect, it } from '@jest/globals';

import { checkOrganizationName } from './organization-name.js';

describe('checkOrganizationName', () => {
  it.each([
    ['the shortest name, 3 characters', 'abc'],
    ['digits only', '123'],
    ['inner hyphens', 'acme-iot-eu'],
    ['a hyphen right after the first character', 'a-b'],
    ['the longest name, 63 characters', `a${'b'.repeat(61)}c`],
  ])('accepts %s: %j', (_case, name) => {
    expect(checkOrganizationName(name)).toEqual({ ok: true, value: name });
  });

  it.each([
    ['Acme-IoT', 'acme-iot'],
    ['ACME', 'acme'],
    ['Eu-West-1', 'eu-west-1'],
  ])(
    'compares names case-insensitively: %j is the canonical %j',
    (name, canonical) => {
      expect(checkOrganizationName(name)).toEqual({
        ok: true,
        value: canonical,
      });
    },
  );

  it.each([
    ['an empty name', ''],
    ['2 characters', 'ab'],
    ['64 characters', 'a'.repeat(64)],
  ])('refuses %s: names have 3 to 63 characters', (_case, name) => {
    expect(checkOrganizationName(name)).toEqual({
      ok: false,
      problem: 'must have 3 to 63 characters',
    });
  });

  it.each([
    ['a leading hyphen', '-acme'],
    ['a trailing hyphen', 'acme-'],
    ['only hyphens', '---'],
    ['an underscore', 'acme_iot'],
    ['a dot', 'acme.iot'],
    ['a space', 'acme iot'],
    ['surrounding spaces', ' acme '],
    ['a letter outside a-z', 'acm\u00e9'],
    ['a Cyrillic look-alike', '\u0430cme'],
    ['a Turkish dotted capital I', '\u0130ot-hub'],
    ['a Kelvin sign that lower-cases to k', 'acme-\u212a'],
  ])('refuses %s: only a-z, 0-9 and inner hyphens, %j', (_case, name) => {
    expect(checkOrganizationName(name).ok).toBe(false);
  });
});
