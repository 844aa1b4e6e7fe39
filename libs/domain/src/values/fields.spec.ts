import { describe, expect, it } from '@jest/globals';

import { DomainError } from '../errors.js';
import { refusalOf } from '../testing/decider-spec.js';
import { invalid, valid } from './checked.js';
import {
  boolean,
  checkFields,
  clearable,
  integer,
  list,
  oneOf,
  optional,
  record,
  text,
  then,
} from './fields.js';

const upper = (value: string) => valid(value.toUpperCase());
const refuse = (value: string) => invalid<string>(`"${value}" is wrong`);

describe('checkFields', () => {
  it('returns the normalized value of every field when all are valid', () => {
    expect(
      checkFields({
        name: valid('acme'),
        seats: valid(3),
        region: valid(undefined),
      }),
    ).toEqual({ name: 'acme', seats: 3, region: undefined });
  });

  it('collects every problem at once into one VALIDATION_FAILED', () => {
    const error = refusalOf(() =>
      checkFields({
        name: invalid('must have 3 to 63 characters'),
        seats: valid(3),
        contactEmail: invalid('has an invalid domain after the @'),
        region: invalid('must be 1 to 63 characters'),
      }),
    );

    expect(error).toBeInstanceOf(DomainError);
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details).toEqual({
      problems: [
        { field: 'name', problem: 'must have 3 to 63 characters' },
        { field: 'contactEmail', problem: 'has an invalid domain after the @' },
        { field: 'region', problem: 'must be 1 to 63 characters' },
      ],
    });
  });

  it('names every problem in the message', () => {
    const error = refusalOf(() =>
      checkFields({ name: invalid('is too short'), seats: invalid('is odd') }),
    );

    expect(error.message).toBe('name: is too short; seats: is odd');
  });
});

describe('text', () => {
  it('runs the check on text', () => {
    expect(text('eur', upper)).toEqual({ ok: true, value: 'EUR' });
    expect(text('eur', refuse)).toEqual({
      ok: false,
      problem: '"eur" is wrong',
    });
  });

  it.each([42, null, undefined, ['eur'], { code: 'eur' }])(
    'refuses %p before the check runs: it is not text',
    (value) => {
      expect(text(value, upper)).toEqual({
        ok: false,
        problem: 'must be text',
      });
    },
  );
});

describe('optional', () => {
  it('keeps an absent field absent without checking it', () => {
    expect(optional(undefined, refuse)).toEqual({ ok: true, value: undefined });
  });

  it('checks a present field', () => {
    expect(optional('eur', upper)).toEqual({ ok: true, value: 'EUR' });
    expect(optional('eur', refuse).ok).toBe(false);
  });
});

describe('clearable', () => {
  it('keeps an absent field absent without checking it', () => {
    expect(clearable(undefined, refuse)).toEqual({
      ok: true,
      value: undefined,
    });
  });

  it('lets null clear the field without checking it', () => {
    expect(clearable(null, refuse)).toEqual({ ok: true, value: null });
  });

  it('checks a present field', () => {
    expect(clearable('eur', upper)).toEqual({ ok: true, value: 'EUR' });
    expect(clearable('eur', refuse).ok).toBe(false);
  });
});

describe('integer', () => {
  it('stores -0 as 0, as a JSON store would give it back', () => {
    const checked = integer(-0, 0, 10);
    expect(checked.ok && Object.is(checked.value, 0)).toBe(true);
  });

  it.each([5, 0, 10])('accepts %p within 0 to 10, bounds included', (value) => {
    expect(integer(value, 0, 10)).toEqual({ ok: true, value });
  });

  it.each([-1, 11])('refuses %p outside 0 to 10 and names it', (value) => {
    expect(integer(value, 0, 10)).toEqual({
      ok: false,
      problem: `must be between 0 and 10, got ${value}`,
    });
  });

  it.each([1.5, Number.NaN, Number.POSITIVE_INFINITY, '5', null, undefined])(
    'refuses %p: not a whole number',
    (value) => {
      expect(integer(value, 0, 10)).toEqual({
        ok: false,
        problem: 'must be a whole number',
      });
    },
  );
});

describe('boolean', () => {
  it.each([true, false])('accepts %p', (value) => {
    expect(boolean(value)).toEqual({ ok: true, value });
  });

  it.each(['true', 1, 0, null, undefined])('refuses %p', (value) => {
    expect(boolean(value)).toEqual({
      ok: false,
      problem: 'must be true or false',
    });
  });
});

describe('oneOf', () => {
  const METHODS = ['credit_card', 'invoice'] as const;

  it('accepts an allowed value', () => {
    expect(oneOf('invoice', METHODS)).toEqual({ ok: true, value: 'invoice' });
  });

  it.each(['cash', 'INVOICE', '', null, 1])(
    'refuses %p and lists the allowed values',
    (value) => {
      expect(oneOf(value, METHODS)).toEqual({
        ok: false,
        problem: 'must be one of credit_card, invoice',
      });
    },
  );
});

describe('list', () => {
  it('accepts a list of at most the maximum', () => {
    expect(list([], 2)).toEqual({ ok: true, value: [] });
    expect(list([1, 2], 2)).toEqual({ ok: true, value: [1, 2] });
  });

  it('refuses more items than the maximum and says how many', () => {
    expect(list([1, 2, 3], 2)).toEqual({
      ok: false,
      problem: 'must hold at most 2 items, got 3',
    });
  });

  it.each(['1,2', { 0: 1, length: 1 }, null, undefined])(
    'refuses %p: not a list',
    (value) => {
      expect(list(value, 2)).toEqual({ ok: false, problem: 'must be a list' });
    },
  );
});

describe('record', () => {
  it('accepts a plain object', () => {
    expect(record({ a: 1 })).toEqual({ ok: true, value: { a: 1 } });
  });

  it.each([null, [], 'a=1', 1, undefined])(
    'refuses %p: not an object',
    (value) => {
      expect(record(value)).toEqual({
        ok: false,
        problem: 'must be an object',
      });
    },
  );
});

describe('then', () => {
  it('runs the next check on the value of a valid one', () => {
    expect(then(valid('eur'), upper)).toEqual({ ok: true, value: 'EUR' });
  });

  it('keeps the first problem and skips the next check', () => {
    let ran = false;
    const next = (value: string) => {
      ran = true;
      return valid(value);
    };

    expect(then(invalid<string>('first'), next)).toEqual({
      ok: false,
      problem: 'first',
    });
    expect(ran).toBe(false);
  });
});
