import { setTimeout as delay } from 'node:timers/promises';

/** How long and how often {@link waitFor} looks. */
export interface WaitForOptions {
  /** Give up after this long. Defaults to 5000 ms. */
  readonly timeoutMs?: number;
  /** Look again after this long. Defaults to 5 ms. */
  readonly intervalMs?: number;
  /** What is awaited, for the timeout message. */
  readonly description?: string;
}

/**
 * Resolves as soon as `condition` holds; rejects when it still does not at
 * the deadline. Tests wait for asynchronous effects with this, never with a
 * fixed sleep.
 */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  options: WaitForOptions = {},
): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 5000;
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() >= deadline) {
      const what = options.description ?? 'the condition';
      throw new Error(`${what} did not hold within ${timeoutMs} ms`);
    }
    await delay(options.intervalMs ?? 5);
  }
}
