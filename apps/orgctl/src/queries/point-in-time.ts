import { UsageError } from '../cli/errors.js';
import type { PointInTime } from './organization-view.js';

const ISO_DATE = /^\d{4}-\d\d-\d\d/;

/** A revision (`12`) or an ISO 8601 moment (`2026-12-01T09:00:00Z`). */
export function parsePointInTime(text: string, flag: string): PointInTime {
  const trimmed = text.trim();
  if (/^\d{1,15}$/.test(trimmed)) return { revision: Number(trimmed) };
  if (ISO_DATE.test(trimmed) && !Number.isNaN(Date.parse(trimmed))) {
    return { at: new Date(trimmed).toISOString() };
  }
  throw new UsageError(
    `${flag} must be a revision number or an ISO 8601 time such as ` +
      `2026-12-01T09:00:00Z, not "${text}"`,
  );
}

/** The point given by exactly one of `--revision` and `--at`. */
export function pointFromFlags(flags: {
  readonly revision?: string;
  readonly at?: string;
}): PointInTime {
  if ((flags.revision === undefined) === (flags.at === undefined)) {
    throw new UsageError('give either --revision <n> or --at <ISO time>');
  }
  if (flags.revision !== undefined) {
    const point = parsePointInTime(flags.revision, '--revision');
    if ('revision' in point) return point;
    throw new UsageError(
      `--revision must be a whole number, not "${flags.revision}"`,
    );
  }
  return parsePointInTime(flags.at ?? '', '--at');
}

/** How a point reads in a heading. */
export function describePoint(point: PointInTime): string {
  return 'revision' in point ? `revision ${point.revision}` : `at ${point.at}`;
}
