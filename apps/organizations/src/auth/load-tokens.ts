import type { AppConfig } from '../config/configuration.js';
import { ConfigError } from '../config/configuration.js';
import {
  firstStartTokens,
  type FirstStartResult,
  TokenRegistry,
} from './token-registry.js';

/**
 * The tokens file when one is configured; otherwise, for the embedded
 * stores only, the first-start token. A production store without a tokens
 * file is a configuration error.
 */
export function loadTokens(config: AppConfig): FirstStartResult {
  const file = config.AUTH_TOKENS_FILE;
  if (file !== null) {
    try {
      return {
        registry: TokenRegistry.fromFile(file),
        createdToken: null,
        file,
      };
    } catch (error: unknown) {
      throw new ConfigError([
        {
          variable: 'AUTH_TOKENS_FILE',
          problem: (error as Error).message,
          example: './tokens.json',
        },
      ]);
    }
  }
  if (config.EVENT_STORE.kind === 'esdb') {
    throw new ConfigError([
      {
        variable: 'AUTH_TOKENS_FILE',
        problem: 'is required when EVENT_STORE is EventStoreDB',
        example: '/run/secrets/tokens.json',
      },
    ]);
  }
  return firstStartTokens(config.DATA_DIR);
}
