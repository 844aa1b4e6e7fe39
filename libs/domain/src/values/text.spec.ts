import { describe, expect, it } from '@jest/globals';

import {
  checkIdentifier,
  checkLine,
  checkParagraphs,
  lengthOf,
} from './text.js';

const UNSAFE = 'contains control or unsafe characters';

const CONTROL_AND_UNSAFE = [
  ['a NUL', 'a\u0000b'],
  ['a bell', 'a\u0007b'],
  ['an escape', 'a\u001b[31mb'],
  ['a delete', 'a\u007fb'],
  ['a C1 control', 'a\u0085b'],
  ['a line separator', 'a\u2028b'],
  ['a paragraph separator', 'a\u2029b'],
  ['a left-to-right embedding', 'a\u202ab'],
  ['a right-to-left embedding', 'a\u202bb'],
  ['a pop directional formatting', 'a\u202cb'],
  ['a left-to-right override', 'a\u202db'],
  ['a right-to-left override', 'a\u202eb'],
  ['a left-to-right isolate', 'a\u2066b'],
  ['a right-to-left isolate', 'a\u2067b'],
  ['a first strong isolate', 'a\u2068b'],
  ['a pop directional isolate', 'a\u2069b'],
  ['a lone high surrogate', 'a\ud800b'],
  ['a lone low surrogate', 'a\udc00b'],
] as const;

describe('lengthOf', () => {
  it.each([
    ['', 0],
    ['abc', 3],
    ['é', 1],
    ['😀', 1],
    ['a😀b', 3],
    ['𝔸𝔹', 2],
  ])('counts %j as %p code points', (text, length) => {
    expect(lengthOf(text)).toBe(length);
  });
});

describe('checkLine', () => {
  it.each([
    ['a zero-width space', '\u200b'],
    ['a left-to-right mark', 'Acme\u200e'],
    ['a byte order mark inside', 'Ac\ufeffme'],
    ['an Arabic letter mark', 'Acme\u061c'],
  ])('refuses invisible characters: %s', (_case, text) => {
    expect(checkLine(text, 1, 100).ok).toBe(false);
  });

  it('keeps the zero-width joiner that emoji sequences need', () => {
    const family = '\u{1f468}\u200d\u{1f469}\u200d\u{1f467}';
    expect(checkLine(family, 1, 100)).toEqual({ ok: true, value: family });
  });

  it('accepts printable text within the length', () => {
    expect(checkLine('Acme Industrial GmbH', 1, 100)).toEqual({
      ok: true,
      value: 'Acme Industrial GmbH',
    });
  });

  it.each(['Ünïcödé Ltd', 'アクメ株式会社', 'شركة أكمي', 'Acme 😀'])(
    'accepts printable text in any script: %j',
    (text) => {
      expect(checkLine(text, 1, 100)).toEqual({ ok: true, value: text });
    },
  );

  it('trims surrounding whitespace, tabs and newlines', () => {
    expect(checkLine(' \t Acme \n', 1, 100)).toEqual({
      ok: true,
      value: 'Acme',
    });
  });

  it('counts the length after trimming', () => {
    expect(checkLine(`   ${'a'.repeat(100)}   `, 1, 100)).toEqual({
      ok: true,
      value: 'a'.repeat(100),
    });
  });

  it.each(CONTROL_AND_UNSAFE)('refuses %s inside the text', (_case, text) => {
    expect(checkLine(text, 1, 100)).toEqual({ ok: false, problem: UNSAFE });
  });

  it.each([
    ['a tab', 'a\tb'],
    ['a newline', 'a\nb'],
    ['a carriage return', 'a\rb'],
  ])('refuses %s inside a single line', (_case, text) => {
    expect(checkLine(text, 1, 100)).toEqual({ ok: false, problem: UNSAFE });
  });

  it.each(['', '   ', '\n\t'])(
    'refuses %j where at least one character is required',
    (text) => {
      expect(checkLine(text, 1, 100)).toEqual({
        ok: false,
        problem: 'must not be empty',
      });
    },
  );

  it('refuses fewer than a minimum above one', () => {
    expect(checkLine('ab', 3, 10)).toEqual({
      ok: false,
      problem: 'must have at least 3 characters',
    });
  });

  it('accepts empty text when the minimum is zero', () => {
    expect(checkLine('  ', 0, 10)).toEqual({ ok: true, value: '' });
  });

  it('refuses more than the maximum and says how many', () => {
    expect(checkLine('a'.repeat(101), 1, 100)).toEqual({
      ok: false,
      problem: 'must have at most 100 characters, got 101',
    });
  });

  it('counts an emoji as one character, not as its two UTF-16 units', () => {
    const hundredEmoji = '😀'.repeat(100);

    expect(hundredEmoji.length).toBe(200);
    expect(checkLine(hundredEmoji, 1, 100)).toEqual({
      ok: true,
      value: hundredEmoji,
    });
    expect(checkLine(`${hundredEmoji}😀`, 1, 100).ok).toBe(false);
  });
});

describe('checkParagraphs', () => {
  it('accepts Windows line endings and stores them as newlines', () => {
    expect(checkParagraphs('a\r\nb\rc', 10)).toEqual({
      ok: true,
      value: 'a\nb\nc',
    });
  });

  it('keeps newlines and tabs inside the text', () => {
    const text = 'Fleet of sensors.\n\n\tEU plants only.';

    expect(checkParagraphs(text, 1_000)).toEqual({ ok: true, value: text });
  });

  it('trims surrounding whitespace', () => {
    expect(checkParagraphs('\n  Sensors.  \n', 1_000)).toEqual({
      ok: true,
      value: 'Sensors.',
    });
  });

  it('accepts empty text', () => {
    expect(checkParagraphs('   ', 1_000)).toEqual({ ok: true, value: '' });
  });

  it.each(CONTROL_AND_UNSAFE)('refuses %s inside the text', (_case, text) => {
    expect(checkParagraphs(text, 1_000)).toEqual({
      ok: false,
      problem: UNSAFE,
    });
  });

  it('counts the maximum in code points', () => {
    expect(checkParagraphs('😀'.repeat(1_000), 1_000).ok).toBe(true);
    expect(checkParagraphs('😀'.repeat(1_001), 1_000)).toEqual({
      ok: false,
      problem: 'must have at most 1000 characters, got 1001',
    });
  });
});

describe('checkIdentifier', () => {
  it.each(['x', 'dep-2026.12.01_42', 'key:alloc/7?retry=1', '~'.repeat(128)])(
    'accepts visible ASCII %j',
    (text) => {
      expect(checkIdentifier(text)).toEqual({ ok: true, value: text });
    },
  );

  it.each([
    ['an empty identifier', ''],
    ['a space', 'dep 1'],
    ['a surrounding space', ' dep-1'],
    ['a tab', 'dep\t1'],
    ['a non-ASCII letter', 'déploiement'],
    ['129 characters', 'x'.repeat(129)],
  ])('refuses %s', (_case, text) => {
    expect(checkIdentifier(text)).toEqual({
      ok: false,
      problem: 'must be 1 to 128 visible ASCII characters without spaces',
    });
  });
});
