import { DomainError, type OrganizationEvent } from '@org/domain';
import type { AppendResult, RecordedEvent } from '@org/event-store';

import type { CommandOutcome } from './command-request.js';
import { eventIdFor } from './deterministic-ids.js';

export function acceptedOutcome(
  orgId: string,
  commandId: string,
  events: readonly OrganizationEvent[],
  result: AppendResult,
): CommandOutcome {
  return {
    orgId,
    revision: result.nextRevision,
    position: result.position.commit.toString(),
    events: events.map((e, i) => ({
      id: eventIdFor(commandId, i),
      type: e.type,
    })),
  };
}

export function unchangedOutcome(
  orgId: string,
  revision: number,
): CommandOutcome {
  return { orgId, revision, position: null, events: [] };
}

/** The outcome of a command whose events were stored before its reply was lost. */
export function recoveredOutcome(
  orgId: string,
  recorded: readonly RecordedEvent[],
): CommandOutcome {
  const last = recorded.at(-1);
  return {
    orgId,
    revision: last?.revision ?? -1,
    position: last?.position.commit.toString() ?? null,
    events: recorded.map((e) => ({ id: e.id, type: e.type })),
  };
}

export function staleRevision(expected: number, actual: number): DomainError {
  return new DomainError(
    'CONFLICT',
    `the organization is at revision ${actual}, not ${expected}; load it again and decide anew`,
    { expectedRevision: expected, actualRevision: actual },
  );
}

export function tooManyConflicts(attempts: number): DomainError {
  return new DomainError(
    'CONFLICT',
    `the organization kept changing during ${attempts} attempts; send the command again`,
    { attempts },
  );
}
