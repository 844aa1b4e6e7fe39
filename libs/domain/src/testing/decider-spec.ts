import { expect } from '@jest/globals';

import type { Actor } from '../actor.js';
import { DomainError, type ErrorCode } from '../errors.js';
import type { OrganizationCommand } from '../organization/commands.js';
import type { CommandContext } from '../organization/context.js';
import { decide } from '../organization/decide.js';
import type { EventBody, OrganizationEvent } from '../organization/events.js';
import { evolve } from '../organization/evolve.js';
import { initialState, type OrganizationState } from '../organization/state.js';

export const ORG_ID = '0193a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b';
export const OTHER_ORG_ID = '0193a1b2-c3d4-7e5f-9a6b-000000000002';
export const NOW = new Date('2026-12-01T12:00:00.000Z');
export const OWNER = 'owner-1';

export const actors = {
  support: { type: 'support', id: 'agent-7' },
  sales: { type: 'sales', id: 'rep-3' },
  service: { type: 'service', id: 'devices-service' },
  system: { type: 'system', id: 'deletion-executor' },
  owner: user(OWNER),
  admin: user('admin-1'),
  developer: user('dev-1'),
  billing: user('billing-1'),
  viewer: user('viewer-1'),
  stranger: { type: 'user', id: OWNER, orgId: OTHER_ORG_ID },
} as const satisfies Record<string, Actor>;

export function user(id: string, orgId = ORG_ID): Actor {
  return { type: 'user', id, orgId };
}

let commandCounter = 0;

/** A command context as the pipeline would build it, with a reference where one is required. */
export function context(
  overrides: Partial<CommandContext> = {},
): CommandContext {
  const actor = overrides.actor ?? actors.support;
  const needsReference = actor.type === 'support' || actor.type === 'sales';
  commandCounter += 1;
  return {
    orgId: ORG_ID,
    actor,
    reference: needsReference ? 'SUP-4821' : null,
    commandId: `cmd-${commandCounter}`,
    correlationId: 'corr-1',
    causationId: `cmd-${commandCounter}`,
    now: NOW,
    ...overrides,
  };
}

export function fold(events: readonly OrganizationEvent[]): OrganizationState {
  return events.reduce(evolve, initialState);
}

/**
 * Builds a history by deciding commands in turn, so that tests start from
 * states the domain itself produced. Every step must be accepted.
 */
export function history(
  ...steps: readonly (
    OrganizationCommand | [OrganizationCommand, Partial<CommandContext>]
  )[]
): OrganizationEvent[] {
  const events: OrganizationEvent[] = [];
  for (const step of steps) {
    const [command, overrides] = Array.isArray(step) ? step : [step, {}];
    events.push(...decide(fold(events), command, context(overrides)));
  }
  return events;
}

export function bodies(events: readonly OrganizationEvent[]): EventBody[] {
  return events.map(({ type, data }) => ({ type, data }) as EventBody);
}

/** given events / when a command / then events or a refusal. */
export function given(...past: readonly OrganizationEvent[]) {
  return {
    when(
      command: OrganizationCommand,
      overrides: Partial<CommandContext> = {},
    ) {
      const run = () => decide(fold(past), command, context(overrides));
      return {
        then(...expected: readonly EventBody[]): OrganizationEvent[] {
          const events = run();
          expect(bodies(events)).toEqual(expected);
          return events;
        },
        thenNothing(): void {
          expect(run()).toEqual([]);
        },
        thenRefuses(
          code: ErrorCode,
          details?: Record<string, unknown>,
        ): DomainError {
          const error = refusalOf(run);
          expect(error.code).toBe(code);
          if (details !== undefined)
            expect(error.details).toMatchObject(details);
          return error;
        },
        thenState(): OrganizationState {
          return fold([...past, ...run()]);
        },
      };
    },
  };
}

export function refusalOf(run: () => unknown): DomainError {
  try {
    run();
  } catch (error: unknown) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected the command to be refused, but it was accepted');
}
