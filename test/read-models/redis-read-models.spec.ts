import { afterAll, beforeAll } from '@jest/globals';

import { RedisReadModels } from '@org/read-models';

import { startTestRedis, type TestRedis } from '../support/redis-server.js';
import { describeAuditContract } from './audit-history.contract.js';
import { describeReadModelsContract } from './read-models.contract.js';

let redis: TestRedis;

beforeAll(async () => {
  redis = await startTestRedis();
});

afterAll(async () => {
  await redis.stop();
});

function openRedis() {
  const readModels = new RedisReadModels({
    redis: redis.client(),
    keyPrefix: `${redis.prefix('read-models')}:`,
  });
  return Promise.resolve({
    readModels,
    teardown: () => readModels.close(),
  });
}

describeReadModelsContract('Redis', openRedis);
describeAuditContract('Redis', openRedis);
