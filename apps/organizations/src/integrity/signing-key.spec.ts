import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { signDigest, verifyDigest } from '@org/event-store';

import {
  makeTempDir,
  removeTempDir,
} from '../../../../test/support/temp-dir.js';
import { loadConfig } from '../config/configuration.js';
import {
  GENERATED_PRIVATE_KEY_FILE,
  GENERATED_PUBLIC_KEY_FILE,
  loadSigningKey,
} from './signing-key.js';

describe('the integrity signing key', () => {
  let dataDir: string;

  beforeEach(async () => {
    dataDir = await makeTempDir('signing-key');
  });

  afterEach(async () => {
    await removeTempDir(dataDir);
  });

  it('is generated into the data folder on first start and kept after', () => {
    const config = loadConfig({ DATA_DIR: dataDir });

    const first = loadSigningKey(config);
    const second = loadSigningKey(config);

    const file = join(dataDir, GENERATED_PRIVATE_KEY_FILE);
    expect(first.file).toBe(file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dataDir, GENERATED_PUBLIC_KEY_FILE), 'utf8')).toBe(
      first.publicKeyPem,
    );
    expect(second).toEqual(first);
  });

  it('is read from INTEGRITY_SIGNING_KEY_FILE, and nothing is generated', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519', {
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    const file = join(dataDir, 'configured.pem');
    writeFileSync(file, privateKey);

    const key = loadSigningKey(
      loadConfig({ DATA_DIR: dataDir, INTEGRITY_SIGNING_KEY_FILE: file }),
    );

    expect(key.publicKeyPem).toBe(publicKey);
    const digest = signDigest([], key.privateKeyPem, new Date());
    expect(verifyDigest(digest, publicKey)).toEqual({ valid: true });
    expect(() => statSync(join(dataDir, GENERATED_PRIVATE_KEY_FILE))).toThrow();
  });

  it('refuses a key that is not Ed25519', () => {
    const { privateKey } = generateKeyPairSync('ec', {
      namedCurve: 'P-256',
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    const file = join(dataDir, 'ec.pem');
    writeFileSync(file, privateKey);

    expect(() =>
      loadSigningKey(
        loadConfig({ DATA_DIR: dataDir, INTEGRITY_SIGNING_KEY_FILE: file }),
      ),
    ).toThrow('must be an Ed25519 private key');
  });
});
