import { createHash } from 'node:crypto';

// A fixed namespace for this service's name-based UUIDs (RFC 9562, version 5).
const NAMESPACE = Buffer.from('6f1c2a5e8b7d4c3a9e0f1a2b3c4d5e6f', 'hex');

/**
 * The id of the `index`-th event a command records. The same command always
 * yields the same ids, so an append retried after a crash is stored once.
 */
export function eventIdFor(commandId: string, index: number | string): string {
  return uuidV5(`${commandId}/${String(index)}`);
}

/** A UUID (version 5) that always derives from the same name in this service. */
export function nameBasedId(name: string): string {
  return uuidV5(name);
}

function uuidV5(name: string): string {
  const hash = createHash('sha1')
    .update(NAMESPACE)
    .update(name, 'utf8')
    .digest();
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50;
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
