import type { AcceptedReply } from '@org/contracts';

import { renderFields } from './table.js';

/** An accepted reply as people read it. */
export function renderAcceptedReply(
  type: string,
  reply: AcceptedReply,
): string {
  const events =
    reply.events.length === 0
      ? 'none (nothing changed)'
      : reply.events.map((event) => event.type).join(', ');
  return renderFields([
    ['status', `${reply.status} (${type})`],
    ['org id', reply.orgId],
    ['revision', String(reply.revision)],
    ['events', events],
    ['command id', reply.commandId],
  ]);
}
