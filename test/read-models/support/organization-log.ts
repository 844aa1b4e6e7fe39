import { randomBytes, randomUUID } from 'node:crypto';

import {
  type Actor,
  type CommandContext,
  decide,
  evolve,
  NAME_RESERVATION_SCHEMA_VERSION,
  type OrganizationCommand,
  type OrganizationEvent,
  type OrganizationState,
  uuidV7,
} from '@org/domain';
import type { AppendResult, EventStore, Position } from '@org/event-store';

export const SUPPORT: Actor = { type: 'support', id: 'agent-7' };
export const SERVICE: Actor = { type: 'service', id: 'devices-service' };

/** How a command is issued, beyond its payload. */
export interface Issue {
  readonly actor?: Actor;
  readonly reference?: string | null;
  readonly commandId?: string;
  readonly correlationId?: string;
  readonly causationId?: string;
}

interface Folded {
  state: OrganizationState;
  revision: number;
}

/**
 * Writes organization histories into an event store the way the service
 * does: commands decided by the domain, appended with the expected
 * revision, a name reservation stream beside each creation. Time moves one
 * second per command.
 */
export class OrganizationLog {
  private readonly folded = new Map<string, Folded>();
  private clock: number;
  /** The position of the last event appended. */
  head: Position = { commit: 0n, prepare: 0n };

  constructor(
    readonly store: EventStore,
    start = Date.parse('2026-12-01T09:00:00.000Z'),
  ) {
    this.clock = start;
  }

  /** Creates an organization and returns its id. */
  async create(
    name: string,
    payload: Partial<
      Extract<OrganizationCommand, { type: 'CreateOrganization' }>['payload']
    > = {},
    issue: Issue = {},
  ): Promise<string> {
    const orgId = uuidV7(this.clock, randomBytes(10));
    await this.reserve(name, orgId);
    await this.run(
      orgId,
      {
        type: 'CreateOrganization',
        payload: {
          name,
          displayName: `Org ${name}`,
          contactEmail: `ops@${name}.example`,
          ownerUserId: `owner-of-${name}`,
          ...payload,
        },
      },
      issue,
    );
    return orgId;
  }

  /** Decides and appends a command; it must be accepted. */
  async run(
    orgId: string,
    command: OrganizationCommand,
    issue: Issue = {},
  ): Promise<OrganizationEvent[]> {
    const folded = this.folded.get(orgId) ?? { state: null, revision: -1 };
    const events = decide(folded.state, command, this.context(orgId, issue));
    if (events.length === 0) return events;
    const result = await this.append(
      `organization-${orgId}`,
      events,
      folded.revision,
    );
    this.folded.set(orgId, {
      state: events.reduce(evolve, folded.state),
      revision: result.nextRevision,
    });
    return events;
  }

  state(orgId: string): OrganizationState {
    return this.folded.get(orgId)?.state ?? null;
  }

  /** Moves the clock on. */
  advance(ms: number): void {
    this.clock += ms;
  }

  private async reserve(name: string, orgId: string): Promise<void> {
    const metadata = this.context(orgId, {});
    await this.appendRaw(
      `name-reservation-${name}`,
      [
        {
          id: randomUUID(),
          type: 'OrganizationNameReserved',
          schemaVersion: NAME_RESERVATION_SCHEMA_VERSION,
          data: { name, orgId },
          metadata: { orgId, occurredAt: metadata.now.toISOString() },
        },
      ],
      'no_stream',
    );
  }

  private async append(
    streamId: string,
    events: readonly OrganizationEvent[],
    revision: number,
  ): Promise<AppendResult> {
    const stored = events.map((event) => ({
      id: randomUUID(),
      type: event.type,
      schemaVersion: event.schemaVersion,
      data: event.data,
      metadata: event.metadata as unknown as Record<string, unknown>,
    }));
    return this.appendRaw(
      streamId,
      stored,
      revision < 0 ? 'no_stream' : revision,
    );
  }

  private async appendRaw(
    ...args: Parameters<EventStore['append']>
  ): Promise<AppendResult> {
    const result = await this.store.append(...args);
    if (result.position.commit > this.head.commit) this.head = result.position;
    return result;
  }

  private context(orgId: string, issue: Issue): CommandContext {
    this.clock += 1000;
    const actor = issue.actor ?? SUPPORT;
    const commandId = issue.commandId ?? randomUUID();
    const needsReference = actor.type === 'support' || actor.type === 'sales';
    return {
      orgId,
      actor,
      reference:
        issue.reference === undefined
          ? needsReference
            ? 'SUP-1'
            : null
          : issue.reference,
      commandId,
      correlationId: issue.correlationId ?? commandId,
      causationId: issue.causationId ?? commandId,
      now: new Date(this.clock),
    };
  }
}
