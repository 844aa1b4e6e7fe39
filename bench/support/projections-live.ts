import type { ProjectionRunner } from '@org/read-models';

/**
 * Resolves once the runner is live: caught up with the log and, for the
 * SQLite read models, with the query indexes a bulk load leaves out built.
 * Rejects if it stops.
 */
export async function untilLive(runner: ProjectionRunner): Promise<void> {
  for (;;) {
    const { state, error } = await runner.status();
    if (state === 'live') return;
    if (state === 'stopped') {
      throw new Error(`${runner.name} stopped`, { cause: error });
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
