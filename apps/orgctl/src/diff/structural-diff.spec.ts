import { describe, expect, it } from '@jest/globals';

import { deepEqual, diff } from './structural-diff.js';

describe('diff', () => {
  it('finds nothing between equal values, whatever the key order', () => {
    expect(
      diff({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 }),
    ).toEqual([]);
  });

  it('names the changed, added and removed paths of nested objects', () => {
    const before = {
      profile: { displayName: 'Acme', description: null },
      gone: 1,
    };
    const after = {
      profile: { displayName: 'Acme IoT', description: 'x' },
      added: true,
    };

    expect(diff(before, after)).toEqual([
      {
        path: 'profile.displayName',
        kind: 'changed',
        before: 'Acme',
        after: 'Acme IoT',
      },
      {
        path: 'profile.description',
        kind: 'changed',
        before: null,
        after: 'x',
      },
      { path: 'gone', kind: 'removed', before: 1 },
      { path: 'added', kind: 'added', after: true },
    ]);
  });

  it('quotes keys that are not identifiers', () => {
    expect(
      diff(
        { labels: { 'cost.center': '1' } },
        { labels: { 'cost.center': '2' } },
      ),
    ).toEqual([
      {
        path: 'labels["cost.center"]',
        kind: 'changed',
        before: '1',
        after: '2',
      },
    ]);
  });

  it('matches identified list items by identity, not by position', () => {
    const before = {
      members: [
        { userId: 'u-1', role: 'owner' },
        { userId: 'u-3', role: 'viewer' },
      ],
    };
    const after = {
      members: [
        { userId: 'u-1', role: 'admin' },
        { userId: 'u-2', role: 'owner' },
        { userId: 'u-3', role: 'viewer' },
      ],
    };

    expect(diff(before, after)).toEqual([
      {
        path: 'members[userId=u-1].role',
        kind: 'changed',
        before: 'owner',
        after: 'admin',
      },
      {
        path: 'members[userId=u-2]',
        kind: 'added',
        after: { userId: 'u-2', role: 'owner' },
      },
    ]);
  });

  it('shows other lists whole', () => {
    expect(diff({ ipAllowlist: ['a'] }, { ipAllowlist: ['a', 'b'] })).toEqual([
      {
        path: 'ipAllowlist',
        kind: 'changed',
        before: ['a'],
        after: ['a', 'b'],
      },
    ]);
  });

  it('treats a value that changes type as one change', () => {
    expect(
      diff({ deletion: null }, { deletion: { gracePeriodDays: 7 } }),
    ).toEqual([
      {
        path: 'deletion',
        kind: 'changed',
        before: null,
        after: { gracePeriodDays: 7 },
      },
    ]);
  });
});

describe('deepEqual', () => {
  it.each([
    [[1, 2], [2, 1], false],
    [{ a: undefined }, {}, false],
    [{ a: [null] }, { a: [null] }, true],
    [1, '1', false],
  ])('compares %j and %j as %p', (a, b, equal) => {
    expect(deepEqual(a, b)).toBe(equal);
  });
});
