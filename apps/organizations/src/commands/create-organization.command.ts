import { Command } from '@nestjs/cqrs';

import type { CommandOutcome, CommandRequest } from './command-request.js';

/** Creates an organization under a new id that the service chooses. */
export class CreateOrganization extends Command<CommandOutcome> {
  constructor(readonly request: CommandRequest) {
    super();
  }
}
