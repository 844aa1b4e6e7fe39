import { describe, expect, it } from '@jest/globals';

import { COMMAND_TYPES } from '../command-types.js';
import { commandJsonSchemas } from './json-schemas.js';

describe('commandJsonSchemas', () => {
  const schemas = commandJsonSchemas();

  it('has one schema per payload, plus the envelope and ApiKeyRotation', () => {
    const payloadNames = COMMAND_TYPES.map((type) => `${type}Payload`);

    expect(Object.keys(schemas).sort()).toEqual(
      [...payloadNames, 'CommandEnvelope', 'ApiKeyRotation'].sort(),
    );
  });

  it('refuses unknown properties in every schema, as validation does', () => {
    for (const schema of Object.values(schemas)) {
      expect(schema).toMatchObject({
        type: 'object',
        additionalProperties: false,
      });
    }
  });

  it('describes the envelope', () => {
    expect(schemas.CommandEnvelope).toMatchObject({
      required: ['commandId', 'type', 'payload'],
      properties: {
        commandId: { type: 'string', format: 'uuid' },
        type: { type: 'string', enum: [...COMMAND_TYPES] },
        orgId: { type: 'string', format: 'uuid' },
        expectedRevision: { type: 'integer', minimum: 0 },
        correlationId: { type: 'string', maxLength: 128 },
        payload: { type: 'object' },
      },
    });
  });

  it('marks required and nullable fields', () => {
    expect(schemas.SetResourceLimitPayload).toMatchObject({
      required: ['resource', 'limit'],
      properties: { limit: { type: 'integer', nullable: true } },
    });
    expect(schemas.ChangeBillingSettingsPayload).toMatchObject({
      properties: {
        billingEmail: { type: 'string', format: 'email', nullable: true },
      },
    });
    expect(schemas.ChangeBillingSettingsPayload).not.toHaveProperty('required');
  });

  it('describes lists, records and closed value sets', () => {
    expect(schemas.ChangeSecuritySettingsPayload).toMatchObject({
      properties: {
        ipAllowlist: {
          type: 'array',
          maxItems: 1_000,
          items: { type: 'string', maxLength: 64 },
        },
      },
    });
    expect(schemas.CreateOrganizationPayload).toMatchObject({
      properties: {
        labels: {
          type: 'object',
          maxProperties: 20,
          additionalProperties: { type: 'string', maxLength: 512 },
        },
      },
    });
    expect(schemas.AllocateResourcePayload).toMatchObject({
      properties: {
        resource: { enum: ['products', 'devices', 'api_keys', 'webhooks'] },
      },
    });
  });

  it('points references at the given prefix', () => {
    const openApi = commandJsonSchemas({
      refPointerPrefix: '#/components/schemas/',
    });

    expect(openApi.ChangeSecuritySettingsPayload).toMatchObject({
      properties: {
        apiKeyRotation: { $ref: '#/components/schemas/ApiKeyRotation' },
      },
    });
    expect(openApi.ApiKeyRotation).toMatchObject({
      required: ['maxAgeDays', 'warnBeforeDays'],
    });
  });

  it('describes the payloads without fields as empty objects', () => {
    expect(schemas.CancelDeletionPayload).toEqual({
      type: 'object',
      properties: {},
      additionalProperties: false,
      description: 'Takes no fields: send an empty object.',
    });
  });
});
