import { createHash, type Hash } from 'node:crypto';

/**
 * A digest of a read model's content, fed one record at a time in a fixed
 * order. Records are written as JSON with sorted keys, so that equal data
 * gives equal digests whatever order its fields were built in.
 */
export class ContentDigest {
  private readonly hash: Hash = createHash('sha256');

  add(record: unknown): void {
    this.hash.update(canonicalJson(record));
    this.hash.update('\n');
  }

  hex(): string {
    return this.hash.digest('hex');
  }
}

/** JSON with the keys of every object sorted, and bigints as strings. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => {
    if (typeof item === 'bigint') return item.toString();
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      return item;
    }
    return Object.fromEntries(
      Object.entries(item).sort(([a], [b]) => (a < b ? -1 : 1)),
    );
  });
}
