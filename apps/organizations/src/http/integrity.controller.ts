import {
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  Query,
  UseGuards,
} from '@nestjs/common';
import { type Actor, notFound } from '@org/domain';
import type { SignedDigest } from '@org/event-store';
import type { Page } from '@org/read-models';

import { BearerAuthGuard, CurrentActor } from '../auth/bearer-auth.guard.js';
import type { ScheduledDigest } from '../integrity/digest-log.js';
import {
  type HistoryExport,
  type IntegrityReport,
  IntegrityQueries,
} from '../integrity/integrity-queries.js';
import { limitOf, one } from './query-params.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Verification of organizations' hash chains, and signed digests of their heads. */
@Controller('v1')
@UseGuards(BearerAuthGuard)
export class IntegrityController {
  constructor(private readonly integrity: IntegrityQueries) {}

  /** Walks the organization's chain; names the first broken link. */
  @Get('organizations/:id/integrity')
  chain(
    @Param('id') id: string,
    @CurrentActor() actor: Actor,
  ): Promise<IntegrityReport> {
    return this.integrity.chain(actor, orgIdFrom(id));
  }

  /** The organization's events as stored, for verification offline. */
  @Get('organizations/:id/integrity/history')
  history(
    @Param('id') id: string,
    @CurrentActor() actor: Actor,
  ): Promise<HistoryExport> {
    return this.integrity.history(actor, orgIdFrom(id));
  }

  /** Signs the chain heads of all organizations, for support. */
  @Post('integrity/digest')
  @HttpCode(200)
  digest(@CurrentActor() actor: Actor): Promise<SignedDigest> {
    return this.integrity.digest(actor);
  }

  /** The scheduled digests, newest first, for support. */
  @Get('integrity/digests')
  digests(
    @Query() params: Record<string, unknown>,
    @CurrentActor() actor: Actor,
  ): Promise<Page<ScheduledDigest>> {
    return this.integrity.digests(
      actor,
      limitOf(params.limit),
      one(params.cursor, 'cursor'),
    );
  }
}

// Anything that is not an organization id names no organization.
function orgIdFrom(id: string): string {
  if (!UUID.test(id)) throw notFound(id.slice(0, 64));
  return id;
}
