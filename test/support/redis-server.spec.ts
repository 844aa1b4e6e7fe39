import { describe, expect, it } from '@jest/globals';

import { startTestRedis } from './redis-server.js';

describe('the test Redis', () => {
  it('answers commands and hands out prefixes no other test shares', async () => {
    const redis = await startTestRedis();
    try {
      const client = redis.client();
      const [a, b] = [redis.prefix('x'), redis.prefix('x')];
      await client.set(`${a}:k`, 'v');
      expect(await client.get(`${a}:k`)).toBe('v');
      expect(a).not.toBe(b);
    } finally {
      await redis.stop();
    }
  });
});
