import { createHash } from 'node:crypto';

/**
 * A digest of what a command asks for and who asks, to tell a retry (same
 * digest) from a reuse of its id for something else. The actor is part of it
 * so that nobody can read another actor's reply by guessing a command id.
 */
export function fingerprintOf(request: unknown): string {
  return createHash('sha256').update(canonicalJson(request)).digest('hex');
}

/** JSON with object keys sorted at every depth, so equal data gives equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return v;
    const entries = Object.entries(v as Record<string, unknown>).sort(
      ([a], [b]) => (a < b ? -1 : a > b ? 1 : 0),
    );
    return Object.fromEntries(entries);
  });
}
