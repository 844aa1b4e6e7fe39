import { InvalidQueryError } from './errors.js';

/** One page of a listing. */
export interface Page<T> {
  readonly items: readonly T[];
  /** Pass it back for the next page; `null` when this is the last. */
  readonly nextCursor: string | null;
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 1000;

/** The page size asked for, checked; {@link DEFAULT_PAGE_SIZE} when absent. */
export function pageLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new InvalidQueryError(
      `limit must be an integer from 1 to ${MAX_PAGE_SIZE}, got ${limit}`,
    );
  }
  return limit;
}

/** An opaque cursor for a small record of strings. */
export function encodeCursor(fields: Readonly<Record<string, string>>): string {
  return Buffer.from(JSON.stringify(fields), 'utf8').toString('base64url');
}

/**
 * The fields of a cursor made by {@link encodeCursor} for a listing of
 * `kind`; throws {@link InvalidQueryError} for anything else.
 */
export function decodeCursor(
  cursor: string,
  kind: string,
): Readonly<Record<string, string>> {
  const fields = parseCursor(cursor);
  if (fields?.k !== kind) {
    throw new InvalidQueryError(
      'the cursor is not one this listing handed out; start again without it',
    );
  }
  return fields;
}

function parseCursor(cursor: string): Record<string, string> | undefined {
  try {
    const parsed: unknown = JSON.parse(
      Buffer.from(cursor, 'base64url').toString('utf8'),
    );
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const entries = Object.entries(parsed);
    return entries.every(([, value]) => typeof value === 'string')
      ? Object.fromEntries(entries)
      : undefined;
  } catch {
    return undefined;
  }
}
