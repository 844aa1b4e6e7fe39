import { Inject, Injectable } from '@nestjs/common';
import {
  type CommandContext,
  DomainError,
  eventMetadata,
  NAME_RESERVATION_SCHEMA_VERSION,
  type OrganizationNameReserved,
} from '@org/domain';
import {
  type EventStore,
  type NewEvent,
  WrongExpectedRevisionError,
} from '@org/event-store';

import { eventIdFor } from './deterministic-ids.js';
import { EVENT_STORE } from './organization-streams.js';

export function nameReservationStream(name: string): string {
  return `name-reservation-${name}`;
}

/**
 * Organization names, each claimed forever by the first organization that
 * reserves it: a stream per name, appended only when it does not exist.
 */
@Injectable()
export class NameReservations {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /**
   * Reserves `name` for the organization `context.orgId` and returns the id
   * that holds it. When an earlier attempt of the same command reserved it,
   * that attempt's organization id is returned, so a creation retried after
   * a crash completes the same organization.
   */
  async reserve(name: string, context: CommandContext): Promise<string> {
    const holder = await this.holder(name);
    if (holder !== null)
      return this.ownHolding(name, holder, context.commandId);
    try {
      await this.store.append(
        nameReservationStream(name),
        [reservation(name, context)],
        'no_stream',
      );
    } catch (error: unknown) {
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
    }
    const reserved = await this.holder(name);
    if (reserved === null) throw new Error(`reservation of ${name} vanished`);
    return this.ownHolding(name, reserved, context.commandId);
  }

  private async holder(name: string): Promise<OrganizationNameReserved | null> {
    const [first] = await this.store.readStream(nameReservationStream(name), {
      maxCount: 1,
    });
    return first === undefined
      ? null
      : (first as unknown as OrganizationNameReserved);
  }

  private ownHolding(
    name: string,
    holder: OrganizationNameReserved,
    commandId: string,
  ): string {
    if (holder.metadata.commandId === commandId) return holder.data.orgId;
    throw new DomainError(
      'NAME_TAKEN',
      `the name ${name} belongs to another organization, now or in the past; choose another`,
      { name },
    );
  }
}

function reservation(name: string, context: CommandContext): NewEvent {
  return {
    id: eventIdFor(context.commandId, 'name'),
    type: 'OrganizationNameReserved',
    schemaVersion: NAME_RESERVATION_SCHEMA_VERSION,
    data: { name, orgId: context.orgId },
    metadata: { ...eventMetadata(context) },
  };
}
