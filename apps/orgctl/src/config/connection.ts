import { join } from 'node:path';

import { UsageError } from '../cli/errors.js';

/** Where the service is and how to authenticate to it. */
export interface Connection {
  /** Base URL without a trailing slash, such as `http://localhost:3000`. */
  readonly url: string;
  /** The bearer token; never printed. */
  readonly token: string | undefined;
}

/** A {@link Connection} with where each setting came from. */
export interface ResolvedConnection extends Connection {
  readonly urlSource: string;
  readonly tokenSource: string | undefined;
}

/** What {@link resolveConnection} reads, injected so that tests need no files. */
export interface ConnectionInputs {
  readonly flags: {
    readonly url?: string;
    readonly token?: string;
    readonly config?: string;
  };
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly homeDir: string;
  /** The file's text, or `undefined` when it does not exist. */
  readonly readFile: (path: string) => string | undefined;
}

interface ConfigFile {
  readonly url?: string;
  readonly token?: string;
}

interface Candidate {
  readonly value: string | undefined;
  readonly source: string;
}

/**
 * The connection settings: each of `url` and `token` from the flags, else
 * the environment (`ORGCTL_URL`, `ORGCTL_TOKEN`), else the config file
 * (`--config`, default `$XDG_CONFIG_HOME/orgctl/config.json` or
 * `~/.config/orgctl/config.json`).
 */
export function resolveConnection(
  inputs: ConnectionInputs,
): ResolvedConnection {
  const { flags, env } = inputs;
  const path = flags.config ?? defaultConfigPath(env, inputs.homeDir);
  const file = readConfig(inputs, path, flags.config !== undefined);
  const url = firstOf([
    { value: flags.url, source: 'flag --url' },
    { value: env.ORGCTL_URL, source: 'environment ORGCTL_URL' },
    { value: file.url, source: `config file ${path}` },
  ]);
  const token = firstOf([
    { value: flags.token, source: 'flag --token' },
    { value: env.ORGCTL_TOKEN, source: 'environment ORGCTL_TOKEN' },
    { value: file.token, source: `config file ${path}` },
  ]);
  if (url === undefined) {
    throw new UsageError(
      'no service address: give --url, set ORGCTL_URL, or put "url" in ' + path,
    );
  }
  return {
    url: baseUrl(url.value, url.source),
    urlSource: url.source,
    token: token?.value,
    tokenSource: token?.source,
  };
}

/** `$XDG_CONFIG_HOME/orgctl/config.json`, or `~/.config/orgctl/config.json`. */
export function defaultConfigPath(
  env: Readonly<Record<string, string | undefined>>,
  homeDir: string,
): string {
  const base = nonEmpty(env.XDG_CONFIG_HOME) ?? join(homeDir, '.config');
  return join(base, 'orgctl', 'config.json');
}

function readConfig(
  inputs: ConnectionInputs,
  path: string,
  explicit: boolean,
): ConfigFile {
  const text = inputs.readFile(path);
  if (text === undefined) {
    if (explicit)
      throw new UsageError(`the config file ${path} does not exist`);
    return {};
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UsageError(`the config file ${path} is not valid JSON`);
  }
  return checkedConfig(parsed, path);
}

function checkedConfig(parsed: unknown, path: string): ConfigFile {
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new UsageError(
      `the config file ${path} must hold an object like ` +
        '{ "url": "http://localhost:3000", "token": "..." }',
    );
  }
  const { url, token } = parsed as Record<string, unknown>;
  for (const [key, value] of Object.entries({ url, token })) {
    if (value !== undefined && typeof value !== 'string') {
      throw new UsageError(`"${key}" in the config file ${path} must be text`);
    }
  }
  return parsed;
}

function firstOf(
  candidates: readonly Candidate[],
): { readonly value: string; readonly source: string } | undefined {
  for (const { value, source } of candidates) {
    const present = nonEmpty(value);
    if (present !== undefined) return { value: present, source };
  }
  return undefined;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function baseUrl(value: string, source: string): string {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new UsageError(`the service address from ${source} is not a URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new UsageError(
      `the service address from ${source} must be http:// or https://`,
    );
  }
  return parsed.href.replace(/\/+$/, '');
}
