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

  it('answer 503 with a correlation id and nothing of their cause when the store is gone', async () => {
    const reply = await app.command(
      app.tokens.support,
      createOrganization(uniqueName()),
    );

    expect(reply.status).toBe(503);
    expect(reply.body).toEqual({
      type: 'urn:organizations:problem:unavailable',
      title: 'unavailable',
      status: 503,
      code: 'UNAVAILABLE',
      detail: 'a store or read model is not ready; try again shortly',
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
