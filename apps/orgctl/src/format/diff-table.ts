import type { Change } from '../diff/structural-diff.js';
import { renderTable } from './table.js';

/** Changes as a table of path, before and after. */
export function renderChanges(changes: readonly Change[]): string {
  if (changes.length === 0) return 'no differences';
  return renderTable(
    ['path', 'before', 'after'],
    changes.map((change) => [
      change.path === '' ? '(whole state)' : change.path,
      shown(change.kind === 'added', change.before),
      shown(change.kind === 'removed', change.after),
    ]),
  );
}

function shown(absent: boolean, value: unknown): string {
  return absent ? '(absent)' : JSON.stringify(value);
}
