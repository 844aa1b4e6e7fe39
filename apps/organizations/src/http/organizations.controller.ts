import { Controller, Get, Param, Query, UseGuards } from '@nestjs/common';
import {
  type Actor,
  notFound,
  type OrganizationStatus,
  validationFailed,
} from '@org/domain';
import type { DirectoryEntry, Page } from '@org/read-models';

import { BearerAuthGuard, CurrentActor } from '../auth/bearer-auth.guard.js';
import { ReadModelQueries } from '../queries/read-model-queries.js';
import { defined, labelsOf, limitOf, one, positionOf } from './query-params.js';
import {
  type OrganizationView,
  OrganizationQueries,
  pointInTime,
} from '../queries/organization-queries.js';

const STATUSES: readonly OrganizationStatus[] = [
  'active',
  'suspended',
  'deletion_scheduled',
  'deleted',
];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Organization state, now or at a point in its history. */
@Controller('v1/organizations')
@UseGuards(BearerAuthGuard)
export class OrganizationsController {
  constructor(
    private readonly queries: OrganizationQueries,
    private readonly fleet: ReadModelQueries,
  ) {}

  @Get()
  list(
    @Query() params: Record<string, unknown>,
    @CurrentActor() actor: Actor,
  ): Promise<Page<DirectoryEntry>> {
    const status = one(params.status, 'status');
    if (
      status !== undefined &&
      !STATUSES.includes(status as OrganizationStatus)
    ) {
      throw validationFailed([
        { field: 'status', problem: `must be one of ${STATUSES.join(', ')}` },
      ]);
    }
    const query = defined({
      environment: one(params.environment, 'environment'),
      businessUnit: one(params.businessUnit, 'businessUnit'),
      region: one(params.region, 'region'),
      labels: labelsOf(params.label),
      status: status as OrganizationStatus | undefined,
      namePrefix: one(params.namePrefix, 'namePrefix'),
      limit: limitOf(params.limit),
      cursor: one(params.cursor, 'cursor'),
    });
    return this.fleet.organizations(actor, query, positionOf(params.after));
  }

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
