import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import {
  DuplicateEventIdError,
  WrongExpectedRevisionError,
} from '@org/event-store';

import { Clock } from '../commands/clock.js';
import { APP_CONFIG } from '../config/app-config.token.js';
import type { AppConfig } from '../config/configuration.js';
import { DigestLog } from './digest-log.js';
import { IntegrityQueries } from './integrity-queries.js';
import { PeriodicTask } from '../scheduling/periodic-task.js';

/** What one run of the schedule did. */
export type DigestRun =
  | 'off'
  | 'signed'
  /** The current period has its digest already. */
  | 'present'
  /** Another replica stored the period's digest first. */
  | 'taken'
  | 'failed';

// The timer looks at least this often, so that a digest is made soon
// after its period starts even when periods are long.
const MAX_TICK_MS = 60_000;

/**
 * Signs a digest of all chain heads once per period of
 * `INTEGRITY_DIGEST_EVERY_MS` (periods are aligned to the epoch) and
 * keeps it in the digest stream. Every replica runs it; the append names
 * the revision it read, so when two replicas find the same period without
 * a digest only one append is stored.
 */
@Injectable()
export class DigestSchedule
  implements OnApplicationBootstrap, OnApplicationShutdown
{
  private readonly logger = new Logger(DigestSchedule.name);
  private readonly task = new PeriodicTask(() => this.signDue());

  constructor(
    private readonly log: DigestLog,
    private readonly integrity: IntegrityQueries,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    const every = this.config.INTEGRITY_DIGEST_EVERY_MS;
    this.task.start(every === 0 ? 0 : Math.min(every, MAX_TICK_MS));
  }

  onApplicationShutdown(): Promise<void> {
    return this.task.stop();
  }

  /** Makes the current period's digest unless it exists; as the timer does. */
  runOnce(): Promise<DigestRun> {
    return this.task.runOnce();
  }

  private async signDue(): Promise<DigestRun> {
    const intervalMs = this.config.INTEGRITY_DIGEST_EVERY_MS;
    if (intervalMs === 0) return 'off';
    const now = this.clock.now().getTime();
    const start = new Date(now - (now % intervalMs));
    try {
      const latest = await this.log.latest();
      if (latest !== undefined && Date.parse(latest.periodStart) >= +start) {
        return 'present';
      }
      const digest = await this.integrity.signHeads();
      await this.log.append(
        { start, intervalMs },
        digest,
        latest?.revision ?? -1,
      );
      this.logger.log({
        msg: 'integrity digest signed',
        periodStart: start.toISOString(),
        organizations: digest.organizations.length,
      });
      return 'signed';
    } catch (error: unknown) {
      return this.failed(error, start);
    }
  }

  private failed(error: unknown, start: Date): DigestRun {
    if (
      error instanceof WrongExpectedRevisionError ||
      error instanceof DuplicateEventIdError
    ) {
      this.logger.debug({
        msg: 'integrity digest made by another replica',
        periodStart: start.toISOString(),
      });
      return 'taken';
    }
    this.logger.error({ msg: 'integrity digest schedule failed' }, error);
    return 'failed';
  }
}
