import type { ValidatedEnvelope } from '@org/contracts';
import type { Actor, CommandContext, OrganizationCommand } from '@org/domain';

/** A validated command envelope with the actor that authentication found. */
export interface CommandRequest {
  readonly envelope: ValidatedEnvelope;
  readonly actor: Actor;
  readonly correlationId: string;
}

/** What a handler reports back: where the organization stands after the command. */
export interface CommandOutcome {
  readonly orgId: string;
  readonly revision: number;
  readonly position: string | null;
  readonly events: readonly { readonly id: string; readonly type: string }[];
}

/** The domain's view of a request: the command and its context at `now`. */
export function toDomain(
  request: CommandRequest,
  orgId: string,
  now: Date,
): { command: OrganizationCommand; context: CommandContext } {
  const { envelope } = request;
  return {
    command: {
      type: envelope.type,
      payload: envelope.payload,
    } as OrganizationCommand,
    context: {
      orgId,
      actor: request.actor,
      reference: envelope.reference ?? null,
      commandId: envelope.commandId,
      correlationId: request.correlationId,
      causationId: envelope.commandId,
      now,
    },
  };
}
