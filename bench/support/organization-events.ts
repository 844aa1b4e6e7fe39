import { randomBytes, randomUUID } from 'node:crypto';

import {
  type Actor,
  type CommandContext,
  decide,
  evolve,
  initialState,
  type OrganizationCommand,
  type OrganizationEvent,
  type OrganizationState,
  uuidV7,
} from '@org/domain';
import type { NewEvent } from '@org/event-store';

/** The session timeout the `n`th settings change sets; never the previous one. */
export function sessionTimeout(n: number): number {
  return 10 + (n % 1000);
}

export function ownerOf(index: number): string {
  return `owner-${index}`;
}

export function nameOf(index: number, run: string): string {
  return `bench-${run}-${index}`;
}

/**
 * The events of an organization created and then given `count - 1`
 * security settings changes, decided by the real domain, one minute apart
 * from `start`.
 */
export function organizationHistory(
  index: number,
  count: number,
  start: Date,
  run = 'seed',
): { orgId: string; events: NewEvent[] } {
  const orgId = uuidV7(start.getTime(), randomBytes(10));
  const owner: Actor = { type: 'user', id: ownerOf(index), orgId };
  const support: Actor = { type: 'support', id: 'agent-1' };
  let state: OrganizationState = initialState;
  const events: NewEvent[] = [];
  for (let i = 0; i < count; i += 1) {
    const at = new Date(start.getTime() + i * 60_000);
    const decided =
      i === 0
        ? decideAt(state, create(index, run), orgId, support, at)
        : decideAt(state, changeSettings(i), orgId, owner, at);
    for (const event of decided) {
      state = evolve(state, event);
      events.push(toNewEvent(event));
    }
  }
  return { orgId, events };
}

function decideAt(
  state: OrganizationState,
  command: OrganizationCommand,
  orgId: string,
  actor: Actor,
  now: Date,
): OrganizationEvent[] {
  const commandId = randomUUID();
  const context: CommandContext = {
    orgId,
    actor,
    reference: actor.type === 'support' ? 'SUP-1' : null,
    commandId,
    correlationId: commandId,
    causationId: commandId,
    now,
  };
  return decide(state, command, context);
}

function create(index: number, run: string): OrganizationCommand {
  return {
    type: 'CreateOrganization',
    payload: {
      name: nameOf(index, run),
      displayName: `Bench ${index}`,
      contactEmail: `ops-${index}@bench.example`,
      ownerUserId: ownerOf(index),
    },
  };
}

function changeSettings(n: number): OrganizationCommand {
  return {
    type: 'ChangeSecuritySettings',
    payload: { sessionTimeoutMinutes: sessionTimeout(n) },
  };
}

function toNewEvent(event: OrganizationEvent): NewEvent {
  return {
    id: randomUUID(),
    type: event.type,
    schemaVersion: event.schemaVersion,
    data: event.data,
    metadata: { ...event.metadata },
  };
}
