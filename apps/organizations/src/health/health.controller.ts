import { Controller, Get, HttpCode, Inject, Res } from '@nestjs/common';
import type { EventStore } from '@org/event-store';
import type { Response } from 'express';

import { EVENT_STORE } from '../commands/organization-streams.js';

export interface HealthReport {
  readonly status: 'ok' | 'unavailable';
  readonly checks: Readonly<Record<string, 'up' | 'down'>>;
}

/** Liveness (the process answers) and readiness (its store answers too). */
@Controller('health')
export class HealthController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

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
    const status = eventStore === 'up' ? 'ok' : 'unavailable';
    response.status(status === 'ok' ? 200 : 503);
    return { status, checks: { eventStore } };
  }
}
