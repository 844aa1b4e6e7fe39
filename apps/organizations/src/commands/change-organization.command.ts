import { Command } from '@nestjs/cqrs';

import type { CommandOutcome, CommandRequest } from './command-request.js';

/** Any command to an existing organization: every type but CreateOrganization. */
export class ChangeOrganization extends Command<CommandOutcome> {
  constructor(readonly request: CommandRequest) {
    super();
  }
}
