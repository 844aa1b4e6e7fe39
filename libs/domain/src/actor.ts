/**
 * Who issued a command. The actor comes from authentication, never from the
 * command body.
 */
export type Actor =
  | { readonly type: 'support'; readonly id: string }
  | { readonly type: 'sales'; readonly id: string }
  | { readonly type: 'user'; readonly id: string; readonly orgId: string }
  | { readonly type: 'service'; readonly id: string }
  /** The organization service itself, e.g. its deletion executor. */
  | { readonly type: 'system'; readonly id: string };

export type ActorType = Actor['type'];

export const ACTOR_TYPES: readonly ActorType[] = [
  'support',
  'sales',
  'user',
  'service',
  'system',
];
