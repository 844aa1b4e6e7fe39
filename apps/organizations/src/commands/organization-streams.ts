import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  type AppendResult,
  type EventSourcedRepository,
  type EventStore,
  type LoadedState,
  type NewEvent,
  type RecordedEvent,
} from '@org/event-store';
import type { OrganizationEvent, OrganizationState } from '@org/domain';

import { eventIdFor } from './deterministic-ids.js';

export const EVENT_STORE = Symbol('EventStore');
export const ORGANIZATION_REPOSITORY = Symbol('OrganizationRepository');

export type OrganizationRepository = EventSourcedRepository<
  OrganizationState,
  OrganizationEvent
>;

// How far back a command looks for events it may have recorded before a
// crash cut it off from storing its reply.
const RECOVERY_WINDOW = 64;

/** Every organization's stream is named with this prefix and its id. */
export const ORGANIZATION_STREAM_PREFIX = 'organization-';

export function organizationStream(orgId: string): string {
  return `${ORGANIZATION_STREAM_PREFIX}${orgId}`;
}

/** The domain's view of a recorded event; the store has upcast it to the current schema. */
export function toOrganizationEvent(
  recorded: RecordedEvent,
): OrganizationEvent {
  const { type, schemaVersion, data, metadata } = recorded;
  return {
    type,
    schemaVersion,
    data,
    metadata,
  } as unknown as OrganizationEvent;
}

/** Organization streams: loading, appending with deterministic ids, and reading history. */
@Injectable()
export class OrganizationStreams {
  private readonly logger = new Logger(OrganizationStreams.name);

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(ORGANIZATION_REPOSITORY)
    private readonly repository: OrganizationRepository,
  ) {}

  load(orgId: string): Promise<LoadedState<OrganizationState>> {
    return this.repository.load(organizationStream(orgId));
  }

  append(
    decidedOn: LoadedState<OrganizationState>,
    events: readonly OrganizationEvent[],
    commandId: string,
  ): Promise<AppendResult> {
    const orgId = events[0]?.metadata.orgId ?? '';
    const expected = decidedOn.revision < 0 ? 'no_stream' : decidedOn.revision;
    const stored = events.map((event, i) =>
      toNewEvent(event, eventIdFor(commandId, i)),
    );
    return this.repository.append(
      organizationStream(orgId),
      stored,
      expected,
      decidedOn,
    );
  }

  /** The stream's events as stored, not upcast, for the hash chain. */
  storedHistory(orgId: string): Promise<RecordedEvent[]> {
    return this.store.readStream(organizationStream(orgId), {
      asStored: true,
    });
  }

  /** Events up to a revision or a moment, in order, as the domain knows them. */
  async history(orgId: string): Promise<OrganizationEvent[]> {
    const recorded = await this.store.readStream(organizationStream(orgId));
    return recorded.map(toOrganizationEvent);
  }

  /**
   * The events a command recorded, if it recorded any among the stream's
   * latest ones: a command retried after a crash answers from them.
   */
  async recordedBy(orgId: string, commandId: string): Promise<RecordedEvent[]> {
    const latest = await this.store.readStream(organizationStream(orgId), {
      direction: 'backwards',
      maxCount: RECOVERY_WINDOW,
    });
    const mine = latest
      .filter((e) => e.metadata.commandId === commandId)
      .reverse();
    if (mine.length > 0)
      this.logger.debug({
        msg: 'command answered from its recorded events',
        commandId,
      });
    return mine;
  }
}

function toNewEvent(event: OrganizationEvent, id: string): NewEvent {
  return {
    id,
    type: event.type,
    schemaVersion: event.schemaVersion,
    data: event.data,
    metadata: { ...event.metadata },
  };
}
