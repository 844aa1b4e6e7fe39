import { type ActorType, ACTOR_TYPES, validationFailed } from '@org/domain';
import type { Position } from '@org/event-store';
import type { AuditQuery } from '@org/read-models';

/** Query parameters as Express gives them: a string, a list, or absent. */
export type Param = string | string[] | undefined;

export function one(value: unknown, field: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length > 256) {
    throw validationFailed([
      { field, problem: 'give it once, as text of at most 256 characters' },
    ]);
  }
  return value;
}

export function many(value: unknown, field: string): string[] {
  const values = Array.isArray(value)
    ? value
    : value === undefined
      ? []
      : [value];
  return values
    .map((v) => one(v, field) ?? '')
    .flatMap((v) => v.split(','))
    .filter((v) => v !== '');
}

export function limitOf(value: unknown): number | undefined {
  const text = one(value, 'limit');
  if (text === undefined) return undefined;
  if (!/^\d{1,4}$/.test(text))
    throw validationFailed([{ field: 'limit', problem: 'must be 1 to 1000' }]);
  return Number(text);
}

/** `after=<position>` from a command reply: the read must include that write. */
export function positionOf(value: unknown): Position | undefined {
  const text = one(value, 'after');
  if (text === undefined) return undefined;
  if (!/^\d{1,20}$/.test(text)) {
    throw validationFailed([
      { field: 'after', problem: 'must be the position of a command reply' },
    ]);
  }
  return { commit: BigInt(text), prepare: BigInt(text) };
}

export function labelsOf(value: unknown): Record<string, string> | undefined {
  const pairs = many(value, 'label');
  if (pairs.length === 0) return undefined;
  return Object.fromEntries(
    pairs.map((pair) => {
      const at = pair.indexOf(':');
      if (at < 1)
        throw validationFailed([
          { field: 'label', problem: 'write it as key:value' },
        ]);
      return [pair.slice(0, at), pair.slice(at + 1)];
    }),
  );
}

export function actorOf(
  value: unknown,
): { type: ActorType; id: string } | undefined {
  const text = one(value, 'actor');
  if (text === undefined) return undefined;
  const at = text.indexOf(':');
  const type = text.slice(0, at) as ActorType;
  if (at < 1 || !ACTOR_TYPES.includes(type)) {
    throw validationFailed([
      { field: 'actor', problem: 'write it as type:id, e.g. support:agent-7' },
    ]);
  }
  return { type, id: text.slice(at + 1) };
}

export function timeOf(value: unknown, field: string): string | undefined {
  const text = one(value, field);
  if (text === undefined) return undefined;
  if (!/^\d{4}-\d\d-\d\d/.test(text) || Number.isNaN(Date.parse(text))) {
    throw validationFailed([{ field, problem: 'must be an ISO 8601 time' }]);
  }
  return new Date(text).toISOString();
}

export function orderOf(value: unknown): 'newest' | 'oldest' | undefined {
  const text = one(value, 'order');
  if (text === undefined || text === 'newest' || text === 'oldest') return text;
  throw validationFailed([
    { field: 'order', problem: 'must be newest or oldest' },
  ]);
}

/** Drops absent values, so that optional query fields stay absent. */
export function defined<T extends Record<string, unknown>>(
  fields: T,
): Partial<T> {
  return Object.fromEntries(
    Object.entries(fields).filter(([, v]) => v !== undefined),
  ) as Partial<T>;
}

/** Audit filters from query parameters, shared by HTTP and the bus. */
export function auditQueryOf(
  params: Readonly<Record<string, unknown>>,
): AuditQuery {
  const eventTypes = many(params.type, 'type');
  return defined({
    orgId: one(params.orgId, 'orgId'),
    actor: actorOf(params.actor),
    eventTypes: eventTypes.length > 0 ? eventTypes : undefined,
    from: timeOf(params.from, 'from'),
    to: timeOf(params.to, 'to'),
    order: orderOf(params.order),
    limit: limitOf(params.limit),
    cursor: one(params.cursor, 'cursor'),
  });
}
