/**
 * A task run on a timer, one run at a time: a call while a run is going
 * joins that run. Stopping clears the timer and waits for the run in
 * flight. The task reports its own failures; a rejection is not retried.
 */
export class PeriodicTask<T> {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<T> | undefined;

  constructor(private readonly task: () => Promise<T>) {}

  /** Runs the task every `everyMs`; 0 leaves it to {@link runOnce}. */
  start(everyMs: number): void {
    if (everyMs === 0) return;
    this.timer = setInterval(() => void this.runOnce(), everyMs);
  }

  runOnce(): Promise<T> {
    this.running ??= this.task().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
