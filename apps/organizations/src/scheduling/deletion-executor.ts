import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { ValidatedEnvelope } from '@org/contracts';
import type { DirectoryEntry, OrganizationDirectory } from '@org/read-models';

import { Clock } from '../commands/clock.js';
import { CommandGateway } from '../commands/command-gateway.js';
import { nameBasedId } from '../commands/deterministic-ids.js';
import { APP_CONFIG } from '../config/app-config.token.js';
import type { AppConfig } from '../config/configuration.js';
import { ORGANIZATION_DIRECTORY } from '../read-models/read-models.tokens.js';
import { PeriodicTask } from './periodic-task.js';

const EXECUTOR = { type: 'system', id: 'deletion-executor' } as const;

/**
 * Completes the deletions whose grace period is over. Every replica may run
 * it: the command id derives from the organization and its revision, so
 * replicas that look at the same moment send the same command and it has
 * its effect once; the domain refuses a second completion, records a
 * blocked one (a legal hold, say) once, and the next change to the
 * organization gives a new command id, so a released hold is seen.
 */
@Injectable()
export class DeletionExecutor
  implements OnApplicationBootstrap, OnApplicationShutdown
{
  private readonly logger = new Logger(DeletionExecutor.name);
  private readonly task = new PeriodicTask(() => this.completeDue());

  constructor(
    @Inject(ORGANIZATION_DIRECTORY)
    private readonly directory: OrganizationDirectory,
    private readonly gateway: CommandGateway,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.task.start(this.config.DELETION_CHECK_INTERVAL_MS);
  }

  onApplicationShutdown(): Promise<void> {
    return this.task.stop();
  }

  /** Looks once for deletions due now and completes them; returns how many it sent. */
  runOnce(): Promise<number> {
    return this.task.runOnce();
  }

  private async completeDue(): Promise<number> {
    let sent = 0;
    try {
      for await (const entry of this.scheduled()) {
        if (
          Date.parse(entry.deletion?.effectiveAt ?? '') >
          this.clock.now().getTime()
        )
          continue;
        await this.complete(entry);
        sent += 1;
      }
    } catch (error: unknown) {
      this.logger.error({ msg: 'deletion executor run failed' }, error);
    }
    return sent;
  }

  private async *scheduled(): AsyncGenerator<DirectoryEntry> {
    let cursor: string | undefined;
    do {
      const page = await this.directory.list({
        status: 'deletion_scheduled',
        limit: 200,
        ...(cursor === undefined ? {} : { cursor }),
      });
      yield* page.items;
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
  }

  private async complete(entry: DirectoryEntry): Promise<void> {
    const commandId = nameBasedId(
      `complete-deletion/${entry.id}/${String(entry.revision)}`,
    );
    const envelope = {
      commandId,
      type: 'CompleteDeletion',
      orgId: entry.id,
      payload: {},
    } as ValidatedEnvelope;
    const reply = await this.gateway.submit({
      envelope,
      actor: EXECUTOR,
      correlationId: commandId,
    });
    this.logger.log({
      msg: 'deletion completion sent',
      orgId: entry.id,
      outcome:
        reply.status === 'accepted'
          ? reply.events.map((e) => e.type).join(',')
          : reply.code,
    });
  }
}
