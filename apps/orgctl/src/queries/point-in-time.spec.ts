import { describe, expect, it } from '@jest/globals';

import { UsageError } from '../cli/errors.js';
import { parsePointInTime, pointFromFlags } from './point-in-time.js';

describe('parsePointInTime', () => {
  it.each([
    ['0', { revision: 0 }],
    ['12', { revision: 12 }],
    ['2026-12-01T09:00:00Z', { at: '2026-12-01T09:00:00.000Z' }],
    ['2026-12-01T10:00:00+01:00', { at: '2026-12-01T09:00:00.000Z' }],
    ['2026-12-01', { at: '2026-12-01T00:00:00.000Z' }],
  ])('reads %p', (text, point) => {
    expect(parsePointInTime(text, '--from')).toEqual(point);
  });

  it.each(['-1', '1.5', 'yesterday', '2026-13-45', ''])(
    'refuses %p, naming the flag',
    (text) => {
      expect(() => parsePointInTime(text, '--from')).toThrow(UsageError);
      expect(() => parsePointInTime(text, '--from')).toThrow(/^--from must be/);
    },
  );
});

describe('pointFromFlags', () => {
  it('needs exactly one of --revision and --at', () => {
    expect(pointFromFlags({ revision: '3' })).toEqual({ revision: 3 });
    expect(() => pointFromFlags({})).toThrow('give either');
    expect(() => pointFromFlags({ revision: '3', at: '2026-12-01' })).toThrow(
      'give either',
    );
    expect(() => pointFromFlags({ revision: '2026-12-01' })).toThrow(
      '--revision must be a whole number',
    );
  });
});
