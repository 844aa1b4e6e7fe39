import { ERASED, PERSONAL_STATE_PATHS } from '@org/domain';

import type { AuditEntry, FieldChange } from './audit-history.port.js';
import { personalMarkers } from './field-changes.js';

/**
 * The entry as it reads once its organization's personal data is erased:
 * every personal value shows as erased, and a change between two values
 * that now read alike is dropped, so the entry equals the one a rebuild
 * from the erased events writes. Who did what, when and under which
 * ticket stays.
 */
export function erasedEntry(entry: AuditEntry): AuditEntry {
  const changes = entry.changes.flatMap((change) => erasedChange(change));
  const personal = personalMarkers(changes);
  return {
    ...entry,
    changes,
    personal: entry.personal.includes('actor.id')
      ? ['actor.id', ...personal]
      : personal,
  };
}

function erasedChange(change: FieldChange): FieldChange[] {
  if (!PERSONAL_STATE_PATHS.includes(change.path)) return [change];
  const before = change.before === null ? null : ERASED;
  const after = change.after === null ? null : ERASED;
  return before === after ? [] : [{ path: change.path, before, after }];
}
