import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';

import { isUuidV7, uuidV7 } from './uuid.js';

const ZEROS = new Uint8Array(10);
const ONES = new Uint8Array(10).fill(0xff);
const MAX_UNIX_MS = 2 ** 48 - 1;

function versionOf(uuid: string): string | undefined {
  return uuid[14];
}

function variantBitsOf(uuid: string): number {
  return parseInt(uuid.charAt(19), 16) >> 2;
}

describe('isUuidV7', () => {
  it.each([
    '0193a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b',
    '00000000-0000-7000-8000-000000000000',
    'ffffffff-ffff-7fff-bfff-ffffffffffff',
    '0193a1b2-c3d4-7e5f-9a6b-000000000002',
    '0193a1b2-c3d4-7e5f-aa6b-000000000002',
  ])('accepts the UUIDv7 %s', (text) => {
    expect(isUuidV7(text)).toBe(true);
  });

  it.each([
    ['a version 4 UUID', '0193a1b2-c3d4-4e5f-8a6b-7c8d9e0f1a2b'],
    ['a version 1 UUID', '0193a1b2-c3d4-1e5f-8a6b-7c8d9e0f1a2b'],
    ['the nil UUID', '00000000-0000-0000-0000-000000000000'],
    ['the Microsoft variant', '0193a1b2-c3d4-7e5f-ca6b-7c8d9e0f1a2b'],
    ['the NCS variant', '0193a1b2-c3d4-7e5f-7a6b-7c8d9e0f1a2b'],
    ['no hyphens', '0193a1b2c3d47e5f8a6b7c8d9e0f1a2b'],
    ['braces', '{0193a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b}'],
    ['a URN prefix', 'urn:uuid:0193a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b'],
    ['a trailing newline', '0193a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b\n'],
    ['a non-hex digit', '0193a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2g'],
    ['one digit too few', '0193a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2'],
    ['an empty string', ''],
  ])('refuses %s', (_case, text) => {
    expect(isUuidV7(text)).toBe(false);
  });
});

describe('uuidV7', () => {
  it('writes the Unix time in milliseconds into the first 48 bits, big-endian', () => {
    expect(uuidV7(0x0193a1b2c3d4, ZEROS)).toBe(
      '0193a1b2-c3d4-7000-8000-000000000000',
    );
    expect(uuidV7(MAX_UNIX_MS, ZEROS)).toMatch(/^ffffffff-ffff-/);
  });

  it('overwrites only the version and variant bits of the random bytes', () => {
    expect(uuidV7(0, ONES)).toBe('00000000-0000-7fff-bfff-ffffffffffff');
    expect(uuidV7(0, Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]))).toBe(
      '00000000-0000-7102-8304-05060708090a',
    );
  });

  it('sets version 7 and the RFC 9562 variant (binary 10) for any input', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: MAX_UNIX_MS }),
        fc.uint8Array({ minLength: 10, maxLength: 10 }),
        (unixMs, random) => {
          const uuid = uuidV7(unixMs, random);

          expect(isUuidV7(uuid)).toBe(true);
          expect(versionOf(uuid)).toBe('7');
          expect(variantBitsOf(uuid)).toBe(0b10);
          expect(parseInt(uuid.slice(0, 13).replace('-', ''), 16)).toBe(unixMs);
        },
      ),
    );
  });

  it('sorts ids of later milliseconds after earlier ones, whatever the random bytes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: MAX_UNIX_MS - 1 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.uint8Array({ minLength: 10, maxLength: 10 }),
        fc.uint8Array({ minLength: 10, maxLength: 10 }),
        (earlier, step, randomA, randomB) => {
          const later = Math.min(earlier + step, MAX_UNIX_MS);

          expect(uuidV7(earlier, randomA) < uuidV7(later, randomB)).toBe(true);
        },
      ),
    );
  });

  it('uses only the first ten random bytes', () => {
    const eleven = Uint8Array.from([...ONES, 0x00]);

    expect(uuidV7(0, eleven)).toBe(uuidV7(0, ONES));
  });

  it('leaves the caller’s random bytes untouched', () => {
    const random = new Uint8Array(10).fill(0xff);

    uuidV7(0, random);

    expect(random).toEqual(ONES);
  });

  it('refuses fewer than ten random bytes with a RangeError', () => {
    expect(() => uuidV7(0, new Uint8Array(9))).toThrow(RangeError);
  });
});
