import { describe, expect, it } from '@jest/globals';
import { InvalidArgumentError } from 'commander';

import {
  parseInteger,
  parseJsonObject,
  parseListItems,
  parseObjectEntries,
  parseRecordEntries,
} from './coerce.js';
import type { NestedField } from './schema-fields.js';

const ROTATION: Readonly<Record<string, NestedField>> = {
  maxAgeDays: { type: { kind: 'integer' }, nullable: true },
  warnBeforeDays: { type: { kind: 'integer' }, nullable: false },
};

describe('parseInteger', () => {
  it.each([
    ['42', 42],
    [' -3 ', -3],
    ['0', 0],
  ])('reads %p as %p', (text, value) => {
    expect(parseInteger(text)).toBe(value);
  });

  it.each(['', '1.5', '1e3', 'ten', '0x10', '9007199254740993'])(
    'refuses %p with a clear message',
    (text) => {
      expect(() => parseInteger(text)).toThrow(InvalidArgumentError);
      expect(() => parseInteger(text)).toThrow('is not a whole number');
    },
  );
});

describe('parseListItems', () => {
  it('accumulates repeated flags and comma lists', () => {
    const first = parseListItems({ kind: 'text' }, '10.0.0.0/8,192.0.2.0/24');

    expect(parseListItems({ kind: 'text' }, '2001:db8::/32', first)).toEqual([
      '10.0.0.0/8',
      '192.0.2.0/24',
      '2001:db8::/32',
    ]);
  });

  it("reads '' as an empty list", () => {
    expect(parseListItems({ kind: 'text' }, '')).toEqual([]);
  });

  it('types the items', () => {
    expect(parseListItems({ kind: 'integer' }, '50, 80,100')).toEqual([
      50, 80, 100,
    ]);
    expect(() =>
      parseListItems({ kind: 'enum', choices: ['a', 'b'] }, 'a,c'),
    ).toThrow('"c" is not one of a, b.');
  });
});

describe('parseRecordEntries', () => {
  it('reads key=value pairs, repeated or comma-separated', () => {
    const first = parseRecordEntries('tier=gold,cost.center=42');

    expect(parseRecordEntries('team=iot-core', first)).toEqual({
      tier: 'gold',
      'cost.center': '42',
      team: 'iot-core',
    });
  });

  it('keeps commas and equals signs inside a value, and kebab-case keys', () => {
    expect(parseRecordEntries('note=a,b=c is fine,cost-center=x=y')).toEqual({
      note: 'a',
      b: 'c is fine',
      'cost-center': 'x=y',
    });
    expect(parseRecordEntries('note=red, green')).toEqual({
      note: 'red, green',
    });
  });

  it('reads a JSON object, and empty text as no labels', () => {
    expect(parseRecordEntries('{"tier":"gold"}')).toEqual({ tier: 'gold' });
    expect(parseRecordEntries('')).toEqual({});
    expect(parseRecordEntries('{}')).toEqual({});
  });

  it('refuses a part without a key', () => {
    expect(() => parseRecordEntries('gold')).toThrow(
      '"gold" is not key=value (or give a JSON object).',
    );
  });
});

describe('parseObjectEntries', () => {
  it('types the values by the nested schema, keys in either case', () => {
    expect(
      parseObjectEntries(ROTATION, 'max-age-days=90,warnBeforeDays=14'),
    ).toEqual({ maxAgeDays: 90, warnBeforeDays: 14 });
  });

  it('accepts null where the field is nullable only', () => {
    expect(parseObjectEntries(ROTATION, 'max-age-days=null')).toEqual({
      maxAgeDays: null,
    });
    expect(() => parseObjectEntries(ROTATION, 'warn-before-days=null')).toThrow(
      'is not a whole number',
    );
  });

  it('refuses unknown keys, naming the known ones', () => {
    expect(() => parseObjectEntries(ROTATION, 'days=3')).toThrow(
      '"days" is not one of maxAgeDays, warnBeforeDays.',
    );
  });
});

describe('parseJsonObject', () => {
  it('reads an object and refuses anything else', () => {
    expect(parseJsonObject('{"a":1}')).toEqual({ a: 1 });
    expect(() => parseJsonObject('[1]')).toThrow('must be a JSON object');
    expect(() => parseJsonObject('{a:1}')).toThrow('not valid JSON');
  });
});
