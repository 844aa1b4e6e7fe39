import { Inject, Injectable } from '@nestjs/common';
import {
  type Actor,
  authorizeMemberQuery,
  DomainError,
  fleetScope,
  notFound,
  type QueryScope,
} from '@org/domain';
import type { Position } from '@org/event-store';
import {
  type AuditEntry,
  type AuditExportQuery,
  type AuditHistory,
  type AuditQuery,
  type DirectoryEntry,
  type DirectoryQuery,
  InvalidQueryError,
  type OrganizationDirectory,
  type OrganizationProjectionRunners,
  type Page,
} from '@org/read-models';

import { APP_CONFIG } from '../config/app-config.token.js';
import type { AppConfig } from '../config/configuration.js';
import {
  AUDIT_HISTORY,
  ORGANIZATION_DIRECTORY,
  PROJECTION_RUNNERS,
} from '../read-models/read-models.tokens.js';

/** The read model is behind the caller's own write for longer than it may wait. */
export class ReadModelBehindError extends Error {
  override readonly name = 'ReadModelBehindError';
}

/**
 * Fleet and audit queries on the read models, authorized like every other
 * read, and never older than a write the caller names (read your writes).
 */
@Injectable()
export class ReadModelQueries {
  constructor(
    @Inject(ORGANIZATION_DIRECTORY)
    private readonly directory: OrganizationDirectory,
    @Inject(AUDIT_HISTORY) private readonly audit: AuditHistory,
    @Inject(PROJECTION_RUNNERS)
    private readonly runners: OrganizationProjectionRunners,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async organizations(
    actor: Actor,
    query: DirectoryQuery,
    after?: Position,
  ): Promise<Page<DirectoryEntry>> {
    const { orgId } = fleetScope(actor, 'state');
    await this.reach('directory', after);
    if (orgId === undefined)
      return invalidAsRefusal(() => this.directory.list(query));
    const own = await this.visible(actor, orgId, 'state');
    return { items: own === null ? [] : [own], nextCursor: null };
  }

  async auditPage(
    actor: Actor,
    query: AuditQuery,
    after?: Position,
  ): Promise<Page<AuditEntry>> {
    const scoped = await this.scopeAudit(actor, query);
    await this.reach('audit', after);
    return invalidAsRefusal(() => this.audit.list(scoped));
  }

  /** Every entry the filters match, page by page, for a streamed export. */
  async auditExport(
    actor: Actor,
    query: AuditExportQuery,
  ): Promise<AsyncIterable<AuditEntry>> {
    const scoped = await this.scopeAudit(actor, query);
    return this.audit.entries(scoped);
  }

  private async scopeAudit<Q extends AuditQuery | AuditExportQuery>(
    actor: Actor,
    query: Q,
  ): Promise<Q> {
    const { orgId } = fleetScope(actor, 'history');
    if (orgId === undefined) return query;
    if (query.orgId !== undefined && query.orgId !== orgId)
      throw notFound(query.orgId);
    if ((await this.visible(actor, orgId, 'history')) === null)
      throw notFound(orgId);
    return { ...query, orgId };
  }

  private async visible(
    actor: Actor,
    orgId: string,
    scope: QueryScope,
  ): Promise<DirectoryEntry | null> {
    const entry = await this.directory.getById(orgId);
    if (entry === null) return null;
    authorizeMemberQuery(entry, actor, scope);
    return entry;
  }

  private async reach(
    model: 'directory' | 'audit',
    after: Position | undefined,
  ): Promise<void> {
    if (after === undefined) return;
    const reached = await this.runners[model].waitUntil(
      after,
      this.config.READ_YOUR_WRITES_TIMEOUT_MS,
    );
    if (!reached) {
      throw new ReadModelBehindError(
        `the ${model} read model has not reached position ${after.commit.toString()} yet`,
      );
    }
  }
}

async function invalidAsRefusal<T>(query: () => Promise<T>): Promise<T> {
  try {
    return await query();
  } catch (error: unknown) {
    if (error instanceof InvalidQueryError) {
      throw new DomainError('VALIDATION_FAILED', error.message);
    }
    throw error;
  }
}
