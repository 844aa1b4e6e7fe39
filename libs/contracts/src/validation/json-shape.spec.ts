import { describe, expect, it } from '@jest/globals';

import { jsonShapeProblems } from './json-shape.js';

const LIMITS = { maxDepth: 2, maxValues: 6 };

describe('jsonShapeProblems', () => {
  it('accepts JSON data within the limits', () => {
    const value = { a: [1, 'x'], b: { c: null } };

    expect(jsonShapeProblems(value, LIMITS)).toEqual([]);
  });

  it('refuses objects nested deeper than the limit, by path', () => {
    expect(jsonShapeProblems({ a: { b: { c: 1 } } }, LIMITS)).toEqual([
      { field: 'a.b', problem: 'nests deeper than 2 levels' },
    ]);
  });

  it('refuses more values than the limit before walking them', () => {
    expect(jsonShapeProblems({ a: [1, 2, 3, 4, 5, 6] }, LIMITS)).toEqual([
      { field: '', problem: 'holds more than 6 values' },
    ]);
  });

  it('names array items by index', () => {
    expect(jsonShapeProblems({ a: [1, Number.NaN] }, LIMITS)).toEqual([
      { field: 'a.1', problem: 'must be a finite number' },
    ]);
  });

  it('reports at most ten problems', () => {
    const value = Object.fromEntries(
      Array.from({ length: 20 }, (_, i) => [`k${i}`, Number.NaN]),
    );

    const problems = jsonShapeProblems(value, { maxDepth: 2, maxValues: 100 });

    expect(problems).toHaveLength(10);
  });
});
