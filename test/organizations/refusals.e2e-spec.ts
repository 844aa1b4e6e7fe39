import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { AppHarness, type HttpReply } from '../support/app-harness.js';
import {
  createOrganization,
  envelope,
  uniqueName,
} from '../support/envelopes.js';

describe('refusals over HTTP: clear 4xx problem documents, and no event stored', () => {
  let app: AppHarness;
  let orgId: string;
  let otherOrgId: string;

  const send = (
    token: string | null,
    type: string,
    payload: Record<string, unknown>,
    extra = {},
  ) =>
    app.command(
      token,
      envelope(type, payload, { orgId, reference: 'SUP-3', ...extra }),
    );

  beforeAll(async () => {
    app = await AppHarness.start();
    orgId = (
      await app.accepted(app.tokens.support, createOrganization(uniqueName()))
    ).orgId as string;
    otherOrgId = (
      await app.accepted(app.tokens.support, createOrganization(uniqueName()))
    ).orgId as string;
  });

  afterAll(async () => {
    await app.stop();
  });

  async function refusedWithoutEvents(
    send: () => Promise<HttpReply>,
  ): Promise<HttpReply> {
    const before = app.eventCount();
    const reply = await send();
    expect(reply.status).toBeGreaterThanOrEqual(400);
    expect(reply.status).toBeLessThan(500);
    expect(reply.headers.get('content-type')).toContain(
      'application/problem+json',
    );
    expect(app.eventCount()).toBe(before);
    return reply;
  }

  it.each([
    ['no token', null],
    ['an unknown token', 'not-a-token'],
  ])(
    'refuses a request with %s as UNAUTHENTICATED (401)',
    async (_case, token) => {
      const reply = await refusedWithoutEvents(() =>
        send(token, 'UpdateProfile', { displayName: 'X' }),
      );
      expect(reply).toMatchObject({
        status: 401,
        body: { code: 'UNAUTHENTICATED' },
      });
    },
  );

  it('refuses a forbidden command as FORBIDDEN (403)', async () => {
    const reply = await refusedWithoutEvents(() =>
      send(app.tokens.service, 'AddMember', { userId: 'u-1', role: 'viewer' }),
    );
    expect(reply).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
  });

  it('answers a user of another organization as if the organization did not exist', async () => {
    const stranger = app.tokens.user(otherOrgId, 'owner-1');
    const existing = await refusedWithoutEvents(() =>
      send(stranger, 'UpdateProfile', { displayName: 'Mine now' }),
    );
    const missingId = '0193a1b2-c3d4-7e5f-8a6b-000000000009';
    const missing = await refusedWithoutEvents(() =>
      send(
        stranger,
        'UpdateProfile',
        { displayName: 'Mine now' },
        { orgId: missingId },
      ),
    );
    expect(existing).toMatchObject({
      status: 404,
      body: { code: 'NOT_FOUND' },
    });
    expect(missing).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
    expect((await app.get(stranger, `/v1/organizations/${orgId}`)).status).toBe(
      404,
    );
  });

  it('reaches NAME_TAKEN, also for a name differing only in case (409)', async () => {
    const name = uniqueName('taken');
    await app.accepted(app.tokens.support, createOrganization(name));
    const reply = await refusedWithoutEvents(() =>
      app.command(app.tokens.support, createOrganization(name.toUpperCase())),
    );
    expect(reply).toMatchObject({ status: 409, body: { code: 'NAME_TAKEN' } });
  });

  it('reaches CONFLICT with a stale expectedRevision (409)', async () => {
    const reply = await refusedWithoutEvents(() =>
      send(
        app.tokens.support,
        'UpdateProfile',
        { displayName: 'Y' },
        { expectedRevision: 99 },
      ),
    );
    expect(reply).toMatchObject({ status: 409, body: { code: 'CONFLICT' } });
  });

  it('reaches INVALID_STATE, LIMIT_EXCEEDED and PRECONDITIONS_UNMET', async () => {
    const invalid = await refusedWithoutEvents(() =>
      send(app.tokens.support, 'CancelDeletion', {}),
    );
    expect(invalid).toMatchObject({
      status: 409,
      body: { code: 'INVALID_STATE' },
    });
    const limit = await refusedWithoutEvents(() =>
      send(app.tokens.service, 'AllocateResource', {
        resource: 'webhooks',
        quantity: 26,
        idempotencyKey: 'too-many',
      }),
    );
    expect(limit).toMatchObject({
      status: 422,
      body: {
        code: 'LIMIT_EXCEEDED',
        details: { limit: 25, usage: 0, requested: 26 },
      },
    });
    await app.accepted(
      app.tokens.support,
      envelope(
        'AddMember',
        { userId: 'u-7', role: 'viewer' },
        { orgId, reference: 'SUP-3' },
      ),
    );
    const unmet = await refusedWithoutEvents(() =>
      send(app.tokens.support, 'RequestDeletion', {}),
    );
    expect(unmet).toMatchObject({
      status: 422,
      body: { code: 'PRECONDITIONS_UNMET' },
    });
  });

  it('reaches IDEMPOTENCY_MISMATCH for a command id reused with another payload', async () => {
    const first = envelope(
      'UpdateProfile',
      { displayName: 'First' },
      { orgId, reference: 'S-1' },
    );
    await app.accepted(app.tokens.support, first);
    const reply = await refusedWithoutEvents(() =>
      app.command(app.tokens.support, {
        ...first,
        payload: { displayName: 'Second' },
      }),
    );
    expect(reply).toMatchObject({
      status: 409,
      body: { code: 'IDEMPOTENCY_MISMATCH' },
    });
  });

  it('refuses malformed JSON as VALIDATION_FAILED (400)', async () => {
    const reply = await refusedWithoutEvents(() =>
      app.request('POST', '/v1/commands', app.tokens.support, '{"commandId": '),
    );
    expect(reply).toMatchObject({
      status: 400,
      body: { code: 'VALIDATION_FAILED' },
    });
  });

  it('refuses an unknown command type, naming the known ones', async () => {
    const reply = await refusedWithoutEvents(() =>
      send(app.tokens.support, 'DropOrganization', {}),
    );
    expect(reply).toMatchObject({
      status: 400,
      body: { code: 'VALIDATION_FAILED' },
    });
    expect(JSON.stringify(reply.body)).toContain('CreateOrganization');
  });

  it('refuses wrong field types, naming the field', async () => {
    const reply = await refusedWithoutEvents(() =>
      send(app.tokens.support, 'ChangeSecuritySettings', {
        sessionTimeoutMinutes: 'long',
      }),
    );
    expect(reply).toMatchObject({
      status: 400,
      body: { code: 'VALIDATION_FAILED' },
    });
    expect(JSON.stringify(reply.body)).toContain(
      'payload.sessionTimeoutMinutes',
    );
  });

  it('refuses a domain rule breach such as an invalid CIDR range', async () => {
    const reply = await refusedWithoutEvents(() =>
      send(app.tokens.support, 'ChangeSecuritySettings', {
        ipAllowlist: ['10.0.0.0/33'],
      }),
    );
    expect(reply).toMatchObject({
      status: 400,
      body: { code: 'VALIDATION_FAILED' },
    });
  });

  it('refuses an oversize body with 413', async () => {
    const huge = JSON.stringify(
      envelope(
        'UpdateProfile',
        { description: 'x'.repeat(100_000) },
        { orgId },
      ),
    );
    const reply = await refusedWithoutEvents(() =>
      app.request('POST', '/v1/commands', app.tokens.support, huge),
    );
    expect(reply).toMatchObject({
      status: 413,
      body: { code: 'VALIDATION_FAILED' },
    });
  });

  it('refuses a body sent as something other than JSON', async () => {
    const reply = await refusedWithoutEvents(() =>
      app.request(
        'POST',
        '/v1/commands',
        app.tokens.support,
        'a=b',
        'text/plain',
      ),
    );
    expect(reply).toMatchObject({
      status: 400,
      body: { code: 'VALIDATION_FAILED' },
    });
  });

  it('carries a correlation id in every problem document', async () => {
    const reply = await send(null, 'UpdateProfile', {});
    expect(reply.body.correlationId).toEqual(
      reply.headers.get('x-correlation-id'),
    );
  });
});
