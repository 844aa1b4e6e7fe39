import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
} from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import type { AppConfig } from '../config/configuration.js';

/** The embedded default's private key, made on first start. */
export const GENERATED_PRIVATE_KEY_FILE = 'integrity-signing-key.pem';
/** Its public key, next to it, for whoever verifies digests. */
export const GENERATED_PUBLIC_KEY_FILE = 'integrity-signing-key.pub.pem';

/** The Ed25519 key the service signs digests with. */
export interface SigningKey {
  /** PEM, PKCS8. */
  readonly privateKeyPem: string;
  /** PEM, SPKI. */
  readonly publicKeyPem: string;
  /** Where the private key was read from or written to. */
  readonly file: string;
}

export const SIGNING_KEY = Symbol('SigningKey');

/**
 * The key from `INTEGRITY_SIGNING_KEY_FILE`, or else the one in the data
 * folder, generated there on first start (private key mode 0600, public key
 * next to it). Throws when the file is not an Ed25519 private key.
 */
export function loadSigningKey(config: AppConfig): SigningKey {
  const configured = config.INTEGRITY_SIGNING_KEY_FILE;
  const file = configured ?? join(config.DATA_DIR, GENERATED_PRIVATE_KEY_FILE);
  if (configured === null && !existsSync(file)) {
    generateInto(config.DATA_DIR, file);
  }
  const privateKey = createPrivateKey(readFileSync(file, 'utf8'));
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new Error(
      `${file}: the integrity signing key must be an Ed25519 private key ` +
        `(PEM, PKCS8), not ${privateKey.asymmetricKeyType ?? 'a secret key'}`,
    );
  }
  return {
    privateKeyPem: privateKey
      .export({ type: 'pkcs8', format: 'pem' })
      .toString(),
    publicKeyPem: createPublicKey(privateKey)
      .export({ type: 'spki', format: 'pem' })
      .toString(),
    file,
  };
}

function generateInto(dataDir: string, file: string): void {
  mkdirSync(dataDir, { recursive: true });
  const { privateKey, publicKey } = generateKeyPairSync('ed25519', {
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  // `wx`: a replica that starts at the same moment keeps the other's key.
  try {
    writeFileSync(file, privateKey, { mode: 0o600, flag: 'wx' });
  } catch (error: unknown) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return;
    throw error;
  }
  writeFileSync(join(dataDir, GENERATED_PUBLIC_KEY_FILE), publicKey, {
    mode: 0o644,
  });
}
