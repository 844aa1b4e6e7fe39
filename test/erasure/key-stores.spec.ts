import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  InMemoryKeyStore,
  KEY_BYTES,
  type KeyStore,
  RedisKeyStore,
  SqliteKeyStore,
} from '@org/event-store';

import { startTestRedis, type TestRedis } from '../support/redis-server.js';
import { makeTempDir, removeTempDir } from '../support/temp-dir.js';

let dir: string;
let redis: TestRedis;

beforeAll(async () => {
  dir = await makeTempDir('key-stores');
  redis = await startTestRedis();
});

afterAll(async () => {
  await redis.stop();
  await removeTempDir(dir);
});

let opened = 0;
const STORES: { name: string; open: () => KeyStore }[] = [
  { name: 'in memory', open: () => new InMemoryKeyStore() },
  {
    name: 'SQLite',
    open: () => {
      opened += 1;
      return SqliteKeyStore.open({
        path: join(dir, `keys-${String(opened)}.sqlite`),
      });
    },
  },
  {
    name: 'Redis',
    open: () => new RedisKeyStore(redis.client(), `${redis.prefix('keys')}:`),
  },
];

describe.each(STORES)('the key store, $name', ({ open }) => {
  it('makes a 256-bit key on first use and gives the same one after', async () => {
    const keys = open();
    const first = await keys.keyFor('org-1');
    expect(first).toHaveLength(KEY_BYTES);
    expect(await keys.keyFor('org-1')).toEqual(first);
    expect(await keys.keyFor('org-2')).not.toEqual(first);
    await keys.close();
  });

  it('gives racing callers one key', async () => {
    const keys = open();
    const raced = await Promise.all(
      Array.from({ length: 20 }, () => keys.keyFor('org-race')),
    );
    expect(new Set(raced.map((key) => key?.toString('hex'))).size).toBe(1);
    await keys.close();
  });

  it('tells keys it has, destroyed ones and unknown subjects apart without making keys', async () => {
    const keys = open();
    const live = await keys.keyFor('org-live');
    await keys.keyFor('org-gone');
    await keys.destroy('org-gone');
    const found = await keys.keysOf(['org-live', 'org-gone', 'org-unknown']);
    expect(found.get('org-live')).toEqual(live);
    expect(found.get('org-gone')).toBeNull();
    expect(found.has('org-unknown')).toBe(false);
    expect((await keys.keysOf(['org-unknown'])).size).toBe(0);
    await keys.close();
  });

  it('never makes a destroyed key again, and destroying twice does nothing', async () => {
    const keys = open();
    await keys.keyFor('org-x');
    await keys.destroy('org-x');
    await keys.destroy('org-x');
    expect(await keys.keyFor('org-x')).toBeNull();
    await keys.destroy('org-never-had-one');
    expect(await keys.keyFor('org-never-had-one')).toBeNull();
    await keys.close();
  });

  it('keeps the checkpoint recorded with a destruction', async () => {
    const keys = open();
    expect(await keys.checkpoint()).toBeNull();
    await keys.destroy('org-y', '17/17');
    expect(await keys.checkpoint()).toBe('17/17');
    await keys.saveCheckpoint('20/20');
    expect(await keys.checkpoint()).toBe('20/20');
    await keys.close();
  });
});

describe('the SQLite key store file', () => {
  it('holds no trace of a destroyed key, while it holds the live ones', async () => {
    const path = join(dir, 'shred.sqlite');
    const keys = SqliteKeyStore.open({ path });
    const gone = await keys.keyFor('org-gone');
    const live = await keys.keyFor('org-live');
    if (gone === null || live === null) throw new Error('no keys made');
    await keys.destroy('org-gone');
    await keys.close();
    const file = await readFile(path);
    expect(file.includes(live)).toBe(true);
    expect(file.includes(gone)).toBe(false);
  });

  it('keeps keys and tombstones across a reopen', async () => {
    const path = join(dir, 'reopen.sqlite');
    const before = SqliteKeyStore.open({ path });
    const key = await before.keyFor('org-a');
    await before.destroy('org-b', '5/5');
    await before.close();
    const after = SqliteKeyStore.open({ path });
    expect(await after.keyFor('org-a')).toEqual(key);
    expect(await after.keyFor('org-b')).toBeNull();
    expect(await after.checkpoint()).toBe('5/5');
    await after.close();
  });
});
