import type { AppendResult } from '@org/event-store';
import type { OrganizationProjectionRunners } from '@org/read-models';

import { msSince, percentile } from './stats.js';

/**
 * While on, times each stored append until both projections have applied
 * it: the projection lag as a reader of the read models would see it.
 */
export class ProjectionLag {
  private runners: OrganizationProjectionRunners | undefined;
  private samples: number[] = [];
  private pending = new Set<Promise<void>>();
  private on = false;
  missed = 0;

  /** The runners of the service whose appends are observed. */
  attach(runners: OrganizationProjectionRunners): void {
    this.runners = runners;
  }

  readonly observe = (result: AppendResult): void => {
    const runners = this.runners;
    if (!this.on || runners === undefined) return;
    const start = process.hrtime.bigint();
    const waited = Promise.all([
      runners.directory.waitUntil(result.position, 60_000),
      runners.audit.waitUntil(result.position, 60_000),
    ]).then((reached) => {
      if (reached.every(Boolean)) this.samples.push(msSince(start));
      else this.missed += 1;
      this.pending.delete(waited);
    });
    this.pending.add(waited);
  };

  /** Runs `phase` with lag measured; returns its result and the lag p99 and p50 (ms). */
  async during<T>(
    phase: () => Promise<T>,
  ): Promise<{ value: T; p99: number; p50: number }> {
    this.samples = [];
    this.on = true;
    const value = await phase();
    this.on = false;
    await Promise.all([...this.pending]);
    const sorted = [...this.samples].sort((a, b) => a - b);
    return {
      value,
      p99: percentile(sorted, 99),
      p50: percentile(sorted, 50),
    };
  }
}
