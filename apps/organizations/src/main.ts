import 'reflect-metadata';

import { Logger } from '@nestjs/common';

import { createApp } from './app.js';
import { loadTokens } from './auth/load-tokens.js';
import { SystemClock } from './commands/clock.js';
import { ConfigError, loadConfig } from './config/configuration.js';
import { openStores } from './infrastructure/stores.js';
import { openReadModels } from './read-models/open-read-models.js';
import { createLogger } from './logging/json-logger.js';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger(config.LOG_FORMAT, config.LOG_LEVEL);
  const tokens = loadTokens(config);
  const stores = await openStores(config);
  const readModels = openReadModels(config, stores.events);
  const app = await createApp(
    {
      config,
      stores,
      readModels,
      tokens: tokens.registry,
      clock: new SystemClock(),
    },
    logger,
  );
  await app.listen(config.PORT, config.HOST);
  if (tokens.createdToken !== null) {
    process.stdout.write(
      `\nFirst start: a support token was created; only its digest is kept in ${tokens.file}.\n` +
        `It is shown once. Use it as "Authorization: Bearer <token>":\n\n  ${tokens.createdToken}\n\n`,
    );
  }
  new Logger('Main').log({
    msg: 'listening',
    port: config.PORT,
    store: config.EVENT_STORE.kind,
  });
}

main().catch((error: unknown) => {
  const message = error instanceof ConfigError ? error.message : String(error);
  process.stderr.write(`organizations service did not start: ${message}\n`);
  process.exitCode = 1;
});
