import { Controller, Get, Param, Query, UseGuards } from '@nestjs/common';
import { type Actor, notFound } from '@org/domain';

import { BearerAuthGuard, CurrentActor } from '../auth/bearer-auth.guard.js';
import {
  type OrganizationView,
  OrganizationQueries,
  pointInTime,
} from '../queries/organization-queries.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Organization state, now or at a point in its history. */
@Controller('v1/organizations')
@UseGuards(BearerAuthGuard)
export class OrganizationsController {
  constructor(private readonly queries: OrganizationQueries) {}

  @Get(':id')
  current(
    @Param('id') id: string,
    @CurrentActor() actor: Actor,
  ): Promise<OrganizationView> {
    return this.queries.current(actor, orgIdFrom(id));
  }

  @Get(':id/state')
  asOf(
    @Param('id') id: string,
    @Query('at') at: unknown,
    @Query('revision') revision: unknown,
    @CurrentActor() actor: Actor,
  ): Promise<OrganizationView> {
    return this.queries.asOf(actor, orgIdFrom(id), pointInTime(at, revision));
  }
}

// Anything that is not an organization id names no organization.
function orgIdFrom(id: string): string {
  if (!UUID.test(id)) throw notFound(id.slice(0, 64));
  return id;
}
