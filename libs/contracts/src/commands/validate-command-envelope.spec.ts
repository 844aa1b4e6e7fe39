import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';

import { COMMAND_TYPES, type CommandType } from '../command-types.js';
import {
  COMMAND_ID,
  envelopeOf,
  ORG_ID,
  VALID_PAYLOADS,
} from '../testing/command-examples.js';
import type { FieldProblem } from '../validation/problems.js';
import { UNKNOWN_TYPE_PROBLEM } from './command-envelope.js';
import {
  type EnvelopeValidation,
  validateCommandEnvelope,
} from './validate-command-envelope.js';

function problemsOf(body: unknown): readonly FieldProblem[] {
  const result = validateCommandEnvelope(body);
  if (result.ok) throw new Error('expected the envelope to be refused');
  return result.problems;
}

function withPayload(
  type: CommandType,
  change: Record<string, unknown>,
): Record<string, unknown> {
  return envelopeOf(type, { ...VALID_PAYLOADS[type], ...change });
}

function without(type: CommandType, field: string): Record<string, unknown> {
  const entries = Object.entries(VALID_PAYLOADS[type]);
  return envelopeOf(
    type,
    Object.fromEntries(entries.filter(([key]) => key !== field)),
  );
}

function nested(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let level = 0; level < depth; level++) value = { next: value };
  return value;
}

const ONE_MEGABYTE = 'x'.repeat(1024 * 1024);

describe('a valid envelope', () => {
  it.each(COMMAND_TYPES)('of %s is accepted as plain data', (type) => {
    const body = envelopeOf(type);

    const result = validateCommandEnvelope(body);

    expect(result).toStrictEqual({ ok: true, envelope: body });
  });

  it('keeps the optional envelope fields', () => {
    const body = {
      ...envelopeOf('SuspendOrganization'),
      expectedRevision: 0,
      reference: 'SUP-4821',
      correlationId: 'req-7f3a',
    };

    expect(validateCommandEnvelope(body)).toStrictEqual({
      ok: true,
      envelope: body,
    });
  });

  it('holds no field that was not sent, and no class instance', () => {
    const body = envelopeOf('ChangeSecuritySettings', {
      apiKeyRotation: { maxAgeDays: 90, warnBeforeDays: 14 },
    });

    const result = validateCommandEnvelope(body);

    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(Object.keys(result.envelope)).toEqual([
      'commandId',
      'type',
      'orgId',
      'payload',
    ]);
    expect(Object.keys(result.envelope.payload)).toEqual(['apiKeyRotation']);
    expect(Object.getPrototypeOf(result.envelope.payload)).toBe(
      Object.prototype,
    );
    expect(result.envelope).toStrictEqual(body);
  });

  it('is typed by its command type', () => {
    const result = validateCommandEnvelope(envelopeOf('SetResourceLimit'));

    if (!result.ok || result.envelope.type !== 'SetResourceLimit') {
      throw new Error('expected a SetResourceLimit envelope');
    }
    const limit: number | null = result.envelope.payload.limit;
    const orgId: string = result.envelope.orgId;
    expect({ limit, orgId }).toEqual({ limit: null, orgId: ORG_ID });
  });

  it('does not copy the body, so later edits of the body do not leak in', () => {
    const body = envelopeOf('ChangeLabels', { labels: { tier: 'gold' } });

    const result = validateCommandEnvelope(body);
    (body.payload as { labels: Record<string, string> }).labels.tier = 'x';

    expect(result.ok && result.envelope.payload).toEqual({
      labels: { tier: 'gold' },
    });
  });

  it.each([
    ['a UUIDv4 orgId', { orgId: '9b2f2c3e-7a44-4c1e-9a57-3f0f1d2b8c10' }],
    ['an upper-case commandId', { commandId: COMMAND_ID.toUpperCase() }],
    ['expectedRevision 0', { expectedRevision: 0 }],
  ])('with %s is accepted', (_case, change) => {
    const body = { ...envelopeOf('CancelDeletion'), ...change };

    expect(validateCommandEnvelope(body).ok).toBe(true);
  });
});

describe('each command refuses a bad payload', () => {
  it.each(COMMAND_TYPES)('%s: an unknown field', (type) => {
    expect(problemsOf(withPayload(type, { actor: 'root' }))).toEqual([
      { field: 'payload.actor', problem: 'is not a known field' },
    ]);
  });

  it.each<[CommandType, Record<string, unknown>, string, unknown]>([
    ['CreateOrganization', { name: 42 }, 'name', 'must be text'],
    [
      'CreateOrganization',
      { environment: null },
      'environment',
      'must be text',
    ],
    ['UpdateProfile', { displayName: null }, 'displayName', 'must be text'],
    [
      'UpdateProfile',
      { description: 'x'.repeat(2_001) },
      'description',
      'must have at most 2000 characters',
    ],
    [
      'ChangeLabels',
      { labels: ['gold'] },
      'labels',
      'must be an object of text values',
    ],
    [
      'ChangeLabels',
      { labels: null },
      'labels',
      'must be an object of text values',
    ],
    ['ChangeLabels', { region: 7 }, 'region', 'must be text, or null'],
    [
      'ChangeSecuritySettings',
      { twoFactorRequired: 'yes' },
      'twoFactorRequired',
      'must be true or false',
    ],
    [
      'ChangeSecuritySettings',
      { apiKeyRotation: { maxAgeDays: '30', warnBeforeDays: 0 } },
      'apiKeyRotation.maxAgeDays',
      'must be a whole number, or null',
    ],
    [
      'ChangeSecuritySettings',
      { apiKeyRotation: { maxAgeDays: 30 } },
      'apiKeyRotation.warnBeforeDays',
      'is required',
    ],
    [
      'ChangeSecuritySettings',
      { apiKeyRotation: [] },
      'apiKeyRotation',
      'must be an object',
    ],
    [
      'ChangeSecuritySettings',
      { ipAllowlist: '10.0.0.0/8' },
      'ipAllowlist',
      'must be a list',
    ],
    [
      'ChangeSecuritySettings',
      { sessionTimeoutMinutes: 7.5 },
      'sessionTimeoutMinutes',
      'must be a whole number',
    ],
    [
      'ChangeBillingSettings',
      { paymentMethod: 'cash' },
      'paymentMethod',
      'must be one of credit_card, invoice',
    ],
    [
      'ChangeBillingSettings',
      { usageAlertThresholds: [50, 80.5] },
      'usageAlertThresholds',
      'must hold only whole numbers',
    ],
    [
      'ChangeBillingSettings',
      { billingEmail: 12 },
      'billingEmail',
      'must be text, or null',
    ],
    [
      'SetResourceLimit',
      { resource: 'seats' },
      'resource',
      'must be one of products, devices, users, api_keys, webhooks',
    ],
    [
      'SetResourceLimit',
      { limit: '100' },
      'limit',
      'must be a whole number, or null',
    ],
    [
      'AddMember',
      { role: 'owner' },
      'role',
      'must be one of admin, developer, operator, billing, viewer',
    ],
    [
      'AddMember',
      { permissions: ['devices:read', 'root'] },
      'permissions',
      expect.stringContaining('must hold only devices:read, '),
    ],
    ['ChangeMemberRole', { userId: 7 }, 'userId', 'must be text'],
    [
      'RemoveMember',
      { userId: 'u'.repeat(129) },
      'userId',
      'must have 1 to 128 characters',
    ],
    [
      'TransferOwnership',
      { previousOwnerRole: 'owner' },
      'previousOwnerRole',
      'must be one of admin, developer, operator, billing, viewer',
    ],
    [
      'AllocateResource',
      { resource: 'users' },
      'resource',
      'must be one of products, devices, api_keys, webhooks',
    ],
    [
      'ReleaseResource',
      { quantity: '1' },
      'quantity',
      'must be a whole number',
    ],
    [
      'RecordDeploymentStarted',
      { deploymentId: ['dep-1'] },
      'deploymentId',
      'must be text',
    ],
    [
      'RecordDeploymentStopped',
      { deploymentId: '' },
      'deploymentId',
      'must have 1 to 128 characters',
    ],
    [
      'RecordBillingBalance',
      { outstandingCents: -1 },
      'outstandingCents',
      'must be at least 0',
    ],
    [
      'RecordBillingBalance',
      { currency: 'EURO' },
      'currency',
      'must have 1 to 3 characters',
    ],
    ['SuspendOrganization', { reason: false }, 'reason', 'must be text'],
    [
      'PlaceLegalHold',
      { caseReference: null },
      'caseReference',
      'must be text',
    ],
    [
      'ReleaseLegalHold',
      { caseReference: 42 },
      'caseReference',
      'must be text',
    ],
    [
      'RequestDeletion',
      { gracePeriodDays: 'seven' },
      'gracePeriodDays',
      'must be a whole number',
    ],
  ])('%s with %j: payload.%s %s', (type, change, field, problem) => {
    expect(problemsOf(withPayload(type, change))).toEqual([
      { field: `payload.${field}`, problem },
    ]);
  });

  it.each<[CommandType, string]>([
    ['CreateOrganization', 'name'],
    ['CreateOrganization', 'contactEmail'],
    ['SetResourceLimit', 'limit'],
    ['AddMember', 'role'],
    ['ChangeMemberRole', 'userId'],
    ['RemoveMember', 'userId'],
    ['TransferOwnership', 'newOwnerUserId'],
    ['AllocateResource', 'idempotencyKey'],
    ['ReleaseResource', 'quantity'],
    ['RecordDeploymentStarted', 'deploymentId'],
    ['RecordDeploymentStopped', 'deploymentId'],
    ['RecordBillingBalance', 'currency'],
    ['SuspendOrganization', 'reason'],
    ['PlaceLegalHold', 'reason'],
    ['ReleaseLegalHold', 'caseReference'],
  ])('%s without %s', (type, field) => {
    expect(problemsOf(without(type, field))).toEqual([
      { field: `payload.${field}`, problem: 'is required' },
    ]);
  });

  it.each<[CommandType, Record<string, unknown>]>([
    ['UpdateProfile', { description: null }],
    ['ChangeLabels', { environment: null, businessUnit: null, region: null }],
    ['ChangeBillingSettings', { billingEmail: null }],
    ['SetResourceLimit', { limit: 0 }],
    [
      'ChangeSecuritySettings',
      { apiKeyRotation: { maxAgeDays: 365, warnBeforeDays: 30 } },
    ],
  ])('%s accepts %j', (type, change) => {
    expect(validateCommandEnvelope(withPayload(type, change)).ok).toBe(true);
  });

  it('ChangeSecuritySettings accepts an empty payload: nothing changes', () => {
    const body = envelopeOf('ChangeSecuritySettings', {});

    expect(validateCommandEnvelope(body).ok).toBe(true);
  });

  it('lists every problem of a payload at once', () => {
    const body = envelopeOf('CreateOrganization', {
      name: 1,
      displayName: 'Acme',
      contactEmail: 'ops@acme.example',
      labels: { tier: 5 },
      extra: true,
    });

    expect(problemsOf(body)).toEqual(
      expect.arrayContaining([
        { field: 'payload.extra', problem: 'is not a known field' },
        { field: 'payload.name', problem: 'must be text' },
        { field: 'payload.ownerUserId', problem: 'is required' },
        { field: 'payload.labels', problem: 'value of "tier" must be text' },
      ]),
    );
    expect(problemsOf(body)).toHaveLength(4);
  });
});

describe('list and record caps', () => {
  it('refuses an IP allowlist of more than 1,000 entries', () => {
    const ipAllowlist = Array.from({ length: 1_001 }, () => '10.0.0.0/8');

    expect(
      problemsOf(withPayload('ChangeSecuritySettings', { ipAllowlist })),
    ).toEqual([
      {
        field: 'payload.ipAllowlist',
        problem: 'must hold at most 1000 items',
      },
    ]);
  });

  it('accepts 1,000 allowlist entries of 64 characters', () => {
    const entry = `${' '.repeat(54)}10.0.0.0/8`;
    const ipAllowlist = Array.from({ length: 1_000 }, () => entry);

    expect(
      validateCommandEnvelope(
        withPayload('ChangeSecuritySettings', { ipAllowlist }),
      ).ok,
    ).toBe(true);
  });

  it('refuses an allowlist entry of 65 characters', () => {
    const ipAllowlist = ['10.0.0.0/8', 'x'.repeat(65)];

    expect(
      problemsOf(withPayload('ChangeSecuritySettings', { ipAllowlist })),
    ).toEqual([
      {
        field: 'payload.ipAllowlist',
        problem: 'must hold only text of at most 64 characters',
      },
    ]);
  });

  it('refuses more than 10 usage alert thresholds', () => {
    const usageAlertThresholds = Array.from({ length: 11 }, (_, i) => i + 1);

    expect(
      problemsOf(
        withPayload('ChangeBillingSettings', { usageAlertThresholds }),
      ),
    ).toEqual([
      {
        field: 'payload.usageAlertThresholds',
        problem: 'must hold at most 10 items',
      },
    ]);
  });

  it('accepts 20 labels and refuses 21', () => {
    const labels = (count: number) =>
      Object.fromEntries(
        Array.from({ length: count }, (_, i) => [`key-${i}`, 'v']),
      );

    expect(
      validateCommandEnvelope(
        withPayload('ChangeLabels', { labels: labels(20) }),
      ).ok,
    ).toBe(true);
    expect(
      problemsOf(withPayload('ChangeLabels', { labels: labels(21) })),
    ).toEqual([
      {
        field: 'payload.labels',
        problem: 'must hold at most 20 entries, got 21',
      },
    ]);
  });

  it.each([
    ['an empty key', { '': 'v' }, 'key "" must have 1 to 63 characters'],
    [
      'a long value',
      { tier: 'v'.repeat(513) },
      'value of "tier" must have at most 512 characters',
    ],
  ])('refuses labels with %s', (_case, labels, problem) => {
    const body = withPayload('ChangeLabels', { labels });

    expect(problemsOf(body)).toEqual([{ field: 'payload.labels', problem }]);
  });
});

describe('the envelope', () => {
  it.each(COMMAND_TYPES.filter((type) => type !== 'CreateOrganization'))(
    '%s requires orgId',
    (type) => {
      const { orgId: _orgId, ...body } = envelopeOf(type);

      expect(problemsOf(body)).toEqual([
        { field: 'orgId', problem: `is required for ${type}` },
      ]);
    },
  );

  it('CreateOrganization refuses an orgId: the service chooses it', () => {
    const body = { ...envelopeOf('CreateOrganization'), orgId: ORG_ID };

    expect(problemsOf(body)).toEqual([
      {
        field: 'orgId',
        problem:
          'must be absent for CreateOrganization: the service chooses it',
      },
    ]);
  });

  it.each([
    ['orgId', 'acme'],
    ['orgId', null],
    ['commandId', '0192f6c4-1a2b-7c3d-8e4f'],
    ['commandId', 42],
  ])('refuses %s %j', (field, value) => {
    const body = { ...envelopeOf('CancelDeletion'), [field]: value };

    expect(problemsOf(body)).toEqual([{ field, problem: 'must be a UUID' }]);
  });

  it('requires commandId, type and payload', () => {
    expect(problemsOf({ orgId: ORG_ID })).toEqual([
      { field: 'commandId', problem: 'is required' },
      { field: 'type', problem: 'is required' },
      { field: 'payload', problem: 'is required' },
    ]);
  });

  it('refuses an unknown type with one problem that lists the types', () => {
    const body = { ...envelopeOf('CancelDeletion'), type: 'DropDatabase' };

    const problems = problemsOf(body);

    expect(problems).toEqual([
      { field: 'type', problem: UNKNOWN_TYPE_PROBLEM },
    ]);
    for (const type of COMMAND_TYPES) {
      expect(problems[0]?.problem).toContain(type);
    }
  });

  it('checks an orgId given with an unknown type, and nothing else', () => {
    const body = { commandId: COMMAND_ID, type: 'x', orgId: 'y', payload: {} };

    expect(problemsOf(body)).toEqual([
      { field: 'type', problem: UNKNOWN_TYPE_PROBLEM },
      { field: 'orgId', problem: 'must be a UUID' },
    ]);
  });

  it.each([
    ['expectedRevision', -1, 'must be at least 0'],
    ['expectedRevision', 1.5, 'must be a whole number'],
    ['expectedRevision', '7', 'must be a whole number'],
    ['expectedRevision', null, 'must be a whole number'],
    ['reference', '', 'must have 1 to 128 characters'],
    ['reference', 'r'.repeat(129), 'must have 1 to 128 characters'],
    ['reference', 4821, 'must be text'],
    [
      'correlationId',
      'has space',
      'must be visible ASCII characters without spaces',
    ],
    ['correlationId', 'äöü', 'must be visible ASCII characters without spaces'],
    ['correlationId', '', 'must have 1 to 128 characters'],
    ['payload', [], 'must be an object'],
    ['payload', null, 'must be an object'],
    ['payload', 'x', 'must be an object'],
    ['actor', { type: 'support' }, 'is not a known field'],
  ])('refuses %s %j', (field, value, problem) => {
    const body = { ...envelopeOf('CancelDeletion'), [field]: value };

    expect(problemsOf(body)).toEqual([{ field, problem }]);
  });

  it('echoes a valid commandId in the refusal, or null', () => {
    const refusedWith = (body: Record<string, unknown>) =>
      (validateCommandEnvelope(body) as EnvelopeValidation & { ok: false })
        .commandId;

    expect(refusedWith({ ...envelopeOf('CancelDeletion'), type: 'x' })).toBe(
      COMMAND_ID,
    );
    expect(refusedWith({ commandId: 'x' })).toBeNull();
  });
});

describe('hostile input', () => {
  it.each([
    ['null', null],
    ['undefined', undefined],
    ['an array', []],
    ['a string', 'x'],
    ['a number', 42],
    ['a boolean', true],
    ['a 1 MB string', ONE_MEGABYTE],
    ['a Date', new Date(0)],
    ['a Map', new Map([['commandId', COMMAND_ID]])],
  ])('%s is refused as a whole', (_case, body) => {
    expect(validateCommandEnvelope(body)).toEqual({
      ok: false,
      problems: [
        { field: '', problem: 'the command envelope must be a JSON object' },
      ],
      commandId: null,
    });
  });

  it.each([
    ['in the payload', (deep: unknown) => envelopeOf('ChangeLabels', deep)],
    [
      'in a payload field',
      (deep: unknown) => withPayload('ChangeLabels', { labels: deep }),
    ],
    [
      'in an unknown field',
      (deep: unknown) => ({ ...envelopeOf('CancelDeletion'), x: deep }),
    ],
  ])('objects nested 10,000 deep %s are refused', (_case, place) => {
    const problems = problemsOf(place(nested(10_000)));

    expect(problems).toHaveLength(1);
    expect(problems[0]?.problem).toBe('nests deeper than 8 levels');
  });

  it('arrays nested 10,000 deep are refused', () => {
    let deep: unknown = [];
    for (let level = 0; level < 10_000; level++) deep = [deep];

    const body = withPayload('ChangeSecuritySettings', { ipAllowlist: deep });

    expect(problemsOf(body)).toEqual([
      expect.objectContaining({ problem: 'nests deeper than 8 levels' }),
    ]);
  });

  it.each([
    [
      'the envelope',
      '{"__proto__": {"polluted": true}, "type": "CancelDeletion"}',
      '__proto__',
    ],
    [
      'the payload',
      `{"payload": {"__proto__": {"polluted": true}}}`,
      'payload.__proto__',
    ],
    [
      'labels',
      `{"payload": {"labels": {"__proto__": "x"}}}`,
      'payload.labels.__proto__',
    ],
    [
      'labels',
      `{"payload": {"labels": {"constructor": "x"}}}`,
      'payload.labels.constructor',
    ],
    [
      'the payload',
      `{"payload": {"constructor": {"prototype": {}}}}`,
      'payload.constructor',
    ],
  ])('a reserved key in %s is refused: %s', (_place, json, field) => {
    const body: unknown = JSON.parse(json);

    expect(problemsOf(body)).toEqual([
      { field, problem: 'is a reserved name' },
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each([
    ['type', { type: ONE_MEGABYTE }, 'type', UNKNOWN_TYPE_PROBLEM],
    ['commandId', { commandId: ONE_MEGABYTE }, 'commandId', 'must be a UUID'],
    [
      'correlationId',
      { correlationId: ONE_MEGABYTE },
      'correlationId',
      'must have 1 to 128 characters',
    ],
    [
      'an unknown field name',
      { [ONE_MEGABYTE]: 1 },
      `${'x'.repeat(64)}…`,
      'is not a known field',
    ],
  ])('a 1 MB string as %s is refused', (_case, change, field, problem) => {
    const body = { ...envelopeOf('CancelDeletion'), ...change };

    expect(problemsOf(body)).toEqual([{ field, problem }]);
  });

  it.each([
    ['a name', { name: ONE_MEGABYTE }, 'name', 'must have 1 to 63 characters'],
    [
      'a label value',
      { labels: { tier: ONE_MEGABYTE } },
      'labels',
      'value of "tier" must have at most 512 characters',
    ],
    [
      'a label key',
      { labels: { [ONE_MEGABYTE]: 'v' } },
      'labels',
      `key ${JSON.stringify(`${'x'.repeat(40)}…`)} must have 1 to 63 characters`,
    ],
  ])('a 1 MB string as %s is refused', (_case, change, field, problem) => {
    const body = withPayload('CreateOrganization', change);

    expect(problemsOf(body)).toEqual([{ field: `payload.${field}`, problem }]);
  });

  it('a list of 100,000 entries is refused before it is walked', () => {
    const ipAllowlist = new Array<string>(100_000).fill('10.0.0.0/8');

    expect(
      problemsOf(withPayload('ChangeSecuritySettings', { ipAllowlist })),
    ).toEqual([{ field: '', problem: 'holds more than 10000 values' }]);
  });

  it.each([
    ['NaN', Number.NaN, 'must be a finite number'],
    ['Infinity', Number.POSITIVE_INFINITY, 'must be a finite number'],
    ['a bigint', 1n, 'must be plain JSON data'],
    ['a function', () => 1, 'must be plain JSON data'],
    ['a Date', new Date(0), 'must be plain JSON data'],
  ])('a non-JSON value (%s) is refused', (_case, value, problem) => {
    const body = withPayload('RecordBillingBalance', {
      outstandingCents: value,
    });

    expect(problemsOf(body)).toEqual([
      { field: 'payload.outstandingCents', problem },
    ]);
  });

  it('never throws on any JSON value as the envelope', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (body) => {
        expect(validateCommandEnvelope(body).ok).toBe(false);
      }),
    );
  });

  it('never throws on any JSON value as the payload of any command', () => {
    const type = fc.constantFrom(...COMMAND_TYPES);
    fc.assert(
      fc.property(type, fc.jsonValue(), (commandType, payload) => {
        const result = validateCommandEnvelope(
          envelopeOf(commandType, payload),
        );
        expect(typeof result.ok).toBe('boolean');
      }),
    );
  });

  it('never throws on any JSON value in any payload field', () => {
    const type = fc.constantFrom(...COMMAND_TYPES);
    fc.assert(
      fc.property(
        type,
        fc.string(),
        fc.jsonValue(),
        (commandType, key, value) => {
          const fields = Object.keys(VALID_PAYLOADS[commandType]);
          const field = fields[key.length % Math.max(fields.length, 1)] ?? key;
          const body = withPayload(commandType, { [field]: value });
          expect(typeof validateCommandEnvelope(body).ok).toBe('boolean');
        },
      ),
    );
  });
});
