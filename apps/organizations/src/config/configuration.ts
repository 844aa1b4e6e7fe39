import { isAbsolute, resolve } from 'node:path';

import type { LogLevel } from '@nestjs/common';

export type StoreChoice =
  | { readonly kind: 'sqlite' }
  | { readonly kind: 'memory' }
  | { readonly kind: 'esdb'; readonly connectionString: string };

export type ReadModelChoice =
  | { readonly kind: 'sqlite' }
  | { readonly kind: 'memory' }
  | { readonly kind: 'redis'; readonly url: string };

/** One wrong environment variable: which, what is wrong, and an example of a good value. */
export interface ConfigProblem {
  readonly variable: string;
  readonly problem: string;
  readonly example: string;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(readonly problems: readonly ConfigProblem[]) {
    super(problems.map(describeProblem).join('\n'));
  }
}

export function describeProblem(p: ConfigProblem): string {
  return `${p.variable}: ${p.problem} (example: ${p.variable}=${p.example})`;
}

type Parsed<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly problem: string };

interface Variable<T> {
  readonly fallback: string;
  readonly example: string;
  readonly parse: (raw: string) => Parsed<T>;
}

const LOG_LEVELS: readonly LogLevel[] = [
  'fatal',
  'error',
  'warn',
  'log',
  'debug',
  'verbose',
];

/** Every variable the service reads, with its default, an example and its check. */
export const VARIABLES = {
  PORT: variable('3000', '3000', integerIn(0, 65_535)),
  HOST: variable('0.0.0.0', '127.0.0.1', nonEmpty),
  DATA_DIR: variable('./data', './data', (raw) =>
    map(nonEmpty(raw), (v) => resolve(v)),
  ),
  EVENT_STORE: variable('sqlite', 'sqlite', parseEventStore),
  READ_MODELS: variable('sqlite', 'redis://127.0.0.1:6379', parseReadModels),
  READ_MODELS_PREFIX: variable('', 'staging:', optional(keyPrefix)),
  READ_YOUR_WRITES_TIMEOUT_MS: variable('5000', '5000', integerIn(0, 60_000)),
  DELETION_CHECK_INTERVAL_MS: variable(
    '60000',
    '60000',
    integerIn(0, 86_400_000),
  ),
  INTEGRITY_DIGEST_EVERY_MS: variable(
    '0',
    '3600000',
    offOrIn(1_000, 2_592_000_000),
  ),
  BUS: variable('', 'redis://127.0.0.1:6379', optional(redisUrl)),
  AUTH_TOKENS_FILE: variable('', './tokens.json', optional(path)),
  BUS_KEYS_FILE: variable('', './bus-keys.json', optional(path)),
  INTEGRITY_SIGNING_KEY_FILE: variable(
    '',
    './integrity-signing-key.pem',
    optional(path),
  ),
  LOG_LEVEL: variable('log', 'debug', oneOf(LOG_LEVELS)),
  LOG_FORMAT: variable('json', 'text', oneOf(['json', 'text'] as const)),
  SQLITE_DURABILITY: variable(
    'full',
    'normal',
    oneOf(['full', 'normal'] as const),
  ),
  SNAPSHOT_EVERY: variable('100', '100', integerIn(1, 1_000_000)),
  COMMAND_RETRIES: variable('10', '10', integerIn(0, 1_000)),
  MAX_BODY_BYTES: variable('65536', '65536', integerIn(1_024, 10_485_760)),
  BUS_PREFIX: variable('organizations', 'organizations', keyPrefix),
  BUS_CONSUMER: variable('', 'replica-1', optional(nonEmpty)),
  BUS_CONCURRENCY: variable('16', '16', integerIn(1, 1_024)),
  BUS_CLAIM_IDLE_MS: variable('30000', '30000', integerIn(100, 3_600_000)),
  BUS_MAX_DELIVERIES: variable('5', '5', integerIn(1, 100)),
  BUS_REPLY_STREAM_LENGTH: variable('1000', '1000', integerIn(10, 1_000_000)),
};

type Variables = typeof VARIABLES;
type ValueOf<K extends keyof Variables> =
  Variables[K] extends Variable<infer T> ? T : never;

/** The configuration: one field per variable, parsed. */
export type AppConfig = { readonly [K in keyof Variables]: ValueOf<K> };

/** Reads and validates the configuration; throws {@link ConfigError} naming every wrong variable. */
export function loadConfig(
  env: Readonly<Record<string, string | undefined>>,
): AppConfig {
  const problems: ConfigProblem[] = [];
  const read = <T>(name: string, spec: Variable<T>): T => {
    const parsed = spec.parse((env[name] ?? spec.fallback).trim());
    if (parsed.ok) return parsed.value;
    problems.push({
      variable: name,
      problem: parsed.problem,
      example: spec.example,
    });
    return (spec.parse(spec.fallback) as { value: T }).value;
  };
  const config = Object.fromEntries(
    Object.entries(VARIABLES).map(([name, spec]) => [
      name,
      read(name, spec as Variable<unknown>),
    ]),
  ) as AppConfig;
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

function variable<T>(
  fallback: string,
  example: string,
  parse: (raw: string) => Parsed<T>,
): Variable<T> {
  return { fallback, example, parse };
}

function ok<T>(value: T): Parsed<T> {
  return { ok: true, value };
}

function wrong<T>(problem: string): Parsed<T> {
  return { ok: false, problem };
}

function map<A, B>(parsed: Parsed<A>, next: (value: A) => B): Parsed<B> {
  return parsed.ok ? ok(next(parsed.value)) : parsed;
}

function nonEmpty(raw: string): Parsed<string> {
  return raw === '' ? wrong('must not be empty') : ok(raw);
}

function integerIn(min: number, max: number) {
  return (raw: string): Parsed<number> => {
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < min || value > max) {
      return wrong(
        `must be a whole number from ${min} to ${max}, got "${raw}"`,
      );
    }
    return ok(value);
  };
}

// 0 turns a schedule off; anything else must be a sensible interval.
function offOrIn(min: number, max: number) {
  const inRange = integerIn(min, max);
  return (raw: string): Parsed<number> => {
    if (raw === '0') return ok(0);
    const parsed = inRange(raw);
    if (parsed.ok) return parsed;
    return wrong(
      `must be 0 (off) or a whole number from ${min} to ${max}, got "${raw}"`,
    );
  };
}

function oneOf<T extends string>(allowed: readonly T[]) {
  return (raw: string): Parsed<T> =>
    allowed.includes(raw as T)
      ? ok(raw as T)
      : wrong(`must be one of ${allowed.join(', ')}, got "${raw}"`);
}

function keyPrefix(raw: string): Parsed<string> {
  return /^[A-Za-z0-9._:-]{1,64}$/.test(raw)
    ? ok(raw)
    : wrong(
        `must be 1 to 64 characters of A-Z, a-z, 0-9, ".", "_", ":", "-", got "${raw}"`,
      );
}

function optional<T>(parse: (raw: string) => Parsed<T>) {
  return (raw: string): Parsed<T | null> =>
    raw === '' ? ok(null) : parse(raw);
}

function path(raw: string): Parsed<string> {
  return ok(isAbsolute(raw) ? raw : resolve(raw));
}

function url(
  raw: string,
  protocols: readonly string[],
  what: string,
): Parsed<string> {
  try {
    if (protocols.includes(new URL(raw).protocol)) return ok(raw);
  } catch {
    // Not a URL at all: reported below like a URL of the wrong kind.
  }
  return wrong(`must be ${what}, got "${redact(raw)}"`);
}

function redisUrl(raw: string): Parsed<string> {
  return url(raw, ['redis:', 'rediss:'], 'a redis:// or rediss:// URL');
}

function parseEventStore(raw: string): Parsed<StoreChoice> {
  if (raw === 'sqlite' || raw === 'memory') return ok({ kind: raw });
  return map(
    url(
      raw,
      ['esdb:', 'esdb+discover:'],
      'sqlite, memory or an esdb:// connection string',
    ),
    (connectionString) => ({
      kind: 'esdb' as const,
      connectionString,
    }),
  );
}

function parseReadModels(raw: string): Parsed<ReadModelChoice> {
  if (raw === 'sqlite' || raw === 'memory') return ok({ kind: raw });
  const parsed = url(
    raw,
    ['redis:', 'rediss:'],
    'sqlite, memory or a redis:// URL',
  );
  return map(parsed, (value) => ({ kind: 'redis' as const, url: value }));
}

// Connection strings may carry passwords; they never reach a log line.
function redact(raw: string): string {
  return raw.replace(/\/\/[^@/]*@/, '//***@');
}
