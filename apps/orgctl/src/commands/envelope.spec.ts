import { describe, expect, it } from '@jest/globals';

import { UsageError } from '../cli/errors.js';
import { buildEnvelope } from './envelope.js';
import { payloadFields } from './schema-fields.js';

const COMMAND_ID = '0192f6c4-1a2b-7c3d-8e4f-5a6b7c8d9e0f';
const ORG_ID = '0192f6c3-0000-7000-8000-000000000001';

describe('buildEnvelope', () => {
  const fields = payloadFields('ChangeSecuritySettings');

  it('puts the envelope flags and payload fields where the contract wants them', () => {
    const envelope = buildEnvelope(
      'ChangeSecuritySettings',
      fields,
      {
        org: ORG_ID,
        ref: 'SUP-1',
        expectedRevision: 4,
        correlationId: 'call-7',
        twoFactorRequired: true,
        sessionTimeoutMinutes: 60,
      },
      COMMAND_ID,
    );

    expect(envelope).toEqual({
      commandId: COMMAND_ID,
      type: 'ChangeSecuritySettings',
      orgId: ORG_ID,
      expectedRevision: 4,
      reference: 'SUP-1',
      correlationId: 'call-7',
      payload: { twoFactorRequired: true, sessionTimeoutMinutes: 60 },
    });
  });

  it('lets flags override the fields of --payload', () => {
    const envelope = buildEnvelope(
      'ChangeSecuritySettings',
      fields,
      {
        org: ORG_ID,
        payload: { twoFactorRequired: true, ipAllowlist: ['10.0.0.0/8'] },
        twoFactorRequired: false,
      },
      COMMAND_ID,
    );

    expect(envelope.payload).toEqual({
      twoFactorRequired: false,
      ipAllowlist: ['10.0.0.0/8'],
    });
  });

  it('sends null for a nullable field cleared with --no-', () => {
    const envelope = buildEnvelope(
      'SetResourceLimit',
      payloadFields('SetResourceLimit'),
      { org: ORG_ID, resource: 'devices', limit: false },
      COMMAND_ID,
    );

    expect(envelope.payload).toEqual({ resource: 'devices', limit: null });
  });

  it('refuses an invalid command before sending, naming the flags to fix', () => {
    const build = () =>
      buildEnvelope(
        'AddMember',
        payloadFields('AddMember'),
        { org: 'not-an-id', role: 'admin', payload: { colour: 'red' } },
        COMMAND_ID,
      );

    expect(build).toThrow(UsageError);
    expect(build).toThrow(
      'the command is not valid:\n' +
        '  --org: must be a UUID\n' +
        '  --payload field colour: is not a known field\n' +
        '  --user-id: is required',
    );
  });

  it('names the part of a nested field that is wrong', () => {
    const build = () =>
      buildEnvelope(
        'ChangeSecuritySettings',
        fields,
        { org: ORG_ID, apiKeyRotation: { maxAgeDays: 30 } },
        COMMAND_ID,
      );

    expect(build).toThrow('--api-key-rotation (warnBeforeDays): is required');
  });
});
