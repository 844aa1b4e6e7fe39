import { AsyncLocalStorage } from 'node:async_hooks';

export interface RequestContext {
  readonly correlationId: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** Runs `work` with a correlation id that every log line inside it carries. */
export function withRequestContext<T>(
  context: RequestContext,
  work: () => T,
): T {
  return storage.run(context, work);
}

export function currentCorrelationId(): string | undefined {
  return storage.getStore()?.correlationId;
}
