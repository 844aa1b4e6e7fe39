import { describe, expect, it } from '@jest/globals';

import { changedFields, sameData } from './equal.js';

describe('sameData', () => {
  it.each([
    ['equal numbers', 1, 1],
    ['equal strings', 'a', 'a'],
    ['nulls', null, null],
    ['booleans', true, true],
    ['empty arrays', [], []],
    ['empty objects', {}, {}],
    ['arrays of equal items', [1, 'a', null], [1, 'a', null]],
    ['objects with keys in another order', { a: 1, b: 2 }, { b: 2, a: 1 }],
    [
      'nested plain data',
      { ranges: ['10.0.0.0/8'], rotation: { maxAgeDays: null, warn: 0 } },
      { rotation: { warn: 0, maxAgeDays: null }, ranges: ['10.0.0.0/8'] },
    ],
  ])('finds %s the same', (_case, a, b) => {
    expect(sameData(a, b)).toBe(true);
    expect(sameData(b, a)).toBe(true);
  });

  it.each([
    ['different numbers', 1, 2],
    ['a number and its text', 1, '1'],
    ['null and undefined', null, undefined],
    ['null and an empty object', null, {}],
    ['an empty array and an empty object', [], {}],
    ['an array and an object with index keys', [1], { 0: 1 }],
    ['arrays in another order', [80, 100], [100, 80]],
    ['arrays of different lengths', [80], [80, 100]],
    ['an extra key', { a: 1 }, { a: 1, b: 2 }],
    ['an undefined key and a missing one', { a: undefined }, {}],
    ['different keys of the same count', { a: undefined }, { b: undefined }],
    [
      'a nested difference',
      { r: { maxAgeDays: 90 } },
      { r: { maxAgeDays: 30 } },
    ],
  ])('tells %s apart', (_case, a, b) => {
    expect(sameData(a, b)).toBe(false);
    expect(sameData(b, a)).toBe(false);
  });
});

interface Settings {
  readonly twoFactorRequired: boolean;
  readonly ipAllowlist: readonly string[];
  readonly billingEmail: string | null;
}

const CURRENT: Settings = {
  twoFactorRequired: false,
  ipAllowlist: ['10.0.0.0/8'],
  billingEmail: 'billing@acme.example',
};

describe('changedFields', () => {
  it('returns only the fields whose values differ', () => {
    expect(
      changedFields(CURRENT, {
        twoFactorRequired: true,
        ipAllowlist: ['10.0.0.0/8'],
      }),
    ).toEqual({ twoFactorRequired: true });
  });

  it('returns nothing when every proposed value is the current one', () => {
    expect(changedFields(CURRENT, { ...CURRENT })).toEqual({});
  });

  it('compares lists by their items, not by identity', () => {
    expect(changedFields(CURRENT, { ipAllowlist: ['10.0.0.0/8'] })).toEqual({});
    expect(
      changedFields(CURRENT, { ipAllowlist: ['10.0.0.0/8', '192.0.2.0/24'] }),
    ).toEqual({ ipAllowlist: ['10.0.0.0/8', '192.0.2.0/24'] });
  });

  it('treats an absent or undefined field as keeping its value', () => {
    expect(changedFields(CURRENT, {})).toEqual({});
    expect(changedFields(CURRENT, { billingEmail: undefined })).toEqual({});
  });

  it('treats null as a value that clears the field', () => {
    expect(changedFields(CURRENT, { billingEmail: null })).toEqual({
      billingEmail: null,
    });
    expect(
      changedFields({ ...CURRENT, billingEmail: null }, { billingEmail: null }),
    ).toEqual({});
  });
});
