import { Inject, Logger } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  authorize,
  type CommandContext,
  decide,
  DomainError,
  type OrganizationCommand,
  type OrganizationEvent,
  type OrganizationState,
} from '@org/domain';
import { type LoadedState, WrongExpectedRevisionError } from '@org/event-store';

import { APP_CONFIG } from '../config/app-config.token.js';
import type { AppConfig } from '../config/configuration.js';
import { Metrics } from '../metrics/metrics.js';
import { ChangeOrganization } from './change-organization.command.js';
import { Clock } from './clock.js';
import { type CommandOutcome, toDomain } from './command-request.js';
import { KeyedLock } from './keyed-lock.js';
import { OrganizationStreams } from './organization-streams.js';
import {
  acceptedOutcome,
  recoveredOutcome,
  staleRevision,
  tooManyConflicts,
  unchangedOutcome,
} from './outcomes.js';

/**
 * Authorize, load, decide, append, reply. Commands to one organization take
 * turns in this process; a conflict with another replica loads and decides
 * again, a bounded number of times, unless the caller named the revision.
 */
@CommandHandler(ChangeOrganization)
export class ChangeOrganizationHandler implements ICommandHandler<ChangeOrganization> {
  private readonly logger = new Logger(ChangeOrganizationHandler.name);
  private readonly turns = new KeyedLock();

  constructor(
    private readonly streams: OrganizationStreams,
    private readonly clock: Clock,
    private readonly metrics: Metrics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ request }: ChangeOrganization): Promise<CommandOutcome> {
    const orgId = request.envelope.orgId ?? '';
    const { command, context } = toDomain(request, orgId, this.clock.now());
    authorize(command, context);

    const expected = request.envelope.expectedRevision;
    return this.turns.run(orgId, () =>
      this.attempt(command, context, expected, 1),
    );
  }

  private async attempt(
    command: OrganizationCommand,
    context: CommandContext,
    expectedRevision: number | undefined,
    attempt: number,
  ): Promise<CommandOutcome> {
    const loaded = await this.streams.load(context.orgId);
    const events = await this.decideAnew(
      command,
      context,
      loaded,
      expectedRevision,
    );
    if (!Array.isArray(events)) return events;

    try {
      const result = await this.streams.append(
        loaded,
        events,
        context.commandId,
      );
      return acceptedOutcome(context.orgId, context.commandId, events, result);
    } catch (error: unknown) {
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
      this.metrics.conflict();
      if (expectedRevision !== undefined)
        throw staleRevision(expectedRevision, error.actual);
      if (attempt > this.config.COMMAND_RETRIES)
        throw tooManyConflicts(attempt);
      this.metrics.retry();
      await backOff(attempt);
      this.logger.debug({
        msg: 'conflict, deciding again',
        commandId: context.commandId,
        attempt,
      });
      return this.attempt(command, context, expectedRevision, attempt + 1);
    }
  }

  /**
   * The events the command records, or its answer when it records none. A
   * command that changes nothing or is refused may have been applied by an
   * earlier attempt that a crash kept from replying: its recorded events
   * then give the first answer again. Only this rare path reads them.
   */
  private async decideAnew(
    command: OrganizationCommand,
    context: CommandContext,
    loaded: LoadedState<OrganizationState>,
    expectedRevision: number | undefined,
  ): Promise<OrganizationEvent[] | CommandOutcome> {
    try {
      if (
        expectedRevision !== undefined &&
        expectedRevision !== loaded.revision
      ) {
        throw staleRevision(expectedRevision, loaded.revision);
      }
      const events = decide(loaded.state, command, context);
      if (events.length > 0) return events;
      return (
        (await this.earlierAnswer(context)) ??
        unchangedOutcome(context.orgId, loaded.revision)
      );
    } catch (error: unknown) {
      if (!(error instanceof DomainError)) throw error;
      const earlier = await this.earlierAnswer(context);
      if (earlier === null) throw error;
      return earlier;
    }
  }

  private async earlierAnswer(
    context: CommandContext,
  ): Promise<CommandOutcome | null> {
    const recorded = await this.streams.recordedBy(
      context.orgId,
      context.commandId,
    );
    return recorded.length === 0
      ? null
      : recoveredOutcome(context.orgId, recorded);
  }
}

// Replicas that keep colliding on one organization take turns sooner when
// each waits a little, and a random while.
function backOff(attempt: number): Promise<void> {
  const ms = Math.random() * Math.min(100, 2 ** attempt);
  return new Promise((resolve) => setTimeout(resolve, ms));
}
