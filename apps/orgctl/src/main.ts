#!/usr/bin/env node
import { randomUUID } from 'node:crypto';

import { processIo } from './cli/io.js';
import { run } from './program.js';

process.exitCode = await run(process.argv.slice(2), {
  io: processIo(),
  newId: randomUUID,
  now: () => new Date(),
  // Loaded on use: the Redis client takes a while to load.
  busSend: async (options, envelope) => {
    const { sendOverBus } = await import('./bus/send-over-bus.js');
    return sendOverBus(options, envelope);
  },
});
