import {
  Controller,
  Get,
  HttpCode,
  Inject,
  Logger,
  Param,
  Post,
  UseGuards,
} from '@nestjs/common';
import { type Actor, DomainError } from '@org/domain';
import type {
  OrganizationProjectionRunners,
  ProjectionStatus,
} from '@org/read-models';

import { BearerAuthGuard, CurrentActor } from '../auth/bearer-auth.guard.js';
import { PROJECTION_RUNNERS } from '../read-models/read-models.tokens.js';

type ProjectionName = keyof OrganizationProjectionRunners;

/** Projection status and rebuilds, for support. */
@Controller('v1/projections')
@UseGuards(BearerAuthGuard)
export class ProjectionsController {
  private readonly logger = new Logger(ProjectionsController.name);

  constructor(
    @Inject(PROJECTION_RUNNERS)
    private readonly runners: OrganizationProjectionRunners,
  ) {}

  @Get()
  async list(@CurrentActor() actor: Actor): Promise<ProjectionStatus[]> {
    supportOnly(actor);
    return Promise.all([
      this.runners.directory.status(),
      this.runners.audit.status(),
    ]);
  }

  /**
   * Starts rebuilding a read model from the start of the log into a fresh
   * copy while the current one keeps serving; follow its progress with GET.
   */
  @Post(':name/rebuild')
  @HttpCode(202)
  async rebuild(
    @Param('name') name: string,
    @CurrentActor() actor: Actor,
  ): Promise<ProjectionStatus> {
    supportOnly(actor);
    const runner = this.runners[projectionName(name)];
    runner.rebuild().then(
      (outcome) => {
        this.logger.log({
          msg: 'rebuild finished',
          projection: name,
          ...outcome,
        });
      },
      (error: unknown) => {
        this.logger.error({ msg: 'rebuild failed', projection: name }, error);
      },
    );
    return runner.status();
  }
}

function supportOnly(actor: Actor): void {
  if (actor.type !== 'support') {
    throw new DomainError('FORBIDDEN', 'projections are for support staff');
  }
}

function projectionName(name: string): ProjectionName {
  if (name === 'directory' || name === 'audit') return name;
  throw new DomainError(
    'NOT_FOUND',
    `no projection ${name.slice(0, 64)}; there are directory and audit`,
  );
}
