import type { Actor } from '../actor.js';

/** Everything about a command that is not its payload. */
export interface CommandContext {
  readonly orgId: string;
  readonly actor: Actor;
  /** The support ticket or sales contract; required from those actors. */
  readonly reference: string | null;
  readonly commandId: string;
  readonly correlationId: string;
  readonly causationId: string;
  /** The decision's clock, injected so that tests and replays control time. */
  readonly now: Date;
}
