import { describe, expect, it } from '@jest/globals';

import { UsageError } from '../cli/errors.js';
import {
  type ConnectionInputs,
  defaultConfigPath,
  resolveConnection,
} from './connection.js';

const HOME = '/home/agent';
const DEFAULT_FILE = '/home/agent/.config/orgctl/config.json';

function inputs(
  overrides: Partial<ConnectionInputs>,
  files: Record<string, string> = {},
): ConnectionInputs {
  return {
    flags: {},
    env: {},
    homeDir: HOME,
    readFile: (path) => files[path],
    ...overrides,
  };
}

const FILE = {
  [DEFAULT_FILE]: JSON.stringify({
    url: 'http://file:3000',
    token: 'file-token',
  }),
};

describe('resolveConnection', () => {
  it('takes flags over the environment over the config file', () => {
    const env = { ORGCTL_URL: 'http://env:3000', ORGCTL_TOKEN: 'env-token' };
    const flags = { url: 'http://flag:3000/', token: 'flag-token' };

    expect(resolveConnection(inputs({ flags, env }, FILE))).toEqual({
      url: 'http://flag:3000',
      urlSource: 'flag --url',
      token: 'flag-token',
      tokenSource: 'flag --token',
    });
    expect(resolveConnection(inputs({ env }, FILE))).toMatchObject({
      url: 'http://env:3000',
      token: 'env-token',
    });
    expect(resolveConnection(inputs({}, FILE))).toMatchObject({
      url: 'http://file:3000',
      urlSource: `config file ${DEFAULT_FILE}`,
      token: 'file-token',
    });
  });

  it('resolves url and token each on its own', () => {
    const env = { ORGCTL_TOKEN: 'env-token' };

    expect(resolveConnection(inputs({ env }, FILE))).toMatchObject({
      url: 'http://file:3000',
      token: 'env-token',
      tokenSource: 'environment ORGCTL_TOKEN',
    });
  });

  it('treats empty settings as absent', () => {
    const env = { ORGCTL_URL: ' ', ORGCTL_TOKEN: '' };

    expect(resolveConnection(inputs({ env }, FILE))).toMatchObject({
      url: 'http://file:3000',
      token: 'file-token',
    });
  });

  it('reads the file given with --config', () => {
    const files = { '/etc/orgctl.json': '{"url":"https://orgs.example"}' };
    const flags = { config: '/etc/orgctl.json' };

    expect(resolveConnection(inputs({ flags }, files))).toEqual({
      url: 'https://orgs.example',
      urlSource: 'config file /etc/orgctl.json',
      token: undefined,
      tokenSource: undefined,
    });
  });

  it.each([
    [{}, {}, 'no service address'],
    [
      { config: '/missing.json' },
      {},
      'the config file /missing.json does not exist',
    ],
    [{}, { [DEFAULT_FILE]: '{url' }, 'is not valid JSON'],
    [{}, { [DEFAULT_FILE]: '[]' }, 'must hold an object'],
    [{}, { [DEFAULT_FILE]: '{"token":7}' }, '"token" in the config file'],
    [{ url: 'localhost:3000' }, {}, 'must be http:// or https://'],
    [{ url: 'not a url' }, {}, 'is not a URL'],
  ])('refuses %j with files %j as a usage error', (flags, files, message) => {
    const resolve = () => resolveConnection(inputs({ flags }, files));

    expect(resolve).toThrow(UsageError);
    expect(resolve).toThrow(message);
  });

  it('never puts the token in an error', () => {
    const files = { [DEFAULT_FILE]: '{"url":"ftp://x","token":"s3cret"}' };

    expect(() => resolveConnection(inputs({}, files))).toThrow(
      /^(?!.*s3cret)/s,
    );
  });
});

describe('defaultConfigPath', () => {
  it('follows XDG_CONFIG_HOME, else ~/.config', () => {
    expect(defaultConfigPath({ XDG_CONFIG_HOME: '/xdg' }, HOME)).toBe(
      '/xdg/orgctl/config.json',
    );
    expect(defaultConfigPath({}, HOME)).toBe(DEFAULT_FILE);
  });
});
