import { describe, expect, it } from '@jest/globals';

import { checkCurrency } from './currency.js';

describe('checkCurrency', () => {
  it.each(['EUR', 'USD', 'JPY', 'CHF'])(
    'accepts the ISO 4217 code %s',
    (code) => {
      expect(checkCurrency(code)).toEqual({ ok: true, value: code });
    },
  );

  it.each([
    ['eur', 'EUR'],
    ['Usd', 'USD'],
  ])('upper-cases %j to the canonical code %j', (code, canonical) => {
    expect(checkCurrency(code)).toEqual({ ok: true, value: canonical });
  });

  it.each([
    ['an empty code', ''],
    ['two letters', 'EU'],
    ['four letters', 'EURO'],
    ['a digit', 'E1R'],
    ['a numeric ISO 4217 code', '978'],
    ['a currency sign', '€'],
    ['surrounding spaces', ' EUR '],
    ['a letter outside A-Z', 'ÉUR'],
  ])('refuses %s: %j is not a three-letter code', (_case, code) => {
    expect(checkCurrency(code)).toEqual({
      ok: false,
      problem: 'must be an ISO 4217 code of three letters such as EUR',
    });
  });

  it.each([
    ['a dotless i that upper-cases to I', '\u0131dr'],
    ['a sharp s that upper-cases to SS', 'e\u00df'],
  ])('refuses %s before upper-casing', (_case, code) => {
    expect(checkCurrency(code).ok).toBe(false);
  });

  it.each(['XYZ', 'XXX', 'XAU', 'ABC'])(
    'refuses %s: three letters that are not an active currency',
    (code) => {
      expect(checkCurrency(code)).toEqual({
        ok: false,
        problem: `${code} is not an active ISO 4217 currency`,
      });
    },
  );
});
