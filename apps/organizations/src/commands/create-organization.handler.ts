import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { authorize, decide } from '@org/domain';

import { Clock } from './clock.js';
import { type CommandOutcome, toDomain } from './command-request.js';
import { CreateOrganization } from './create-organization.command.js';
import { NameReservations } from './name-reservations.js';
import { OrganizationStreams } from './organization-streams.js';
import { acceptedOutcome } from './outcomes.js';

/**
 * Authorize, decide (which validates everything before anything is
 * written), reserve the name, append the creation to a new stream, reply.
 */
@CommandHandler(CreateOrganization)
export class CreateOrganizationHandler implements ICommandHandler<CreateOrganization> {
  constructor(
    private readonly streams: OrganizationStreams,
    private readonly names: NameReservations,
    private readonly clock: Clock,
  ) {}

  async execute({ request }: CreateOrganization): Promise<CommandOutcome> {
    const proposed = toDomain(request, this.clock.newId(), this.clock.now());
    authorize(proposed.command, proposed.context);
    const [created] = decide(null, proposed.command, proposed.context);
    const name =
      created?.type === 'OrganizationCreated' ? created.data.name : '';

    const orgId = await this.names.reserve(name, proposed.context);
    const { command, context } = toDomain(request, orgId, proposed.context.now);
    const events = decide(null, command, context);

    const result = await this.streams.append(
      { state: null, revision: -1 },
      events,
      context.commandId,
    );
    return acceptedOutcome(orgId, context.commandId, events, result);
  }
}
