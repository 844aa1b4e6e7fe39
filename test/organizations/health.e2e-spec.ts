import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { AppHarness } from '../support/app-harness.js';
import { createOrganization, uniqueName } from '../support/envelopes.js';

describe('operations endpoints', () => {
  let app: AppHarness;

  beforeAll(async () => {
    app = await AppHarness.start();
  });

  afterAll(async () => {
    await app.stop();
  });

  it('answers liveness without touching the store', async () => {
    expect(await app.get(null, '/health/live')).toMatchObject({
      status: 200,
      body: { status: 'ok' },
    });
  });

  it('answers readiness with the event store reachable', async () => {
    for (const path of ['/health', '/health/ready']) {
      expect(await app.get(null, path)).toMatchObject({
        status: 200,
        body: { status: 'ok', checks: { eventStore: 'up' } },
      });
    }
  });

  it('exposes Prometheus metrics of commands by type and outcome, with latencies', async () => {
    await app.accepted(app.tokens.support, createOrganization(uniqueName()));
    const response = await fetch(`${app.baseUrl}/metrics`);
    const text = await response.text();

    expect(response.headers.get('content-type')).toContain('text/plain');
    expect(text).toMatch(
      /organizations_commands_total\{type="CreateOrganization",outcome="accepted",code=""\} 1/,
    );
    expect(text).toContain('organizations_command_duration_seconds_bucket');
    expect(text).toContain('organizations_command_conflicts_total');
    expect(text).toContain('organizations_command_retries_total');
  });

  it('serves the OpenAPI document with the command envelope schema', async () => {
    const reply = await app.get(null, '/docs/openapi.json');
    expect(reply.status).toBe(200);
    const paths = reply.body.paths as Record<string, unknown>;
    expect(Object.keys(paths)).toEqual(
      expect.arrayContaining(['/v1/commands', '/v1/organizations/{id}']),
    );
    const components = reply.body.components as {
      schemas: Record<string, unknown>;
    };
    expect(components.schemas).toHaveProperty('CommandEnvelope');
  });

  it('serves the OpenAPI browser, made on the first request to /docs', async () => {
    const page = await fetch(`${app.baseUrl}/docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('swagger-ui');
    const init = await fetch(`${app.baseUrl}/docs/swagger-ui-init.js`);
    expect(await init.text()).toContain('CommandEnvelope');
  });

  it('names the correlation id of every response, keeping a valid one given', async () => {
    const response = await fetch(`${app.baseUrl}/health`, {
      headers: { 'x-correlation-id': 'trace-42' },
    });
    expect(response.headers.get('x-correlation-id')).toBe('trace-42');
  });
});
