import { Inject, Injectable } from '@nestjs/common';
import {
  type Actor,
  authorizeMemberQuery,
  authorizeQuery,
  DomainError,
  notFound,
} from '@org/domain';
import {
  type ChainVerification,
  type DigestEntry,
  type EventStore,
  type SignedDigest,
  signDigest,
  storedHashOf,
  verifyChain,
} from '@org/event-store';

import { Clock } from '../commands/clock.js';
import {
  EVENT_STORE,
  ORGANIZATION_STREAM_PREFIX,
  OrganizationStreams,
} from '../commands/organization-streams.js';
import { SIGNING_KEY, type SigningKey } from './signing-key.js';

/** What `GET /v1/organizations/{id}/integrity` answers. */
export type IntegrityReport = {
  readonly orgId: string;
  /** The revision of the stream's last event. */
  readonly revision: number;
  /** The `$hash` the stream's last event carries, as stored. */
  readonly headHash: string | null;
} & ChainVerification;

// Events per page while the digest walks the log.
const PAGE = 1_000;

/** Verifies organizations' hash chains and signs digests of their heads. */
@Injectable()
export class IntegrityQueries {
  constructor(
    private readonly streams: OrganizationStreams,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(SIGNING_KEY) private readonly key: SigningKey,
    private readonly clock: Clock,
  ) {}

  /** Support, or a member with `audit:read`, as for the history. */
  async chain(actor: Actor, orgId: string): Promise<IntegrityReport> {
    authorizeQuery(actor, orgId, 'history');
    const stored = await this.streams.storedHistory(orgId);
    const last = stored.at(-1);
    if (last === undefined) throw notFound(orgId);
    if (actor.type === 'user') {
      const { state } = await this.streams.load(orgId);
      if (state === null) throw notFound(orgId);
      authorizeMemberQuery(state, actor, 'history');
    }
    return {
      orgId,
      revision: last.revision,
      headHash: storedHashOf(last.metadata) ?? null,
      ...verifyChain(stored),
    };
  }

  /**
   * The chain heads of every organization stream, read from the whole log
   * (not a read model, which may lag behind), signed with the service's key.
   */
  async digest(actor: Actor): Promise<SignedDigest> {
    if (actor.type !== 'support') {
      throw new DomainError('FORBIDDEN', 'digests are for support staff');
    }
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
}
