import { Inject, Injectable } from '@nestjs/common';
import type {
  EventStore,
  ExpectedRevision,
  RecordedEvent,
  SignedDigest,
} from '@org/event-store';
import type { Page } from '@org/read-models';

import { EVENT_STORE } from '../commands/organization-streams.js';
import { nameBasedId } from '../commands/deterministic-ids.js';

/**
 * The stream of scheduled digests. It is not an organization stream, so
 * the projections, the bus publisher and the digest itself (which follow
 * `organization-` streams only) never see it.
 */
export const DIGEST_STREAM = 'integrity-digests';
export const DIGEST_SIGNED = 'IntegrityDigestSigned';

const SCHEDULER = { type: 'system', id: 'digest-schedule' } as const;

/** One scheduled digest as kept in {@link DIGEST_STREAM}. */
export interface ScheduledDigest {
  /** Its revision in the digest stream: the cursor of the listing. */
  readonly revision: number;
  /** The start of the schedule period it was made for (ISO 8601). */
  readonly periodStart: string;
  readonly digest: SignedDigest;
}

interface DigestEventData {
  readonly periodStart: string;
  readonly intervalMs: number;
  readonly digest: SignedDigest;
}

/** The scheduled digests, durable in the event store, newest first. */
@Injectable()
export class DigestLog {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async latest(): Promise<ScheduledDigest | undefined> {
    const { items } = await this.page(1);
    return items[0];
  }

  /** Newest first; `cursor` is the `nextCursor` of the page before. */
  async page(limit: number, cursor?: string): Promise<Page<ScheduledDigest>> {
    const events = await this.store.readStream(DIGEST_STREAM, {
      direction: 'backwards',
      maxCount: limit,
      asStored: true,
      ...(cursor === undefined ? {} : { fromRevision: Number(cursor) }),
    });
    const last = events.at(-1);
    const more =
      events.length === limit && last !== undefined && last.revision > 0;
    return {
      items: events.map(toScheduledDigest),
      nextCursor: more ? String(last.revision - 1) : null,
    };
  }

  /**
   * Appends the digest of a period after the digest at `after` (-1 for
   * none). The event id derives from the period, and the append names the
   * revision it expects: a replica that made the same period's digest at
   * the same time fails with a conflict, or has its copy dropped as a
   * retry of the stored one.
   */
  async append(
    period: { readonly start: Date; readonly intervalMs: number },
    digest: SignedDigest,
    after: number,
  ): Promise<void> {
    const periodStart = period.start.toISOString();
    const data: DigestEventData = {
      periodStart,
      intervalMs: period.intervalMs,
      digest,
    };
    const expected: ExpectedRevision = after < 0 ? 'no_stream' : after;
    await this.store.append(
      DIGEST_STREAM,
      [
        {
          id: nameBasedId(`integrity-digest/${periodStart}`),
          type: DIGEST_SIGNED,
          schemaVersion: 1,
          data,
          metadata: { actor: SCHEDULER, occurredAt: digest.createdAt },
        },
      ],
      expected,
    );
  }
}

function toScheduledDigest(event: RecordedEvent): ScheduledDigest {
  const data = event.data as DigestEventData;
  return {
    revision: event.revision,
    periodStart: data.periodStart,
    digest: data.digest,
  };
}
