import { Controller, Get, Param, Query, Res, UseGuards } from '@nestjs/common';
import { type Actor, validationFailed } from '@org/domain';
import type { AuditEntry, Page } from '@org/read-models';
import type { Response } from 'express';

import { BearerAuthGuard, CurrentActor } from '../auth/bearer-auth.guard.js';
import { ReadModelQueries } from '../queries/read-model-queries.js';
import { writeExport } from './audit-export.js';
import { auditQueryOf, defined, one, positionOf } from './query-params.js';

type Params = Record<string, unknown>;

/** The audit history: by organization, actor, event type and time range. */
@Controller('v1')
@UseGuards(BearerAuthGuard)
export class AuditController {
  constructor(private readonly queries: ReadModelQueries) {}

  @Get('organizations/:id/audit')
  ofOrganization(
    @Param('id') orgId: string,
    @Query() params: Params,
    @CurrentActor() actor: Actor,
  ): Promise<Page<AuditEntry>> {
    return this.queries.auditPage(
      actor,
      { ...auditQueryOf(params), orgId },
      positionOf(params.after),
    );
  }

  @Get('audit')
  fleet(
    @Query() params: Params,
    @CurrentActor() actor: Actor,
  ): Promise<Page<AuditEntry>> {
    const orgId = one(params.orgId, 'orgId');
    const query = { ...auditQueryOf(params), ...defined({ orgId }) };
    return this.queries.auditPage(actor, query, positionOf(params.after));
  }

  @Get('audit/export')
  async export(
    @Query() params: Params,
    @CurrentActor() actor: Actor,
    @Res() response: Response,
  ): Promise<void> {
    const format = one(params.format, 'format') ?? 'ndjson';
    if (format !== 'ndjson' && format !== 'csv') {
      throw validationFailed([
        { field: 'format', problem: 'must be ndjson or csv' },
      ]);
    }
    const { limit: _limit, cursor: _cursor, ...query } = auditQueryOf(params);
    const orgId = one(params.orgId, 'orgId');
    const entries = await this.queries.auditExport(actor, {
      ...query,
      ...defined({ orgId }),
    });
    await writeExport(response, format, entries);
  }
}
