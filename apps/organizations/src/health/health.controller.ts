import { Controller, Get, HttpCode, Inject, Res } from '@nestjs/common';
import type { EventStore } from '@org/event-store';
import type {
  OrganizationProjectionRunners,
  ProjectionStatus,
} from '@org/read-models';
import type { Response } from 'express';

import { EVENT_STORE } from '../commands/organization-streams.js';
import { PROJECTION_RUNNERS } from '../read-models/read-models.tokens.js';

export interface HealthReport {
  /** `degraded`: commands work, but a projection stopped at an event it cannot apply. */
  readonly status: 'ok' | 'degraded' | 'unavailable';
  readonly checks: Readonly<Record<string, 'up' | 'down'>>;
  readonly projections?: readonly ProjectionStatus[];
}

/** Liveness (the process answers) and readiness (its store answers too). */
@Controller('health')
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PROJECTION_RUNNERS)
    private readonly runners: OrganizationProjectionRunners,
  ) {}

  @Get('live')
  @HttpCode(200)
  live(): HealthReport {
    return { status: 'ok', checks: {} };
  }

  @Get(['', 'ready'])
  async ready(
    @Res({ passthrough: true }) response: Response,
  ): Promise<HealthReport> {
    const eventStore = await this.store.ping().then(
      () => 'up' as const,
      () => 'down' as const,
    );
    const projections = await Promise.all([
      this.runners.directory.status(),
      this.runners.audit.status(),
    ]);
    const stopped = projections.some((p) => p.state === 'stopped');
    const status =
      eventStore === 'down' ? 'unavailable' : stopped ? 'degraded' : 'ok';
    response.status(status === 'unavailable' ? 503 : 200);
    return { status, checks: { eventStore }, projections };
  }
}
