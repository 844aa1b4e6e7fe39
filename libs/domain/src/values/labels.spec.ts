import { describe, expect, it } from '@jest/globals';

import { checkDimension, checkFreeLabels, MAX_FREE_LABELS } from './labels.js';

function labels(count: number): Record<string, string> {
  const keys = Array.from({ length: count }, (_, i) => `key-${i}`);
  return Object.fromEntries(keys.map((key) => [key, 'v']));
}

describe('checkDimension', () => {
  it.each([
    ['production', 'production'],
    ['eu-west-1', 'eu-west-1'],
    ['partner_integrations', 'partner_integrations'],
    ['v1.2', 'v1.2'],
    ['Production', 'production'],
    ['  staging  ', 'staging'],
    ['x'.repeat(63), 'x'.repeat(63)],
  ])('accepts %j as %j', (text, value) => {
    expect(checkDimension(text)).toEqual({ ok: true, value });
  });

  it.each([
    ['an empty value', ''],
    ['only spaces', '   '],
    ['64 characters', 'x'.repeat(64)],
    ['an inner space', 'north america'],
    ['a slash', 'eu/west'],
    ['a non-ASCII letter', 'région'],
  ])('refuses %s', (_case, text) => {
    expect(checkDimension(text).ok).toBe(false);
  });
});

describe('checkFreeLabels', () => {
  it('accepts no labels', () => {
    expect(checkFreeLabels({})).toEqual({ ok: true, value: {} });
  });

  it(`accepts at most ${MAX_FREE_LABELS} labels`, () => {
    expect(MAX_FREE_LABELS).toBe(20);
    expect(checkFreeLabels(labels(20)).ok).toBe(true);
  });

  it('refuses 21 labels and says how many were given', () => {
    expect(checkFreeLabels(labels(21))).toEqual({
      ok: false,
      problem: 'at most 20 labels, got 21',
    });
  });

  it.each(['a', 'cost-center', 'team_name', 'k8s.io', '0', 'x'.repeat(63)])(
    'accepts the key %j',
    (key) => {
      expect(checkFreeLabels({ [key]: 'v' })).toEqual({
        ok: true,
        value: { [key]: 'v' },
      });
    },
  );

  it.each([
    ['an empty key', ''],
    ['a 64-character key', 'x'.repeat(64)],
    ['an upper-case letter', 'Team'],
    ['a space', 'cost center'],
    ['a colon', 'team:name'],
    ['a slash', 'k8s.io/name'],
    ['a non-ASCII letter', 'région'],
  ])('refuses a key with %s: keys are [a-z0-9_.-]{1,63}', (_case, key) => {
    const checked = checkFreeLabels({ [key]: 'v' });

    expect(checked.ok).toBe(false);
    expect(checked.ok ? '' : checked.problem).toMatch(/^label key /);
  });

  it.each(['__proto__', 'constructor', 'prototype'])(
    'refuses the reserved key %j',
    (key) => {
      const input = JSON.parse(`{"${key}": "v"}`) as Record<string, string>;

      expect(Object.keys(input)).toEqual([key]);
      expect(checkFreeLabels(input).ok).toBe(false);
    },
  );

  it('accepts a value of 255 characters, counted in code points', () => {
    const value = '😀'.repeat(255);

    expect(checkFreeLabels({ mood: value })).toEqual({
      ok: true,
      value: { mood: value },
    });
  });

  it('refuses a value of 256 characters', () => {
    expect(checkFreeLabels({ team: 'x'.repeat(256) })).toEqual({
      ok: false,
      problem: 'label "team" must have at most 255 characters, got 256',
    });
  });

  it('accepts an empty value', () => {
    expect(checkFreeLabels({ flag: '' })).toEqual({
      ok: true,
      value: { flag: '' },
    });
  });

  it('trims values', () => {
    expect(checkFreeLabels({ team: '  firmware  ' })).toEqual({
      ok: true,
      value: { team: 'firmware' },
    });
  });

  it.each([
    ['a newline', 'a\nb'],
    ['a right-to-left override', 'a\u202eb'],
  ])('refuses a value with %s', (_case, value) => {
    expect(checkFreeLabels({ team: value })).toEqual({
      ok: false,
      problem: 'label "team" contains control or unsafe characters',
    });
  });

  it('refuses a value that is not text', () => {
    const input = { team: 42 } as unknown as Record<string, string>;

    expect(checkFreeLabels(input)).toEqual({
      ok: false,
      problem: 'label "team" must have a text value',
    });
  });

  it('sorts labels by key so that equal sets are equal data', () => {
    const checked = checkFreeLabels({ zone: 'b', app: 'a', 'm.x': 'c' });

    expect(checked.ok && Object.keys(checked.value)).toEqual([
      'app',
      'm.x',
      'zone',
    ]);
    expect(checked).toEqual(
      checkFreeLabels({ 'm.x': 'c', zone: 'b', app: 'a' }),
    );
  });

  it('does not change the labels it is given', () => {
    const input = { zone: ' b ', app: 'a' };

    checkFreeLabels(input);

    expect(input).toEqual({ zone: ' b ', app: 'a' });
    expect(Object.keys(input)).toEqual(['zone', 'app']);
  });
});
