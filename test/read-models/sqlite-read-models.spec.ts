import { join } from 'node:path';

import { SqliteReadModels } from '@org/read-models';

import { makeTempDir, removeTempDir } from '../support/temp-dir.js';
import { describeReadModelsContract } from './read-models.contract.js';
import { describeAuditContract } from './audit-history.contract.js';

async function openSqlite() {
  const folder = await makeTempDir('read-models');
  const readModels = SqliteReadModels.open({
    path: join(folder, 'read-models.sqlite'),
  });
  return {
    readModels,
    teardown: async () => {
      await readModels.close();
      await removeTempDir(folder);
    },
  };
}

describeReadModelsContract('SQLite', openSqlite);
describeAuditContract('SQLite', openSqlite);
