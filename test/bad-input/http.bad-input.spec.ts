import { randomUUID } from 'node:crypto';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  COMMAND_TYPES,
  type CommandType,
  commandJsonSchemas,
  ERROR_CODES,
  type ErrorCode,
  HTTP_STATUS_BY_CODE,
  validateCommandEnvelope,
} from '@org/contracts';
import Database from 'better-sqlite3';
import fc from 'fast-check';

import { VALID_PAYLOADS } from '../../libs/contracts/src/testing/command-examples.js';
import { AppHarness } from '../support/app-harness.js';
import { createOrganization, uniqueName } from '../support/envelopes.js';

/** One hostile request: a raw body, sent as `contentType`. */
interface BadCase {
  readonly name: string;
  readonly body: string;
  readonly contentType?: string;
  /** The refusal code it must get; any code of the taxonomy when unset. */
  readonly code?: ErrorCode;
}

interface FieldSchema {
  readonly type?: string;
  readonly nullable?: boolean;
  readonly $ref?: string;
  readonly items?: FieldSchema;
  readonly properties?: Readonly<Record<string, FieldSchema>>;
  readonly required?: readonly string[];
}

const SCHEMAS = commandJsonSchemas() as unknown as Readonly<
  Record<string, FieldSchema>
>;
const MAX_BODY_BYTES = 2_000_000;
const MB = 1_000_000;
const BATCH = 8;
// A placeholder swapped for raw JSON text that JSON.stringify cannot write.
const RAW = '@@raw@@';

describe('bad input over HTTP: every hostile request is a 4xx with a stable code, and nothing is stored', () => {
  let app: AppHarness;
  let orgId: string;
  let events: Database.Database;
  let tried = 0;

  beforeAll(async () => {
    app = await AppHarness.start({ MAX_BODY_BYTES: String(MAX_BODY_BYTES) });
    events = new Database(join(app.dataDir, 'events.sqlite'), {
      readonly: true,
    });
    orgId = (
      await app.accepted(app.tokens.support, createOrganization(uniqueName()))
    ).orgId as string;
  });

  afterAll(async () => {
    console.log(`bad input over HTTP: ${tried} cases tried`);
    events.close();
    await app.stop();
  });

  /** A valid envelope of `type` for the test organization. */
  function valid(type: CommandType): Record<string, unknown> {
    return {
      commandId: randomUUID(),
      type,
      ...(type === 'CreateOrganization' ? {} : { orgId }),
      reference: 'SUP-9',
      payload: JSON.parse(JSON.stringify(VALID_PAYLOADS[type])) as unknown,
    };
  }

  /** The JSON text of `envelope` with the string {@link RAW} replaced by `raw`. */
  function withRaw(envelope: unknown, raw: string): string {
    return JSON.stringify(envelope).replace(`"${RAW}"`, () => raw);
  }

  /**
   * Sends every case, a few at a time; returns the ones not refused as they
   * must be. Events are counted around each batch: none may appear.
   */
  async function refuseAll(cases: readonly BadCase[]): Promise<string[]> {
    const failures: string[] = [];
    for (let start = 0; start < cases.length; start += BATCH) {
      const batch = cases.slice(start, start + BATCH);
      const before = eventCount();
      const answers = await Promise.all(batch.map((c) => refusal(c)));
      const stored = eventCount() - before;
      answers.forEach((failure, index) => {
        if (failure !== undefined) {
          failures.push(`${batch[index]?.name ?? '?'}: ${failure}`);
        }
      });
      if (stored !== 0) {
        failures.push(
          `${stored} events stored by one of: ${batch.map((c) => c.name).join(' | ')}`,
        );
      }
    }
    return failures;
  }

  // One connection for the whole file: opening the file per case is slow.
  function eventCount(): number {
    const row = events.prepare('SELECT count(*) AS n FROM events').get();
    return (row as { n: number }).n;
  }

  async function refusal(badCase: BadCase): Promise<string | undefined> {
    tried++;
    const reply = await app.request(
      'POST',
      '/v1/commands',
      app.tokens.support,
      badCase.body,
      badCase.contentType,
    );
    const code = reply.body.code as ErrorCode;
    const stable =
      ERROR_CODES.includes(code) &&
      (reply.status === HTTP_STATUS_BY_CODE[code] ||
        (code === 'VALIDATION_FAILED' && [413, 415].includes(reply.status)));
    if (!stable || (badCase.code !== undefined && code !== badCase.code)) {
      return `${reply.status} ${JSON.stringify(reply.body).slice(0, 300)}`;
    }
    return undefined;
  }

  async function expectHealthy(): Promise<void> {
    expect((await app.get(null, '/health/live')).status).toBe(200);
    const reply = await app.command(app.tokens.support, {
      ...valid('UpdateProfile'),
      payload: { displayName: `Still serving ${randomUUID().slice(0, 8)}` },
    });
    expect(reply).toMatchObject({ status: 200, body: { status: 'accepted' } });
  }

  it('refuses a wrong type in every field of every command type', async () => {
    const cases = COMMAND_TYPES.flatMap((type) => wrongTypeCases(type));
    const failures = await refuseAll(cases);
    expect(failures).toEqual([]);
    expect(cases.length).toBeGreaterThan(500);
    await expectHealthy();
  }, 20_000);

  it('refuses generated envelopes and payloads (fast-check)', async () => {
    const failures: string[] = [];
    const check = async (badCase: BadCase) => {
      const failure = (await refuseAll([badCase]))[0];
      if (failure !== undefined) failures.push(failure);
      return failure === undefined;
    };
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), (body) =>
        check({ name: 'any JSON', body: JSON.stringify(body) }),
      ),
      { numRuns: 150 },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...COMMAND_TYPES),
        fc.constantFrom('commandId', 'type', 'orgId', 'payload'),
        fc.jsonValue(),
        (type, field, value) => {
          const envelope = { ...valid(type), [field]: value };
          fc.pre(!validateCommandEnvelope(envelope).ok);
          return check({
            name: `${type}.${field} = ${JSON.stringify(value)}`,
            body: JSON.stringify(envelope),
            code: 'VALIDATION_FAILED',
          });
        },
      ),
      { numRuns: 200 },
    );
    await fc.assert(
      fc.asyncProperty(
        fc
          .string({ unit: 'binary', maxLength: 80 })
          .filter((name) => !/^[a-z0-9-]*$/i.test(name)),
        (name) =>
          check({
            name: `organization name ${JSON.stringify(name)}`,
            body: JSON.stringify(createOrganization(name)),
          }),
      ),
      { numRuns: 150 },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.string({ minLength: 1, maxLength: 12 }),
        fc.jsonValue(),
        (key, value) => {
          const envelope = valid('UpdateProfile');
          const payload = { displayName: 'Acme', [`x-${key}`]: value };
          return check({
            name: `unknown payload field x-${key}`,
            body: JSON.stringify({ ...envelope, payload }),
            code: 'VALIDATION_FAILED',
          });
        },
      ),
      { numRuns: 100 },
    );
    expect(failures).toEqual([]);
    await expectHealthy();
  }, 20_000);

  it('refuses huge strings, huge arrays and oversized bodies', async () => {
    const huge = 'a'.repeat(MB);
    const failures = await refuseAll([
      ...['name', 'displayName', 'contactEmail', 'ownerUserId'].map(
        (field) => ({
          name: `1 MB ${field}`,
          body: JSON.stringify(
            createOrganization(uniqueName(), {
              [field]: huge,
            }),
          ),
        }),
      ),
      {
        name: '1 MB reference',
        body: JSON.stringify({ ...valid('UpdateProfile'), reference: huge }),
      },
      {
        name: '1 MB commandId',
        body: JSON.stringify({ ...valid('UpdateProfile'), commandId: huge }),
      },
      {
        name: '1 MB label value',
        body: JSON.stringify({
          ...valid('ChangeLabels'),
          payload: { labels: { big: huge } },
        }),
      },
      {
        name: '1 MB unknown key',
        body: JSON.stringify({
          ...valid('UpdateProfile'),
          payload: { [huge]: 1 },
        }),
      },
      {
        name: '100,000 allowlist entries',
        body: JSON.stringify({
          ...valid('ChangeSecuritySettings'),
          payload: { ipAllowlist: Array<string>(100_000).fill('10.0.0.0/8') },
        }),
      },
      {
        name: '200,000 alert thresholds',
        body: JSON.stringify({
          ...valid('ChangeBillingSettings'),
          payload: { usageAlertThresholds: Array<number>(200_000).fill(50) },
        }),
      },
      {
        name: '100,000 permissions',
        body: JSON.stringify({
          ...valid('AddMember'),
          payload: {
            userId: 'u-9',
            role: 'viewer',
            permissions: Array<string>(100_000).fill('audit:read'),
          },
        }),
      },
      {
        name: '50,000 labels',
        body: JSON.stringify({
          ...valid('ChangeLabels'),
          payload: {
            labels: Object.fromEntries(
              Array.from({ length: 50_000 }, (_, i) => [`k${i}`, 'v']),
            ),
          },
        }),
      },
      {
        name: 'an array of 300,000 envelopes',
        body: JSON.stringify(Array<unknown>(300_000).fill(0)),
      },
      {
        name: 'a body over MAX_BODY_BYTES',
        body: JSON.stringify({
          ...valid('UpdateProfile'),
          payload: { displayName: 'a'.repeat(MAX_BODY_BYTES) },
        }),
      },
    ]);
    expect(failures).toEqual([]);
    await expectHealthy();
  });

  it('refuses 10,000 levels of nesting', async () => {
    const depth = 10_000;
    const arrays = `${'['.repeat(depth)}${']'.repeat(depth)}`;
    const objects = `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
    const failures = await refuseAll([
      { name: 'nested arrays as the body', body: arrays },
      { name: 'nested objects as the body', body: objects },
      ...[arrays, objects].flatMap((deep, index) => [
        {
          name: `nested ${index} as the payload`,
          body: withRaw({ ...valid('UpdateProfile'), payload: RAW }, deep),
        },
        {
          name: `nested ${index} as a payload field`,
          body: withRaw(
            { ...valid('UpdateProfile'), payload: { displayName: RAW } },
            deep,
          ),
        },
        {
          name: `nested ${index} as a label value`,
          body: withRaw(
            { ...valid('ChangeLabels'), payload: { labels: { deep: RAW } } },
            deep,
          ),
        },
        {
          name: `nested ${index} as an unknown envelope field`,
          body: withRaw({ ...valid('UpdateProfile'), extra: RAW }, deep),
        },
      ]),
    ]);
    expect(failures).toEqual([]);
    await expectHealthy();
  });

  it('refuses unsafe unicode in every kind of text field', async () => {
    const texts = [
      '"\\ud800"',
      '"abc\\udfff"',
      '"\\udc00\\ud800"',
      '"\\u202egnp.exe"',
      '"acme\\u2066x\\u2069"',
      '"a\\u200bb"',
      '"ac\\ufeffme"',
      '"a\\u2060b"',
      '"a\\u0000b"',
      '"\\u0000"',
      '"a\\u001bb"',
      '"a\\u2028b"',
      '"a\\u061cb"',
      '"a\\u200eb"',
    ];
    const places: [string, Record<string, unknown>][] = [
      ['name', createOrganization(RAW)],
      [
        'displayName',
        { ...valid('UpdateProfile'), payload: { displayName: RAW } },
      ],
      [
        'description',
        { ...valid('UpdateProfile'), payload: { description: RAW } },
      ],
      [
        'userId',
        { ...valid('AddMember'), payload: { userId: RAW, role: 'viewer' } },
      ],
      [
        'label value',
        { ...valid('ChangeLabels'), payload: { labels: { k: RAW } } },
      ],
      ['reason', { ...valid('SuspendOrganization'), payload: { reason: RAW } }],
      ['region', { ...valid('ChangeLabels'), payload: { region: RAW } }],
      ['commandId', { ...valid('UpdateProfile'), commandId: RAW }],
      ['type', { ...valid('UpdateProfile'), type: RAW }],
      ['reference', { ...valid('UpdateProfile'), reference: RAW }],
    ];
    const keyed = texts.map((text) => ({
      name: `label key ${text}`,
      body: `{"commandId":"${randomUUID()}","type":"ChangeLabels","orgId":"${orgId}","reference":"S","payload":{"labels":{${text}:"v"}}}`,
    }));
    const failures = await refuseAll([
      ...places.flatMap(([place, envelope]) =>
        texts.map((text) => ({
          name: `${place} ${text}`,
          body: withRaw(
            {
              ...envelope,
              commandId: envelope.commandId === RAW ? RAW : randomUUID(),
            },
            text,
          ),
        })),
      ),
      ...keyed,
    ]);
    expect(failures).toEqual([]);
    await expectHealthy();
  });

  it('refuses prototype-pollution keys at every level and pollutes nothing', async () => {
    const keys = ['__proto__', 'constructor', 'prototype'];
    const hostile = '{"polluted":true,"type":"UpdateProfile","isAdmin":true}';
    const failures = await refuseAll(
      keys.flatMap((key) => {
        const field = `"${key}":${hostile}`;
        const create = JSON.stringify(createOrganization(uniqueName()));
        return [
          {
            name: `${key} in the envelope`,
            body: withRaw({ ...valid('UpdateProfile'), x: RAW }, '1').replace(
              '"x":1',
              field,
            ),
          },
          {
            name: `${key} as the only envelope field`,
            body: `{${field}}`,
          },
          {
            name: `${key} carrying the type`,
            body: JSON.stringify(valid('UpdateProfile')).replace(
              '"type":"UpdateProfile"',
              field,
            ),
          },
          {
            name: `${key} in the payload`,
            body: `{"commandId":"${randomUUID()}","type":"UpdateProfile","orgId":"${orgId}","reference":"S","payload":{"displayName":"X",${field}}}`,
          },
          {
            name: `${key} in a nested object`,
            body: `{"commandId":"${randomUUID()}","type":"ChangeSecuritySettings","orgId":"${orgId}","reference":"S","payload":{"apiKeyRotation":{"maxAgeDays":null,"warnBeforeDays":0,${field}}}}`,
          },
          {
            name: `${key} as a label key`,
            body: `{"commandId":"${randomUUID()}","type":"ChangeLabels","orgId":"${orgId}","reference":"S","payload":{"labels":{"${key}":"x"}}}`,
          },
          {
            name: `${key} as a label key at creation`,
            body: create.replace(
              '"ownerUserId"',
              `"labels":{"${key}":"x"},"ownerUserId"`,
            ),
          },
          {
            name: `${key} inside an array item`,
            body: `{"commandId":"${randomUUID()}","type":"ChangeSecuritySettings","orgId":"${orgId}","reference":"S","payload":{"ipAllowlist":[{${field}}]}}`,
          },
        ];
      }),
    );
    expect(failures).toEqual([]);
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(Object.prototype).not.toHaveProperty('isAdmin');
    await expectHealthy();
  });

  it('refuses invalid CIDRs and e-mail addresses', async () => {
    const cidrs = [
      '',
      ' ',
      '10.0.0.0/33',
      '10.0.0.0/08',
      '256.0.0.1',
      '010.0.0.1',
      '10.0.0',
      '10.0.0.0/-1',
      '10.0.0.0/',
      '/24',
      '0x0a.0.0.1',
      '167772161',
      '10.0.0.0/8/8',
      '2001:db8::/129',
      '2001:db8:::1',
      '2001:db8::g',
      '1:2:3:4:5:6:7:8:9',
      '::ffff:999.0.0.1',
      'localhost',
      '10.0.0.١',
      '1'.repeat(65),
    ];
    const emails = [
      '',
      'plain',
      '@acme.example',
      'ops@',
      'ops@@acme.example',
      'ops acme@acme.example',
      'ops@acme..example',
      'ops@-acme.example',
      '<ops@acme.example>',
      'ops@acme.example\nBcc: x@evil.example',
      `${'a'.repeat(300)}@acme.example`,
      'ops@acme.example,other@acme.example',
    ];
    const failures = await refuseAll([
      ...cidrs.map((cidr) => ({
        name: `CIDR ${JSON.stringify(cidr)}`,
        body: JSON.stringify({
          ...valid('ChangeSecuritySettings'),
          payload: { ipAllowlist: ['192.0.2.0/24', cidr] },
        }),
      })),
      ...emails.flatMap((email) => [
        {
          name: `contact e-mail ${JSON.stringify(email)}`,
          body: JSON.stringify({
            ...valid('UpdateProfile'),
            payload: { contactEmail: email },
          }),
        },
        {
          name: `billing e-mail ${JSON.stringify(email)}`,
          body: JSON.stringify({
            ...valid('ChangeBillingSettings'),
            payload: { billingEmail: email },
          }),
        },
        {
          name: `creation e-mail ${JSON.stringify(email)}`,
          body: JSON.stringify(
            createOrganization(uniqueName(), { contactEmail: email }),
          ),
        },
      ]),
    ]);
    expect(failures).toEqual([]);
    await expectHealthy();
  });

  it('refuses odd numbers, duplicate keys, wrong content types and truncated JSON', async () => {
    const numbers = [
      '1e309',
      '-1e309',
      '-0',
      '"NaN"',
      '"Infinity"',
      '1.5',
      '-1',
      '0',
    ];
    const allocate = { ...valid('AllocateResource') };
    const envelopeText = JSON.stringify(valid('UpdateProfile'));
    const failures = await refuseAll([
      ...numbers.map((n) => ({
        name: `quantity ${n}`,
        body: withRaw(
          {
            ...allocate,
            payload: {
              resource: 'devices',
              quantity: RAW,
              idempotencyKey: 'k',
            },
          },
          n,
        ),
      })),
      ...['1e309', '-1', '1.5', '"NaN"', '-1e309'].map((n) => ({
        name: `expectedRevision ${n}`,
        body: withRaw({ ...valid('UpdateProfile'), expectedRevision: RAW }, n),
      })),
      ...['1e309', '-1', '0.5', '"NaN"'].map((n) => ({
        name: `session timeout ${n}`,
        body: withRaw(
          {
            ...valid('ChangeSecuritySettings'),
            payload: { sessionTimeoutMinutes: RAW },
          },
          n,
        ),
      })),
      {
        name: 'duplicate commandId, the last not a UUID',
        body: envelopeText
          .replace('{', `{"commandId":"${randomUUID()}",`)
          .replace(/}$/, ',"commandId":42}'),
      },
      {
        name: 'duplicate type, the last unknown',
        body: envelopeText.replace(/}$/, ',"type":"DropDatabase"}'),
      },
      {
        name: 'duplicate payload, the last a string',
        body: envelopeText.replace(/}$/, ',"payload":"x"}'),
      },
      {
        name: 'duplicate displayName, the last empty',
        body: envelopeText.replace(
          '"description":null}',
          '"description":null,"displayName":"   "}',
        ),
      },
      ...[
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'application/xml',
        'application/octet-stream',
        'application/json; charset=utf-16',
        'application/json; charset=latin1',
      ].map((contentType) => ({
        name: `content type ${contentType}`,
        body: envelopeText,
        contentType,
      })),
      ...Array.from({ length: envelopeText.length }, (_, end) => ({
        name: `JSON cut at ${end}`,
        body: envelopeText.slice(0, end),
      })),
      { name: 'trailing garbage', body: `${envelopeText}x` },
      { name: 'two documents', body: `${envelopeText}${envelopeText}` },
      { name: 'single quotes', body: envelopeText.replace(/"/g, "'") },
      { name: 'a comment', body: `/* hi */${envelopeText}` },
      { name: 'NaN literal', body: envelopeText.replace('"Acme"', 'NaN') },
      {
        name: 'invalid UTF-8',
        body: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]).toString('latin1'),
      },
    ]);
    expect(failures).toEqual([]);
    await expectHealthy();
  });

  /** Every field of the envelope and of the payload of `type`, each with values of a wrong type. */
  function wrongTypeCases(type: CommandType): BadCase[] {
    const envelopeSchema = SCHEMAS.CommandEnvelope!;
    const payloadSchema = SCHEMAS[`${type}Payload`]!;
    const base = valid(type);
    expect(validateCommandEnvelope(base)).toMatchObject({ ok: true });
    const at = (path: string[], value: unknown) =>
      JSON.stringify(replaced(valid(type), path, value));
    const fields = (schema: FieldSchema, path: string[]): BadCase[] =>
      Object.entries(schema.properties ?? {}).flatMap(
        ([field, fieldSchema]) => {
          const fieldPath = [...path, field];
          const required = schema.required?.includes(field) === true;
          const nested =
            fieldSchema.$ref === undefined
              ? []
              : fields(SCHEMAS[fieldSchema.$ref.split('/').pop()!]!, fieldPath);
          return [
            ...wrongValues(fieldSchema).map((value) => ({
              name: `${type} ${fieldPath.join('.')} = ${JSON.stringify(value)}`,
              body: at(fieldPath, value),
              code: 'VALIDATION_FAILED' as const,
            })),
            ...(required
              ? [
                  {
                    name: `${type} without ${fieldPath.join('.')}`,
                    body: at(fieldPath, undefined),
                    code: 'VALIDATION_FAILED' as const,
                  },
                ]
              : []),
            ...nested,
          ];
        },
      );
    return [
      ...fields(envelopeSchema, []),
      ...fields(payloadSchema, ['payload']),
      {
        name: `${type} with an unknown payload field`,
        body: at(['payload', 'unexpected'], 1),
        code: 'VALIDATION_FAILED',
      },
    ];
  }
});

const WRONG_BY_TYPE: Readonly<Record<string, readonly unknown[]>> = {
  string: [42, true, [], {}, ['x']],
  integer: ['1', 1.5, true, [], {}],
  boolean: ['true', 1, [], {}],
  array: ['x', 1, {}, true],
  object: ['x', 1, [], true],
};

function wrongValues(schema: FieldSchema): unknown[] {
  const type = schema.$ref === undefined ? (schema.type ?? 'object') : 'object';
  const values = [...(WRONG_BY_TYPE[type] ?? [])];
  if (type === 'array' && schema.items?.type !== undefined) {
    values.push(...(WRONG_BY_TYPE[schema.items.type] ?? []).map((v) => [v]));
  }
  if (type === 'object' && schema.$ref === undefined) {
    values.push({ k: 42 }, { k: null });
  }
  if (schema.nullable !== true) values.push(null);
  return values;
}

function replaced(
  envelope: Record<string, unknown>,
  path: readonly string[],
  value: unknown,
): Record<string, unknown> {
  const [head, ...rest] = path;
  if (head === undefined) return envelope;
  const inner = envelope[head];
  const next =
    rest.length === 0
      ? value
      : replaced(
          typeof inner === 'object' && inner !== null
            ? { ...(inner as Record<string, unknown>) }
            : {},
          rest,
          value,
        );
  return { ...envelope, [head]: next };
}
