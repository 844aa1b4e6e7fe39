import {
  type Actor,
  decide,
  evolve,
  type OrganizationCommand,
  type OrganizationState,
} from '@org/domain';
import type { RecordedEvent } from '@org/event-store';

export const ORG_ID = '0193a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b';
const SUPPORT: Actor = { type: 'support', id: 'agent-7' };

/**
 * Events as the event store would hand them to a projection: commands
 * decided in turn by the domain, recorded in one stream with revisions
 * and positions from 1.
 */
export function recordedHistory(
  ...commands: readonly OrganizationCommand[]
): RecordedEvent[] {
  const recorded: RecordedEvent[] = [];
  let state: OrganizationState = null;
  commands.forEach((command, step) => {
    const now = new Date(Date.UTC(2026, 11, 1, 9, 0, step));
    const events = decide(state, command, {
      orgId: ORG_ID,
      actor: SUPPORT,
      reference: 'SUP-1',
      commandId: `cmd-${step}`,
      correlationId: `cmd-${step}`,
      causationId: `cmd-${step}`,
      now,
    });
    for (const event of events) {
      const position = BigInt(recorded.length + 1);
      recorded.push({
        id: `event-${position.toString()}`,
        type: event.type,
        schemaVersion: event.schemaVersion,
        data: event.data,
        metadata: event.metadata as unknown as Record<string, unknown>,
        streamId: `organization-${ORG_ID}`,
        revision: recorded.length,
        position: { commit: position, prepare: position },
        recordedAt: now.toISOString(),
      });
      state = evolve(state, event);
    }
  });
  return recorded;
}

export const CREATE: OrganizationCommand = {
  type: 'CreateOrganization',
  payload: {
    name: 'acme-industrial',
    displayName: 'Acme Industrial',
    contactEmail: 'ops@acme.example',
    ownerUserId: 'owner-1',
  },
};
