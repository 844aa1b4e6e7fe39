import {
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  UseGuards,
} from '@nestjs/common';
import { type Actor, notFound } from '@org/domain';
import type { SignedDigest } from '@org/event-store';

import { BearerAuthGuard, CurrentActor } from '../auth/bearer-auth.guard.js';
import {
  type IntegrityReport,
  IntegrityQueries,
} from '../integrity/integrity-queries.js';

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
    if (!UUID.test(id)) throw notFound(id.slice(0, 64));
    return this.integrity.chain(actor, id);
  }

  /** Signs the chain heads of all organizations, for support. */
  @Post('integrity/digest')
  @HttpCode(200)
  digest(@CurrentActor() actor: Actor): Promise<SignedDigest> {
    return this.integrity.digest(actor);
  }
}
