import { randomUUID } from 'node:crypto';

import type { EmulatedLog, ProposedEvent } from './emulated-log.js';

/** The stream a real node writes its statistics to, every 30 s by default. */
export const STATS_STREAM = '$stats-127.0.0.1:2113';

const JSON_CONTENT = 'application/json';

function systemEvent(type: string, data: unknown): ProposedEvent {
  return {
    id: randomUUID(),
    type,
    contentType: JSON_CONTENT,
    data: new TextEncoder().encode(JSON.stringify(data)),
    metadata: new Uint8Array(),
  };
}

/**
 * Writes what a freshly started node holds in `$all` before any client
 * writes: default users, settings and statistics, all in `$`-prefixed
 * streams with `$`-prefixed types. Code that forgets to exclude system
 * events meets them here as it would in production.
 */
export function seedSystemEvents(log: EmulatedLog): void {
  const any = { kind: 'any' } as const;
  log.append('$users', [systemEvent('$UserCreated', 'admin')], any);
  log.append(
    '$user-admin',
    [systemEvent('$user', { loginName: 'admin', groups: ['$admins'] })],
    any,
  );
  log.append('$users', [systemEvent('$UserCreated', 'ops')], any);
  log.append(
    '$user-ops',
    [systemEvent('$user', { loginName: 'ops', groups: ['$ops'] })],
    any,
  );
  log.append(
    '$settings',
    [
      systemEvent('$settings', {
        $userStreamAcl: { $r: '$all', $w: '$all' },
        $systemStreamAcl: { $r: '$admins', $w: '$admins' },
      }),
    ],
    any,
  );
  log.append(
    `$$${STATS_STREAM}`,
    [systemEvent('$metadata', { $maxAge: 86400 })],
    any,
  );
  writeStatsEvent(log);
}

/** Appends one `$statsCollected` event, as a node does periodically. */
export function writeStatsEvent(log: EmulatedLog): void {
  log.append(
    STATS_STREAM,
    [
      systemEvent('$statsCollected', {
        'proc-startTime': new Date().toISOString(),
      }),
    ],
    { kind: 'any' },
  );
}
