import { randomBytes, randomUUID } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  busStreams,
  type BusStreams,
  fieldsOf,
  flatten,
  type MessageKind,
  sign,
} from '@org/bus';
import { validateCommandEnvelope } from '@org/contracts';
import fc from 'fast-check';

import { BusFixture, KEY_ID } from '../bus/bus-fixture.js';
import type { AppHarness } from '../support/app-harness.js';
import { createOrganization, uniqueName } from '../support/envelopes.js';
import { waitFor } from '../support/wait-for.js';

/** One hostile entry for the commands stream, as a flat field list. */
interface BusCase {
  readonly name: string;
  readonly fields: readonly string[];
  /** Where a reply must arrive; null when the entry names no valid address. */
  readonly replyTo: string | null;
  /** The refusal reason counted in metrics, when the signature check refuses it. */
  readonly reason?: string;
  /** The code the reply must carry. */
  readonly code?: 'UNAUTHENTICATED' | 'VALIDATION_FAILED';
}

const REASONS = [
  'malformed',
  'unsigned',
  'unknown_key',
  'bad_signature',
  'stale',
] as const;
const MINUTE = 60_000;
const MB = 1_000_000;

describe('bad input over the bus: hostile entries are refused, counted, and never run', () => {
  let bus: BusFixture;
  let app: AppHarness;
  let streams: BusStreams;
  let orgId: string;
  let tried = 0;

  beforeAll(async () => {
    bus = await BusFixture.start();
    app = await bus.app({ BUS_CONSUMER: 'bad-input' });
    streams = busStreams(bus.prefix);
    orgId = (
      await app.accepted(app.tokens.support, createOrganization(uniqueName()))
    ).orgId as string;
  });

  afterAll(async () => {
    console.log(`bad input over the bus: ${tried} cases tried`);
    await bus.stop();
  });

  function replyStream(): string {
    return streams.replies(`hostile-${randomUUID().slice(0, 8)}`);
  }

  function allocation(): string {
    const commandId = randomUUID();
    return JSON.stringify({
      commandId,
      type: 'AllocateResource',
      orgId,
      payload: { resource: 'devices', quantity: 1, idempotencyKey: commandId },
    });
  }

  function signed(
    body: string,
    replyTo: string,
    overrides: { kind?: MessageKind; issuedAt?: number; secret?: Buffer } = {},
  ): Record<string, string> {
    return {
      ...sign(
        {
          kind: overrides.kind ?? 'command',
          body,
          replyTo,
          keyId: KEY_ID,
          issuedAt: String(overrides.issuedAt ?? Date.now()),
        },
        overrides.secret ?? bus.secret,
      ),
    };
  }

  /** A case whose entry is `fields(replyTo)`, answered at a fresh reply stream. */
  function answered(
    name: string,
    fields: (replyTo: string) => Record<string, string>,
    expected: Pick<BusCase, 'reason' | 'code'>,
  ): BusCase {
    const replyTo = replyStream();
    return { name, fields: flatten(fields(replyTo)), replyTo, ...expected };
  }

  // Stream entries may repeat a field; the first one counts.
  function hostileFirstBody(): BusCase {
    const replyTo = replyStream();
    return {
      name: 'a hostile first body before the signed one',
      fields: [
        'body',
        '{"commandId":"x"}',
        ...flatten(signed(allocation(), replyTo)),
      ],
      replyTo,
      reason: 'bad_signature',
      code: 'UNAUTHENTICATED',
    };
  }

  async function refusedCounts(): Promise<Record<string, number>> {
    const text = await (await fetch(`${app.baseUrl}/metrics`)).text();
    return Object.fromEntries(
      REASONS.map((reason) => {
        const line = text
          .split('\n')
          .find((l) =>
            l.startsWith(`organizations_bus_refused_total{reason="${reason}"}`),
          );
        return [reason, Number(line?.split(' ').pop() ?? 0)];
      }),
    );
  }

  /**
   * Adds every entry, waits until the consumer has handled them all, and
   * returns what went wrong: a missing, doubled or wrong reply.
   */
  async function sendAll(cases: readonly BusCase[]): Promise<string[]> {
    tried += cases.length;
    const ids: string[] = [];
    for (const badCase of cases) {
      const id = await bus.raw.xadd(streams.commands, '*', ...badCase.fields);
      ids.push(id ?? '');
    }
    await waitFor(() => handled(ids.at(-1) ?? ''), {
      timeoutMs: 20_000,
      intervalMs: 20,
      description: 'the consumer to handle every hostile entry',
    });
    const failures: string[] = [];
    for (const badCase of cases) {
      const failure = await replyProblem(badCase);
      if (failure !== undefined) failures.push(`${badCase.name}: ${failure}`);
    }
    return failures;
  }

  // Delivered up to `id`, with nothing left pending: every reply is written.
  async function handled(id: string): Promise<boolean> {
    const groups = (await bus.raw.xinfo(
      'GROUPS',
      streams.commands,
    )) as string[][];
    const group = fieldsOf(groups[0] ?? []);
    const [pending] = (await bus.raw.xpending(
      streams.commands,
      group.name ?? '',
    )) as [number];
    const delivered = group['last-delivered-id'] ?? '0-0';
    return pending === 0 && compareIds(delivered, id) >= 0;
  }

  async function replyProblem(badCase: BusCase): Promise<string | undefined> {
    if (badCase.replyTo === null) return undefined;
    const entries = (await bus.raw.xrange(badCase.replyTo, '-', '+')) as [
      string,
      string[],
    ][];
    if (entries.length !== 1) return `${entries.length} replies`;
    const reply = JSON.parse(fieldsOf(entries[0]![1]).body ?? '{}') as {
      status?: string;
      code?: string;
    };
    const codes = ['UNAUTHENTICATED', 'VALIDATION_FAILED'];
    const wanted = badCase.code === undefined ? codes : [badCase.code];
    return reply.status === 'rejected' && wanted.includes(reply.code ?? '')
      ? undefined
      : JSON.stringify(reply).slice(0, 300);
  }

  async function expectServing(): Promise<void> {
    const reply = await bus
      .client()
      .command(
        'AllocateResource',
        { resource: 'devices', quantity: 1, idempotencyKey: randomUUID() },
        { orgId },
      );
    expect(reply).toMatchObject({ status: 'accepted' });
  }

  async function expectRefusedAndCounted(cases: BusCase[]): Promise<void> {
    const before = app.eventCount();
    const counted = await refusedCounts();
    expect(await sendAll(cases)).toEqual([]);
    expect(app.eventCount()).toBe(before);
    const after = await refusedCounts();
    for (const reason of REASONS) {
      const expected = cases.filter((c) => c.reason === reason).length;
      expect({
        reason,
        counted: (after[reason] ?? 0) - (counted[reason] ?? 0),
      }).toEqual({ reason, counted: expected });
    }
    await expectServing();
  }

  it('refuses entries that are malformed, unsigned, forged, stale or from unknown keys', async () => {
    const now = Date.now();
    const cases: BusCase[] = [
      answered('no kind', (r) => ({ body: allocation(), replyTo: r }), {
        reason: 'malformed',
        code: 'UNAUTHENTICATED',
      }),
      answered(
        'an unknown kind',
        (r) => ({ ...signed(allocation(), r), kind: 'delete' }),
        { reason: 'malformed', code: 'UNAUTHENTICATED' },
      ),
      answered('no body', (r) => ({ kind: 'command', replyTo: r }), {
        reason: 'malformed',
        code: 'UNAUTHENTICATED',
      }),
      answered('only a reply address', (r) => ({ replyTo: r }), {
        reason: 'malformed',
        code: 'UNAUTHENTICATED',
      }),
      answered(
        'no signature fields',
        (r) => ({ kind: 'command', body: allocation(), replyTo: r }),
        { reason: 'unsigned', code: 'UNAUTHENTICATED' },
      ),
      answered(
        'an empty signature',
        (r) => ({ ...signed(allocation(), r), signature: '' }),
        { reason: 'unsigned', code: 'UNAUTHENTICATED' },
      ),
      answered(
        'an empty key id',
        (r) => ({ ...signed(allocation(), r), keyId: '' }),
        { reason: 'unsigned', code: 'UNAUTHENTICATED' },
      ),
      ...['stolen-1', KEY_ID.toUpperCase(), `${KEY_ID} `, '__proto__'].map(
        (keyId) =>
          answered(
            `unknown key ${JSON.stringify(keyId)}`,
            (r) => ({ ...signed(allocation(), r), keyId }),
            { reason: 'unknown_key', code: 'UNAUTHENTICATED' },
          ),
      ),
      answered(
        'a signature made with another secret',
        (r) => signed(allocation(), r, { secret: randomBytes(32) }),
        { reason: 'bad_signature', code: 'UNAUTHENTICATED' },
      ),
      answered(
        'a body changed after signing',
        (r) => ({ ...signed(allocation(), r), body: allocation() }),
        { reason: 'bad_signature', code: 'UNAUTHENTICATED' },
      ),
      answered(
        'a kind changed after signing',
        (r) => ({ ...signed(allocation(), r), kind: 'query' }),
        { reason: 'bad_signature', code: 'UNAUTHENTICATED' },
      ),
      answered(
        'a reply address changed after signing',
        (r) => ({ ...signed(allocation(), replyStream()), replyTo: r }),
        { reason: 'bad_signature', code: 'UNAUTHENTICATED' },
      ),
      answered(
        'an issue time changed after signing',
        (r) => {
          const fields = signed(allocation(), r);
          const issuedAt = String(Number(fields.issuedAt) - 1);
          return { ...fields, issuedAt };
        },
        { reason: 'bad_signature', code: 'UNAUTHENTICATED' },
      ),
      ...[
        (s: string) => s.toUpperCase(),
        (s: string) => s.slice(0, 63),
        (s: string) => `${s}0`,
        (s: string) => `${s.slice(0, 62)}zz`,
        () => 'ab'.repeat(32),
        () => 'x'.repeat(MB),
      ].map((forge, index) =>
        answered(
          `forged signature ${index}`,
          (r) => {
            const fields = signed(allocation(), r);
            return { ...fields, signature: forge(fields.signature ?? '') };
          },
          { reason: 'bad_signature', code: 'UNAUTHENTICATED' },
        ),
      ),
      hostileFirstBody(),
      ...[
        ['six minutes old', now - 6 * MINUTE],
        ['a day old', now - 1440 * MINUTE],
        ['five minutes ahead', now + 5 * MINUTE],
        ['dated 0', 0],
        ['dated before 1970', -1],
        ['dated past 2^53', 2 ** 60],
      ].map(([name, issuedAt]) =>
        answered(
          `a signature ${String(name)}`,
          (r) => signed(allocation(), r, { issuedAt: Number(issuedAt) }),
          { reason: 'stale', code: 'UNAUTHENTICATED' },
        ),
      ),
      ...['', 'soon', '1e12', `${now}.5`, ' 1', '0x1'].map((issuedAt) =>
        answered(
          `issue time ${JSON.stringify(issuedAt)}`,
          (r) => {
            const fields = sign(
              {
                kind: 'command',
                body: allocation(),
                replyTo: r,
                keyId: KEY_ID,
                issuedAt,
              },
              bus.secret,
            );
            return { ...fields };
          },
          { reason: 'stale', code: 'UNAUTHENTICATED' },
        ),
      ),
      ...[
        'not json',
        '{"commandId":',
        '',
        "{'commandId':'x'}",
        'x'.repeat(MB),
        `{"a":${'['.repeat(20_000)}`,
      ].map((body, index) =>
        answered(`a signed non-JSON body ${index}`, (r) => signed(body, r), {
          reason: 'malformed',
          code: 'UNAUTHENTICATED',
        }),
      ),
      answered(
        'an unsigned 1 MB body',
        (r) => ({ kind: 'command', body: 'y'.repeat(MB), replyTo: r }),
        { reason: 'unsigned', code: 'UNAUTHENTICATED' },
      ),
    ];
    await expectRefusedAndCounted(cases);
  }, 30_000);

  it('answers signed bodies with bad envelopes as VALIDATION_FAILED', async () => {
    const base = JSON.parse(allocation()) as Record<string, unknown>;
    const depth = 10_000;
    const bodies: [string, string][] = [
      ['null', 'null'],
      ['a number', '42'],
      ['a string', '"AllocateResource"'],
      ['an array', JSON.stringify([base])],
      ['an empty object', '{}'],
      ['deep arrays', `${'['.repeat(depth)}${']'.repeat(depth)}`],
      [
        'a deep payload',
        JSON.stringify({ ...base, payload: 0 }).replace(
          '"payload":0',
          `"payload":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`,
        ),
      ],
      ['a 1 MB string', JSON.stringify({ ...base, reference: 'r'.repeat(MB) })],
      [
        '100,000 items',
        JSON.stringify({
          ...base,
          type: 'ChangeSecuritySettings',
          payload: { ipAllowlist: Array<string>(100_000).fill('10.0.0.0/8') },
        }),
      ],
      ['a numeric commandId', JSON.stringify({ ...base, commandId: 7 })],
      ['an unknown type', JSON.stringify({ ...base, type: 'DropDatabase' })],
      ['an unknown field', JSON.stringify({ ...base, admin: true })],
      [
        'a lone surrogate',
        JSON.stringify({ ...base, type: 'X' }).replace('"X"', '"\\ud800"'),
      ],
      [
        'an infinite quantity',
        JSON.stringify(base).replace('"quantity":1', '"quantity":1e309'),
      ],
      [
        'a resource that is not allocated',
        JSON.stringify(base).replace('"devices"', '"users"'),
      ],
      [
        'an unsafe idempotency key',
        JSON.stringify(base).replace(
          /"idempotencyKey":"[^"]*"/,
          '"idempotencyKey":"a\\u202eb"',
        ),
      ],
      ...['__proto__', 'constructor', 'prototype'].flatMap(
        (key): [string, string][] => [
          [
            `${key} in the envelope`,
            JSON.stringify(base).replace('{', `{"${key}":{"type":"X"},`),
          ],
          [
            `${key} in the payload`,
            JSON.stringify(base).replace(
              '"payload":{',
              `"payload":{"${key}":{"quantity":1},`,
            ),
          ],
        ],
      ),
    ];
    const cases = bodies.map(([name, body]) =>
      answered(name, (r) => signed(body, r), { code: 'VALIDATION_FAILED' }),
    );
    await expectRefusedAndCounted(cases);
    expect(Object.prototype).not.toHaveProperty('quantity');
  }, 30_000);

  it('never writes a reply outside the reply namespace', async () => {
    const victim = `${bus.prefix}-victim`;
    await bus.raw.set(`${victim}:string`, 'untouched');
    const targets = [
      `${victim}:stream`,
      `${victim}:string`,
      streams.commands,
      streams.events,
      streams.deadLetters,
      streams.replies(''),
      streams.replies('a/b'),
      streams.replies('a:b'),
      streams.replies('x'.repeat(65)),
      `${streams.replies('ok')}\n`,
      `x${streams.replies('ok')}`,
    ];
    const hostile = JSON.stringify({ commandId: randomUUID(), type: 'X' });
    const cases: BusCase[] = targets.flatMap((target) => [
      {
        name: `a signed bad envelope for ${target}`,
        fields: flatten(signed(hostile, target)),
        replyTo: null,
        reason: 'malformed',
      },
      {
        name: `a signed valid command for ${target}`,
        fields: flatten(signed(allocation(), target)),
        replyTo: null,
        reason: 'malformed',
      },
      {
        name: `a forged request for ${target}`,
        fields: flatten(
          signed(allocation(), target, { secret: randomBytes(32) }),
        ),
        replyTo: null,
        reason: 'bad_signature',
      },
    ]);
    await expectRefusedAndCounted(cases);
    expect(await bus.raw.exists(`${victim}:stream`)).toBe(0);
    expect(await bus.raw.get(`${victim}:string`)).toBe('untouched');
    for (const stream of [
      streams.commands,
      streams.events,
      streams.deadLetters,
    ]) {
      const entries = (await bus.raw.xrange(stream, '-', '+')) as [
        string,
        string[],
      ][];
      expect(entries.filter(([, f]) => f.includes('inReplyTo'))).toEqual([]);
    }
    for (const target of targets.slice(5)) {
      expect(await bus.raw.exists(target)).toBe(0);
    }
  }, 30_000);

  it('answers a replayed entry once more with the same reply and no new event', async () => {
    const replyTo = replyStream();
    const fields = flatten(signed(allocation(), replyTo));
    await bus.raw.xadd(streams.commands, '*', ...fields);
    await waitFor(async () => (await bus.raw.xlen(replyTo)) === 1, {
      description: 'the first reply',
    });
    const before = app.eventCount();

    const replays: BusCase[] = Array.from({ length: 5 }, (_, i) => ({
      name: `replay ${i}`,
      fields,
      replyTo: null,
    }));
    expect(await sendAll(replays)).toEqual([]);

    expect(app.eventCount()).toBe(before);
    const replies = (await bus.raw.xrange(replyTo, '-', '+')) as [
      string,
      string[],
    ][];
    const bodies = new Set(replies.map(([, f]) => fieldsOf(f).body));
    expect(replies).toHaveLength(6);
    expect(bodies.size).toBe(1);
    expect(JSON.parse([...bodies][0] ?? '{}')).toMatchObject({
      status: 'accepted',
    });
  }, 30_000);

  it('refuses generated entries and signed bodies (fast-check)', async () => {
    const field = fc.oneof(
      fc.constantFrom('kind', 'body', 'keyId', 'issuedAt', 'signature'),
      fc.string({ maxLength: 10 }),
    );
    const entries = fc.sample(
      fc.dictionary(field, fc.string({ unit: 'binary', maxLength: 60 })),
      150,
    );
    const bodies = fc
      .sample(fc.jsonValue(), 300)
      .filter((body) => !validateCommandEnvelope(body).ok)
      .slice(0, 150);
    const cases = [
      ...entries.map((fields, i) =>
        answered(`random entry ${i}`, (r) => ({ ...fields, replyTo: r }), {
          code: 'UNAUTHENTICATED',
        }),
      ),
      ...bodies.map((body, i) =>
        answered(`random body ${i}`, (r) => signed(JSON.stringify(body), r), {
          code: 'VALIDATION_FAILED',
        }),
      ),
    ];
    const before = app.eventCount();
    expect(await sendAll(cases)).toEqual([]);
    expect(app.eventCount()).toBe(before);
    await expectServing();
  }, 30_000);
});

function compareIds(a: string, b: string): number {
  const [aMs = 0n, aSeq = 0n] = a.split('-').map(BigInt);
  const [bMs = 0n, bSeq = 0n] = b.split('-').map(BigInt);
  if (aMs !== bMs) return aMs < bMs ? -1 : 1;
  if (aSeq === bSeq) return 0;
  return aSeq < bSeq ? -1 : 1;
}
