import { describe, expect, it } from '@jest/globals';

import { stringRecordProblem } from './string-record.js';

const LIMITS = { maxKeys: 2, maxKeyLength: 5, maxValueLength: 3 };

describe('stringRecordProblem', () => {
  it.each([
    ['an empty record', {}],
    ['full keys and values', { abcde: 'xyz', b: '' }],
    ['a record without prototype', Object.create(null) as object],
  ])('accepts %s', (_case, value) => {
    expect(stringRecordProblem(value, LIMITS)).toBeUndefined();
  });

  it.each([
    ['absent', undefined, 'is required'],
    ['null', null, 'must be an object of text values'],
    ['an array', ['a'], 'must be an object of text values'],
    ['text', 'a=b', 'must be an object of text values'],
    [
      'too many keys',
      { a: '', b: '', c: '' },
      'must hold at most 2 entries, got 3',
    ],
    ['an empty key', { '': 'x' }, 'key "" must have 1 to 5 characters'],
    ['a long key', { abcdef: 'x' }, 'key "abcdef" must have 1 to 5 characters'],
    ['a reserved key', { prototype: 'x' }, 'key "prototype" is reserved'],
    ['a number value', { a: 1 }, 'value of "a" must be text'],
    ['a null value', { a: null }, 'value of "a" must be text'],
    [
      'a long value',
      { a: 'wxyz' },
      'value of "a" must have at most 3 characters',
    ],
  ])('refuses %s', (_case, value, problem) => {
    expect(stringRecordProblem(value, LIMITS)).toBe(problem);
  });

  it('counts characters, not UTF-16 code units', () => {
    expect(stringRecordProblem({ a: '😀😀😀' }, LIMITS)).toBeUndefined();
  });
});
