import { Inject, Injectable, Logger } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { DomainError } from '@org/domain';

import { Metrics } from '../metrics/metrics.js';
import { ChangeOrganization } from './change-organization.command.js';
import type { CommandOutcome, CommandRequest } from './command-request.js';
import { CreateOrganization } from './create-organization.command.js';
import { fingerprintOf } from './fingerprint.js';
import {
  type CommandAnswer,
  REPLY_STORE,
  type ReplyStore,
} from './replies/reply-store.js';

interface InFlight {
  readonly fingerprint: string;
  readonly reply: Promise<CommandAnswer>;
}

/**
 * Where every command enters, whatever its transport. A command id has its
 * effect once: the same id again gets the first answer, from memory while
 * the first is still running and from the reply store afterwards; the same
 * id for anything else is refused with IDEMPOTENCY_MISMATCH.
 */
@Injectable()
export class CommandGateway {
  private readonly logger = new Logger(CommandGateway.name);
  private readonly inFlight = new Map<string, InFlight>();

  constructor(
    private readonly commandBus: CommandBus,
    @Inject(REPLY_STORE) private readonly replies: ReplyStore,
    private readonly metrics: Metrics,
  ) {}

  async submit(request: CommandRequest): Promise<CommandAnswer> {
    const { commandId } = request.envelope;
    const fingerprint = fingerprintOf({
      ...request.envelope,
      correlationId: undefined,
      actor: request.actor,
    });
    const running = this.inFlight.get(commandId);
    if (running !== undefined) return this.again(request, running, fingerprint);

    const reply = this.answerOnce(request, fingerprint);
    this.inFlight.set(commandId, { fingerprint, reply });
    try {
      return await reply;
    } finally {
      this.inFlight.delete(commandId);
    }
  }

  private async answerOnce(
    request: CommandRequest,
    fingerprint: string,
  ): Promise<CommandAnswer> {
    const { commandId } = request.envelope;
    const stored = await this.replies.get(commandId);
    if (stored !== null) return this.again(request, stored, fingerprint);

    const reply = await this.execute(request);
    if (isFinal(reply))
      await this.replies.put({ commandId, fingerprint, reply });
    return reply;
  }

  private async again(
    request: CommandRequest,
    first: {
      readonly fingerprint: string;
      readonly reply: CommandAnswer | Promise<CommandAnswer>;
    },
    fingerprint: string,
  ): Promise<CommandAnswer> {
    const { commandId, type } = request.envelope;
    if (first.fingerprint !== fingerprint) {
      this.metrics.commandHandled(type, 'rejected', 0, 'IDEMPOTENCY_MISMATCH');
      return rejected(
        commandId,
        new DomainError(
          'IDEMPOTENCY_MISMATCH',
          `command ${commandId} was already sent with other content; use a new command id`,
        ),
      );
    }
    this.metrics.commandHandled(type, 'replayed', 0);
    return first.reply;
  }

  private async execute(request: CommandRequest): Promise<CommandAnswer> {
    const { commandId, type } = request.envelope;
    const started = process.hrtime.bigint();
    const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
    try {
      const outcome = await this.commandBus.execute(
        type === 'CreateOrganization'
          ? new CreateOrganization(request)
          : new ChangeOrganization(request),
      );
      this.metrics.commandHandled(
        type,
        outcome.events.length > 0 ? 'accepted' : 'unchanged',
        seconds(),
      );
      this.logger.debug({
        msg: 'command accepted',
        commandId,
        type,
        events: outcome.events.length,
      });
      return accepted(commandId, outcome);
    } catch (error: unknown) {
      if (!(error instanceof DomainError)) {
        this.metrics.commandHandled(type, 'failed', seconds());
        throw error;
      }
      this.metrics.commandHandled(type, 'rejected', seconds(), error.code);
      this.logger.debug({
        msg: 'command rejected',
        commandId,
        type,
        code: error.code,
      });
      return rejected(commandId, error);
    }
  }
}

// A conflict says "the organization moved, try again": the same command id
// must be able to go through later, so that answer is not remembered.
function isFinal(reply: CommandAnswer): boolean {
  return reply.status === 'accepted' || reply.code !== 'CONFLICT';
}

function accepted(commandId: string, outcome: CommandOutcome): CommandAnswer {
  return { status: 'accepted', commandId, ...outcome };
}

function rejected(commandId: string, error: DomainError): CommandAnswer {
  return {
    status: 'rejected',
    commandId,
    code: error.code,
    message: error.message,
    ...(Object.keys(error.details).length > 0
      ? { details: error.details }
      : {}),
  };
}
