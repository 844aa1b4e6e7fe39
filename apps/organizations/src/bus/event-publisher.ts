import { randomUUID } from 'node:crypto';

import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { busStreams } from '@org/bus/client';
import { withoutPersonalData } from '@org/domain';
import { withoutChainKeys } from '@org/event-store';
import type {
  EventMetadataRecord,
  EventStore,
  Position,
  RecordedEvent,
  Subscription,
} from '@org/event-store';
import { Redis } from 'ioredis';

import {
  EVENT_STORE,
  toOrganizationEvent,
} from '../commands/organization-streams.js';
import { APP_CONFIG } from '../config/app-config.token.js';
import type { AppConfig } from '../config/configuration.js';
import { logRedisErrors } from '../infrastructure/redis-errors.js';
import { Metrics } from '../metrics/metrics.js';

const LEASE_MS = 10_000;
const EVENTS_KEPT = 1_000_000;

// Publishes only while this replica holds the lease, so that a replica that
// lost it can never add an event after the one that took over.
const PUBLISH = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], '*', unpack(ARGV, 4))
redis.call('SET', KEYS[3], ARGV[3])
return 1`;

/**
 * Publishes every stored organization event, without personal data, to the
 * outbound events stream for other services: at least once and in order per
 * organization, from a checkpoint kept in Redis and written in the same
 * script as the entry. One replica publishes at a time, under a lease.
 */
@Injectable()
export class EventPublisher
  implements OnApplicationBootstrap, OnApplicationShutdown
{
  private readonly logger = new Logger(EventPublisher.name);
  private readonly owner = randomUUID();
  private redis: Redis | undefined;
  private subscription: Subscription | undefined;
  private leaseTimer: NodeJS.Timeout | undefined;
  private closing = false;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: Metrics,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.BUS === null) return;
    this.redis = logRedisErrors(
      new Redis(this.config.BUS),
      EventPublisher.name,
    );
    this.leaseTimer = setInterval(() => void this.tend(), LEASE_MS / 3);
    void this.tend();
  }

  async onApplicationShutdown(): Promise<void> {
    this.closing = true;
    clearInterval(this.leaseTimer);
    await this.stopPublishing();
    if (this.redis === undefined) return;
    await this.redis.eval(
      "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0",
      1,
      this.keys.lease,
      this.owner,
    );
    await this.redis.quit().catch(() => undefined);
  }

  private get keys() {
    const events = busStreams(this.config.BUS_PREFIX).events;
    return {
      events,
      lease: `${events}:lease`,
      checkpoint: `${events}:checkpoint`,
    };
  }

  private async tend(): Promise<void> {
    try {
      if (await this.holdLease()) await this.startPublishing();
      else await this.stopPublishing();
    } catch (error: unknown) {
      this.logger.warn({
        msg: 'event publisher lease check failed',
        error: String(error),
      });
    }
  }

  private async holdLease(): Promise<boolean> {
    const redis = this.redis;
    if (redis === undefined) return false;
    const taken = await redis.set(
      this.keys.lease,
      this.owner,
      'PX',
      LEASE_MS,
      'NX',
    );
    if (taken === 'OK') return true;
    const renewed = await redis.eval(
      "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0",
      1,
      this.keys.lease,
      this.owner,
      LEASE_MS,
    );
    return renewed === 1;
  }

  private async startPublishing(): Promise<void> {
    if (
      this.closing ||
      this.subscription !== undefined ||
      this.redis === undefined
    )
      return;
    const after = parsePosition(await this.redis.get(this.keys.checkpoint));
    this.subscription = this.store.subscribeToAll(
      {
        ...(after === undefined ? {} : { after }),
        filter: { streamPrefixes: ['organization-'] },
      },
      {
        onEvent: (event) => this.publish(event),
        onCaughtUp: () => {
          this.logger.log({ msg: 'event publisher caught up' });
        },
        onError: (error) => {
          this.logger.error({ msg: 'event publisher stopped' }, error);
          this.subscription = undefined;
        },
      },
    );
    this.logger.log({
      msg: 'event publisher started',
      after: after?.commit.toString() ?? 'start',
    });
  }

  private async stopPublishing(): Promise<void> {
    const subscription = this.subscription;
    this.subscription = undefined;
    await subscription?.stop();
  }

  private async publish(recorded: RecordedEvent): Promise<void> {
    const redis = this.redis;
    if (redis === undefined) return;
    const event = withoutPersonalData(toOrganizationEvent(recorded));
    const fields = {
      eventId: recorded.id,
      type: recorded.type,
      schemaVersion: String(recorded.schemaVersion),
      orgId: event.metadata.orgId,
      revision: String(recorded.revision),
      position: recorded.position.commit.toString(),
      occurredAt: event.metadata.occurredAt,
      data: JSON.stringify(event.data),
      // The hash chain stays inside the service; subscribers verify nothing.
      metadata: JSON.stringify(
        withoutChainKeys(event.metadata as unknown as EventMetadataRecord),
      ),
    };
    const { lease, events, checkpoint } = this.keys;
    const position = `${recorded.position.commit.toString()}:${recorded.position.prepare.toString()}`;
    const published = await redis.eval(
      PUBLISH,
      3,
      lease,
      events,
      checkpoint,
      this.owner,
      EVENTS_KEPT,
      position,
      ...Object.entries(fields).flat(),
    );
    if (published !== 1) throw new Error('the event publisher lost its lease');
    this.metrics.published(1);
  }
}

function parsePosition(text: string | null): Position | undefined {
  const match = /^(\d+):(\d+)$/.exec(text ?? '');
  if (match?.[1] === undefined || match[2] === undefined) return undefined;
  return { commit: BigInt(match[1]), prepare: BigInt(match[2]) };
}
