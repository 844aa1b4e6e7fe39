/**
 * Runs `work` now and returns its result as a promise, so that a
 * synchronous throw becomes a rejection as callers of a port expect.
 */
export function settle<T>(work: () => T | PromiseLike<T>): Promise<T> {
  return new Promise((resolve) => {
    resolve(work());
  });
}
