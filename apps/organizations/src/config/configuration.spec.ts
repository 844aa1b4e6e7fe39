import { resolve } from 'node:path';

import { describe, expect, it } from '@jest/globals';

import { ConfigError, loadConfig } from './configuration.js';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error: unknown) {
    if (error instanceof ConfigError) return error.message.split('\n');
    throw error;
  }
  throw new Error('expected a configuration error');
}

describe('configuration from the environment', () => {
  it('defaults to the embedded SQLite stores under ./data on port 3000', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      PORT: 3000,
      DATA_DIR: resolve('./data'),
      EVENT_STORE: { kind: 'sqlite' },
      READ_MODELS: { kind: 'sqlite' },
      BUS: null,
      AUTH_TOKENS_FILE: null,
      LOG_LEVEL: 'log',
      SQLITE_DURABILITY: 'full',
    });
  });

  it('reads an EventStoreDB connection string and a Redis URL', () => {
    const config = loadConfig({
      EVENT_STORE: 'esdb://127.0.0.1:2113?tls=false',
      READ_MODELS: 'redis://127.0.0.1:6379/2',
      BUS: 'redis://127.0.0.1:6379',
    });
    expect(config.EVENT_STORE).toEqual({
      kind: 'esdb',
      connectionString: 'esdb://127.0.0.1:2113?tls=false',
    });
    expect(config.READ_MODELS).toEqual({
      kind: 'redis',
      url: 'redis://127.0.0.1:6379/2',
    });
  });

  it('stops with one line per wrong variable, naming it, the problem and an example', () => {
    expect(
      problemsOf({ PORT: '70000', LOG_LEVEL: 'loud', EVENT_STORE: 'postgres' }),
    ).toEqual([
      'PORT: must be a whole number from 0 to 65535, got "70000" (example: PORT=3000)',
      'EVENT_STORE: must be sqlite, memory or an esdb:// connection string, got "postgres" (example: EVENT_STORE=sqlite)',
      'LOG_LEVEL: must be one of fatal, error, warn, log, debug, verbose, got "loud" (example: LOG_LEVEL=debug)',
    ]);
  });

  it('schedules integrity digests only when given an interval', () => {
    expect(loadConfig({}).INTEGRITY_DIGEST_EVERY_MS).toBe(0);
    expect(
      loadConfig({ INTEGRITY_DIGEST_EVERY_MS: '3600000' })
        .INTEGRITY_DIGEST_EVERY_MS,
    ).toBe(3_600_000);
    expect(problemsOf({ INTEGRITY_DIGEST_EVERY_MS: '10' })).toEqual([
      'INTEGRITY_DIGEST_EVERY_MS: must be 0 (off) or a whole number from 1000 to 2592000000, got "10" (example: INTEGRITY_DIGEST_EVERY_MS=3600000)',
    ]);
  });

  it('never repeats a password from a connection string', () => {
    const [line] = problemsOf({
      READ_MODELS: 'postgres://admin:s3cret@db:5432',
    });
    expect(line).not.toContain('s3cret');
    expect(line).toContain('//***@');
  });

  it.each([
    ['SNAPSHOT_EVERY', '0'],
    ['COMMAND_RETRIES', '-1'],
    ['MAX_BODY_BYTES', '10'],
    ['SQLITE_DURABILITY', 'off'],
    ['PORT', '3000abc'],
    ['INTEGRITY_DIGEST_EVERY_MS', '500'],
  ])('refuses %s=%s', (variable, value) => {
    expect(problemsOf({ [variable]: value })[0]).toMatch(
      new RegExp(`^${variable}: `),
    );
  });
});
