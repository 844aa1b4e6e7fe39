import { once } from 'node:events';

import type { AuditEntry } from '@org/read-models';
import type { Response } from 'express';

const CSV_COLUMNS = [
  'position',
  'occurredAt',
  'orgId',
  'orgName',
  'eventType',
  'actorType',
  'actorId',
  'reference',
  'commandId',
  'correlationId',
  'causationId',
  'changes',
] as const;

/**
 * Streams entries as NDJSON or CSV, one page at a time and waiting whenever
 * the client reads slower than we write, so memory stays flat however many
 * entries there are.
 */
export async function writeExport(
  response: Response,
  format: 'ndjson' | 'csv',
  entries: AsyncIterable<AuditEntry>,
): Promise<void> {
  const csv = format === 'csv';
  response.status(200);
  response.type(csv ? 'text/csv' : 'application/x-ndjson');
  response.setHeader(
    'content-disposition',
    `attachment; filename="audit.${format}"`,
  );
  if (csv) await write(response, `${CSV_COLUMNS.join(',')}\n`);
  for await (const entry of entries) {
    await write(response, csv ? csvLine(entry) : `${JSON.stringify(entry)}\n`);
  }
  response.end();
}

async function write(response: Response, text: string): Promise<void> {
  if (!response.write(text)) await once(response, 'drain');
}

function csvLine(entry: AuditEntry): string {
  const fields: Record<(typeof CSV_COLUMNS)[number], unknown> = {
    position: entry.position,
    occurredAt: entry.occurredAt,
    orgId: entry.orgId,
    orgName: entry.orgName,
    eventType: entry.eventType,
    actorType: entry.actor.type,
    actorId: entry.actor.id,
    reference: entry.reference,
    commandId: entry.commandId,
    correlationId: entry.correlationId,
    causationId: entry.causationId,
    changes: JSON.stringify(entry.changes),
  };
  return `${CSV_COLUMNS.map((c) => csvField(fields[c])).join(',')}\n`;
}

// Quoted when needed; a leading =, +, - or @ is defused so that a
// spreadsheet never runs an entry as a formula.
function csvField(value: unknown): string {
  const text =
    typeof value === 'string' || typeof value === 'number'
      ? String(value)
      : value === null || value === undefined
        ? ''
        : JSON.stringify(value);
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
