import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from '@jest/globals';

import {
  firstStartTokens,
  sha256Hex,
  TokenRegistry,
} from './token-registry.js';

const ORG = '0193a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b';

function registry(entries: unknown): TokenRegistry {
  return TokenRegistry.fromJson(JSON.stringify(entries), 'tokens.json');
}

describe('TokenRegistry', () => {
  it('resolves a token to its actor by the digest alone', () => {
    const tokens = registry([
      {
        sha256: sha256Hex('secret-a'),
        actor: { type: 'support', id: 'agent-7' },
      },
      {
        sha256: sha256Hex('secret-b'),
        actor: { type: 'user', id: 'u-1', orgId: ORG },
      },
    ]);
    expect(tokens.resolve('secret-a')).toEqual({
      type: 'support',
      id: 'agent-7',
    });
    expect(tokens.resolve('secret-b')).toEqual({
      type: 'user',
      id: 'u-1',
      orgId: ORG,
    });
    expect(tokens.resolve('secret-c')).toBeNull();
  });

  it.each([
    ['not a list', { sha256: 'x' }, 'must be a list'],
    [
      'a short digest',
      [{ sha256: 'abc', actor: { type: 'support', id: 'a' } }],
      'sha256',
    ],
    [
      'the internal system actor',
      [{ sha256: sha256Hex('t'), actor: { type: 'system', id: 'x' } }],
      'type',
    ],
    [
      'a user without organization',
      [{ sha256: sha256Hex('t'), actor: { type: 'user', id: 'u' } }],
      'orgId',
    ],
  ])('refuses a tokens file with %s', (_case, entries, problem) => {
    expect(() => registry(entries)).toThrow(problem);
  });
});

describe('the first-start token of the embedded default', () => {
  const dirs: string[] = [];
  const dataDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'tokens-'));
    dirs.push(dir);
    return dir;
  };

  afterEach(() => {
    for (const dir of dirs.splice(0))
      rmSync(dir, { recursive: true, force: true });
  });

  it('creates a support token once, keeping only its digest', () => {
    const dir = dataDir();
    const first = firstStartTokens(dir);
    const token = first.createdToken!;
    expect(first.registry.resolve(token)).toEqual({
      type: 'support',
      id: 'first-start-admin',
    });
    expect(readFileSync(first.file, 'utf8')).not.toContain(token);
    expect(readFileSync(first.file, 'utf8')).toContain(sha256Hex(token));

    const second = firstStartTokens(dir);
    expect(second.createdToken).toBeNull();
    expect(second.registry.resolve(token)).not.toBeNull();
  });

  it('creates the data folder when it does not exist', () => {
    const dir = join(dataDir(), 'nested', 'data');
    firstStartTokens(dir);
    expect(existsSync(join(dir, 'auth-tokens.json'))).toBe(true);
  });
});
