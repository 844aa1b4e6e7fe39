import {
  Body,
  Controller,
  HttpCode,
  Post,
  Res,
  UseGuards,
} from '@nestjs/common';
import { validateCommandEnvelope } from '@org/contracts';
import { type Actor, validationFailed } from '@org/domain';
import type { Response } from 'express';

import { BearerAuthGuard, CurrentActor } from '../auth/bearer-auth.guard.js';
import { CommandGateway } from '../commands/command-gateway.js';
import type { AcceptedReply } from '@org/contracts';
import { currentCorrelationId } from '../logging/request-context.js';
import { problem, type ProblemDocument } from './problem-details.filter.js';

/** `POST /v1/commands`: the one way to change anything over HTTP. */
@Controller('v1/commands')
@UseGuards(BearerAuthGuard)
export class CommandsController {
  constructor(private readonly gateway: CommandGateway) {}

  @Post()
  @HttpCode(200)
  async submit(
    @Body() body: unknown,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) response: Response,
  ): Promise<AcceptedReply | ProblemDocument> {
    const validated = validateCommandEnvelope(body);
    if (!validated.ok) throw validationFailed(validated.problems);
    const correlationId =
      validated.envelope.correlationId ?? currentCorrelationId();
    const reply = await this.gateway.submit({
      envelope: validated.envelope,
      actor,
      correlationId: correlationId ?? validated.envelope.commandId,
    });
    if (reply.status === 'accepted') return reply;
    const refusal = problem(reply.code, reply.message, reply.details);
    response.status(refusal.status).type('application/problem+json');
    return { ...refusal, commandId: reply.commandId };
  }
}
