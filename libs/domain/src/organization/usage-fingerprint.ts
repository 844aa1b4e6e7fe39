import type { AllocatableResource } from './catalog.js';

/** What an idempotency key stands for, to tell a retry from a reuse. */
export function usageFingerprint(
  kind: 'ResourceAllocated' | 'ResourceReleased',
  usage: { readonly resource: AllocatableResource; readonly quantity: number },
): string {
  return `${kind}:${usage.resource}:${usage.quantity}`;
}
