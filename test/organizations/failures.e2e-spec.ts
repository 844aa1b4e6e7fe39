import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { AppHarness } from '../support/app-harness.js';
import { createOrganization, uniqueName } from '../support/envelopes.js';

describe('unexpected failures', () => {
  let app: AppHarness;

  beforeAll(async () => {
    app = await AppHarness.start();
    await app.breakEventStore();
  });

  afterAll(async () => {
    await app.stop();
  });

  it('answer 500 with a correlation id and nothing of their cause', async () => {
    const reply = await app.command(
      app.tokens.support,
      createOrganization(uniqueName()),
    );

    expect(reply.status).toBe(500);
    expect(reply.body).toEqual({
      type: 'urn:organizations:problem:internal',
      title: 'internal',
      status: 500,
      code: 'INTERNAL',
      detail: 'the service failed; quote the correlation id to support',
      correlationId: reply.headers.get('x-correlation-id'),
    });
  });

  it('turn readiness to 503 while liveness stays up', async () => {
    expect(await app.get(null, '/health/ready')).toMatchObject({
      status: 503,
      body: { status: 'unavailable', checks: { eventStore: 'down' } },
    });
    expect((await app.get(null, '/health/live')).status).toBe(200);
  });
});
