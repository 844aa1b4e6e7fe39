import { Inject, Injectable } from '@nestjs/common';
import type { Page } from '@org/read-models';
import {
  type Actor,
  authorizeMemberQuery,
  authorizeQuery,
  DomainError,
  notFound,
  validationFailed,
} from '@org/domain';
import {
  type ChainedEvent,
  type ChainVerification,
  type DigestEntry,
  type EventStore,
  type RecordedEvent,
  type SignedDigest,
  signDigest,
  storedHashOf,
  verifyChain,
} from '@org/event-store';

import { Clock } from '../commands/clock.js';
import {
  EVENT_STORE,
  ORGANIZATION_STREAM_PREFIX,
  organizationStream,
  OrganizationStreams,
} from '../commands/organization-streams.js';
import { DigestLog, type ScheduledDigest } from './digest-log.js';
import { SIGNING_KEY, type SigningKey } from './signing-key.js';

/** What `GET /v1/organizations/{id}/integrity` answers. */
export type IntegrityReport = {
  readonly orgId: string;
  /** The revision of the stream's last event. */
  readonly revision: number;
  /** The `$hash` the stream's last event carries, as stored. */
  readonly headHash: string | null;
} & ChainVerification;

/** The format tag of {@link HistoryExport}. */
export const HISTORY_FORMAT = 'organization-history/1';

/** One event of an exported history: what the chain hashed, and when it was stored. */
export type ExportedEvent = ChainedEvent & { readonly recordedAt: string };

/** What `GET /v1/organizations/{id}/integrity/history` answers. */
export interface HistoryExport {
  readonly format: typeof HISTORY_FORMAT;
  readonly orgId: string;
  readonly streamId: string;
  readonly exportedAt: string;
  /** Every event of the stream, in revision order, as stored. */
  readonly events: readonly ExportedEvent[];
}

// Events per page while the digest walks the log.
const PAGE = 1_000;
const DEFAULT_DIGESTS_PAGE = 20;
const MAX_DIGESTS_PAGE = 1_000;

/** Verifies organizations' hash chains and signs digests of their heads. */
@Injectable()
export class IntegrityQueries {
  constructor(
    private readonly streams: OrganizationStreams,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(SIGNING_KEY) private readonly key: SigningKey,
    private readonly clock: Clock,
    private readonly digestLog: DigestLog,
  ) {}

  /** Support, or a member with `audit:read`, as for the history. */
  async chain(actor: Actor, orgId: string): Promise<IntegrityReport> {
    const stored = await this.readableHistory(actor, orgId);
    const last = stored.at(-1);
    return {
      orgId,
      revision: last?.revision ?? -1,
      headHash:
        last === undefined ? null : (storedHashOf(last.metadata) ?? null),
      ...verifyChain(stored),
    };
  }

  /**
   * The organization's events exactly as stored (not upcast, personal
   * fields as the store holds them), for verification away from the
   * service; the same readers as {@link chain}.
   */
  async history(actor: Actor, orgId: string): Promise<HistoryExport> {
    const stored = await this.readableHistory(actor, orgId);
    return {
      format: HISTORY_FORMAT,
      orgId,
      streamId: organizationStream(orgId),
      exportedAt: this.clock.now().toISOString(),
      events: stored.map(toExportedEvent),
    };
  }

  /**
   * The chain heads of every organization stream, read from the whole log
   * (not a read model, which may lag behind), signed with the service's key.
   */
  async digest(actor: Actor): Promise<SignedDigest> {
    authorizeSupport(actor);
    return this.signHeads();
  }

  /** The scheduled digests, newest first (support). */
  digests(
    actor: Actor,
    limit: number | undefined,
    cursor: string | undefined,
  ): Promise<Page<ScheduledDigest>> {
    authorizeSupport(actor);
    if (cursor !== undefined && !/^\d{1,15}$/.test(cursor)) {
      throw validationFailed([
        { field: 'cursor', problem: 'give the nextCursor of a page' },
      ]);
    }
    if (limit !== undefined && (limit < 1 || limit > MAX_DIGESTS_PAGE)) {
      throw validationFailed([
        { field: 'limit', problem: `must be 1 to ${MAX_DIGESTS_PAGE}` },
      ]);
    }
    return this.digestLog.page(limit ?? DEFAULT_DIGESTS_PAGE, cursor);
  }

  /** The chain heads of every organization stream, signed; no authorization. */
  async signHeads(): Promise<SignedDigest> {
    const heads = new Map<string, DigestEntry>();
    let after;
    for (;;) {
      const page = await this.store.readAll({
        after,
        maxCount: PAGE,
        filter: { streamPrefixes: [ORGANIZATION_STREAM_PREFIX] },
      });
      for (const event of page) {
        const orgId = event.streamId.slice(ORGANIZATION_STREAM_PREFIX.length);
        heads.set(orgId, {
          orgId,
          revision: event.revision,
          headHash: storedHashOf(event.metadata) ?? '',
        });
      }
      after = page.at(-1)?.position;
      if (page.length < PAGE) break;
    }
    return signDigest(
      [...heads.values()],
      this.key.privateKeyPem,
      this.clock.now(),
    );
  }

  /** The public key digests verify with (PEM, SPKI). */
  publicKey(): string {
    return this.key.publicKeyPem;
  }

  private async readableHistory(
    actor: Actor,
    orgId: string,
  ): Promise<RecordedEvent[]> {
    authorizeQuery(actor, orgId, 'history');
    const stored = await this.streams.storedHistory(orgId);
    if (stored.length === 0) throw notFound(orgId);
    if (actor.type === 'user') {
      const { state } = await this.streams.load(orgId);
      if (state === null) throw notFound(orgId);
      authorizeMemberQuery(state, actor, 'history');
    }
    return stored;
  }
}

function authorizeSupport(actor: Actor): void {
  if (actor.type !== 'support') {
    throw new DomainError('FORBIDDEN', 'digests are for support staff');
  }
}

// Positions are left out: they are the store's, not part of the chain.
function toExportedEvent(event: RecordedEvent): ExportedEvent {
  const { streamId, revision, id, type, schemaVersion, data, metadata } = event;
  return {
    streamId,
    revision,
    id,
    type,
    schemaVersion,
    data,
    metadata,
    recordedAt: event.recordedAt,
  };
}
