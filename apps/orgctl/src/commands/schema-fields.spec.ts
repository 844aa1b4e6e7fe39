import { describe, expect, it } from '@jest/globals';
import { COMMAND_TYPES } from '@org/contracts';

import { payloadOptions } from './domain-commands.js';
import { optionsFor } from './field-options.js';
import { payloadFields } from './schema-fields.js';

describe('payloadFields', () => {
  it('types each field of a payload as its JSON Schema says', () => {
    expect(payloadFields('ChangeSecuritySettings')).toEqual([
      {
        property: 'twoFactorRequired',
        flag: 'two-factor-required',
        type: { kind: 'boolean' },
        required: false,
        nullable: false,
        description: undefined,
      },
      expect.objectContaining({
        flag: 'ip-allowlist',
        type: { kind: 'list', item: { kind: 'text', max: 64 }, max: 1000 },
      }),
      expect.objectContaining({
        flag: 'session-timeout-minutes',
        type: { kind: 'integer' },
      }),
      expect.objectContaining({
        flag: 'api-key-rotation',
        type: {
          kind: 'object',
          fields: {
            maxAgeDays: { type: { kind: 'integer' }, nullable: true },
            warnBeforeDays: { type: { kind: 'integer' }, nullable: false },
          },
        },
      }),
    ]);
  });

  it('marks required, nullable, enum and record fields', () => {
    const fields = payloadFields('SetResourceLimit');
    expect(fields).toEqual([
      expect.objectContaining({
        flag: 'resource',
        required: true,
        type: {
          kind: 'enum',
          choices: ['products', 'devices', 'users', 'api_keys', 'webhooks'],
        },
      }),
      expect.objectContaining({
        flag: 'limit',
        required: true,
        nullable: true,
      }),
    ]);
    expect(
      payloadFields('CreateOrganization').find((f) => f.flag === 'labels'),
    ).toMatchObject({ type: { kind: 'record', max: 20 }, required: false });
  });

  it('gives a payload without fields no flags', () => {
    expect(payloadFields('CancelDeletion')).toEqual([]);
  });

  it.each(COMMAND_TYPES)(
    'gives every field of %s a flag that commander stores under its name',
    (type) => {
      const fields = payloadFields(type);
      const options = payloadOptions(type, fields);
      const stored = new Set(options.map((option) => option.attributeName()));

      expect([...stored].sort()).toEqual(
        fields.map((field) => field.property).sort(),
      );
    },
  );
});

describe('optionsFor', () => {
  it('pairs a boolean with its --no- flag', () => {
    const [field] = payloadFields('ChangeSecuritySettings');
    const flags = optionsFor(field!).map((option) => option.flags);

    expect(flags).toEqual([
      '--two-factor-required',
      '--no-two-factor-required',
    ]);
  });

  it('lets a nullable field be cleared with --no-', () => {
    const limit = payloadFields('SetResourceLimit')[1]!;
    const [value, clear] = optionsFor(limit);

    expect(value?.flags).toBe('--limit <n>');
    expect(value?.description).toContain('required');
    expect(clear?.flags).toBe('--no-limit');
  });

  it('shows the choices of an enum in the help', () => {
    const role = payloadFields('AddMember')[1]!;
    const [option] = optionsFor(role);

    expect(option?.argChoices).toEqual([
      'admin',
      'developer',
      'operator',
      'billing',
      'viewer',
    ]);
  });
});
