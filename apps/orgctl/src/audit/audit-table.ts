import { renderTable } from '../format/table.js';

/** An audit entry as `GET /v1/audit` gives it, as far as orgctl shows it. */
export interface AuditEntryView {
  readonly occurredAt: string;
  readonly orgId: string;
  readonly orgName: string;
  readonly revision: number;
  readonly eventType: string;
  readonly actor: { readonly type: string; readonly id: string };
  readonly reference: string | null;
  readonly changes: readonly { readonly path: string }[];
}

export interface AuditPage {
  readonly items: readonly AuditEntryView[];
  readonly nextCursor: string | null;
}

const CHANGED_WIDTH = 40;

/** A page of audit entries as a table, and how to get the next page. */
export function renderAuditPage(page: AuditPage): string {
  if (page.items.length === 0) return 'no audit entries match';
  const table = renderTable(
    ['occurred at', 'organization', 'rev', 'event', 'actor', 'ref', 'changed'],
    page.items.map((entry) => [
      entry.occurredAt,
      entry.orgName,
      String(entry.revision),
      entry.eventType,
      `${entry.actor.type}:${entry.actor.id}`,
      entry.reference ?? '-',
      changed(entry),
    ]),
  );
  return page.nextCursor === null
    ? table
    : `${table}\n\nmore: --cursor ${page.nextCursor}`;
}

function changed(entry: AuditEntryView): string {
  const paths = [...new Set(entry.changes.map((c) => c.path))].join(', ');
  return paths.length > CHANGED_WIDTH
    ? `${paths.slice(0, CHANGED_WIDTH - 1)}…`
    : paths;
}
