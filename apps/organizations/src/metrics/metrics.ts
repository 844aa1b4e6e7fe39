import { Injectable } from '@nestjs/common';
import type { ProjectionStatus } from '@org/read-models';
import {
  Counter,
  collectDefaultMetrics,
  Gauge,
  Histogram,
  Registry,
} from 'prom-client';

export type CommandOutcome =
  'accepted' | 'unchanged' | 'rejected' | 'failed' | 'replayed';

/** The service's Prometheus metrics, in a registry of its own. */
@Injectable()
export class Metrics {
  readonly registry = new Registry();

  private readonly commands = new Counter({
    name: 'organizations_commands_total',
    help: 'Commands handled, by type and outcome (and refusal code).',
    labelNames: ['type', 'outcome', 'code'] as const,
    registers: [this.registry],
  });

  private readonly latency = new Histogram({
    name: 'organizations_command_duration_seconds',
    help: 'Time from a command reaching the pipeline to its reply.',
    labelNames: ['type'] as const,
    buckets: [
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5,
    ],
    registers: [this.registry],
  });

  private readonly conflicts = new Counter({
    name: 'organizations_command_conflicts_total',
    help: 'Appends refused because the stream had moved on (each one is retried or returned).',
    registers: [this.registry],
  });

  private readonly retries = new Counter({
    name: 'organizations_command_retries_total',
    help: 'Commands decided again after a concurrency conflict.',
    registers: [this.registry],
  });

  private readonly busRefusals = new Counter({
    name: 'organizations_bus_refused_total',
    help: 'Bus requests refused before handling: unsigned, bad signature, unknown key, stale, malformed.',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  private readonly busDeadLetters = new Counter({
    name: 'organizations_bus_dead_lettered_total',
    help: 'Bus requests moved to the dead-letter stream after too many deliveries.',
    registers: [this.registry],
  });

  private readonly busRequests = new Counter({
    name: 'organizations_bus_requests_total',
    help: 'Bus requests answered, by kind.',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  private readonly eventsPublished = new Counter({
    name: 'organizations_events_published_total',
    help: 'Events published to the outbound events stream.',
    registers: [this.registry],
  });

  /** Reports the projections' lag and state at every scrape. */
  watchProjections(
    runners: readonly { status(): Promise<ProjectionStatus> }[],
  ): void {
    const statuses = () => Promise.all(runners.map((r) => r.status()));
    new Gauge({
      name: 'organizations_projection_lag_events',
      help: 'Events a projection is behind the log.',
      labelNames: ['projection'] as const,
      registers: [this.registry],
      async collect() {
        for (const s of await statuses())
          this.set({ projection: s.name }, s.lagEvents);
      },
    });
    new Gauge({
      name: 'organizations_projection_lag_seconds',
      help: 'Age of the oldest event a projection has not applied yet.',
      labelNames: ['projection'] as const,
      registers: [this.registry],
      async collect() {
        for (const s of await statuses())
          this.set({ projection: s.name }, s.lagSeconds);
      },
    });
    new Gauge({
      name: 'organizations_projection_stopped',
      help: '1 when a projection stopped at an event it cannot apply.',
      labelNames: ['projection'] as const,
      registers: [this.registry],
      async collect() {
        for (const s of await statuses()) {
          this.set({ projection: s.name }, s.state === 'stopped' ? 1 : 0);
        }
      },
    });
  }

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  commandHandled(
    type: string,
    outcome: CommandOutcome,
    seconds: number,
    code = '',
  ): void {
    this.commands.inc({ type, outcome, code });
    this.latency.observe({ type }, seconds);
  }

  conflict(): void {
    this.conflicts.inc();
  }

  retry(): void {
    this.retries.inc();
  }

  /** The bus server's observer. */
  readonly bus = {
    refused: (reason: string): void => {
      this.busRefusals.inc({ reason });
    },
    deadLettered: (): void => {
      this.busDeadLetters.inc();
    },
    handled: (kind: string): void => {
      this.busRequests.inc({ kind });
    },
  };

  published(count: number): void {
    this.eventsPublished.inc(count);
  }
}
