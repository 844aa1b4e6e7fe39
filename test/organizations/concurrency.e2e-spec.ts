import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { AppHarness } from '../support/app-harness.js';
import {
  createOrganization,
  envelope,
  uniqueName,
} from '../support/envelopes.js';

describe('concurrent commands to one organization', () => {
  let app: AppHarness;
  let orgId: string;

  beforeAll(async () => {
    app = await AppHarness.start();
    orgId = (
      await app.accepted(app.tokens.support, createOrganization(uniqueName()))
    ).orgId as string;
  });

  afterAll(async () => {
    await app.stop();
  });

  it('accepts 50 parallel commands without expectedRevision and loses none', async () => {
    const allocations = Array.from({ length: 50 }, (_, i) =>
      envelope(
        'AllocateResource',
        { resource: 'devices', quantity: 1, idempotencyKey: `parallel-${i}` },
        { orgId },
      ),
    );
    const replies = await Promise.all(
      allocations.map((e) => app.command(app.tokens.service, e)),
    );

    expect(replies.map((r) => r.status)).toEqual(Array(50).fill(200));
    const revisions = replies
      .map((r) => r.body.revision as number)
      .sort((a, b) => a - b);
    expect(new Set(revisions).size).toBe(50);
    const { body } = await app.get(
      app.tokens.support,
      `/v1/organizations/${orgId}`,
    );
    expect(body).toMatchObject({
      revision: 50,
      state: { usage: { devices: 50 } },
    });
  });

  it('keeps every command of two replicas racing on one organization, retrying conflicts', async () => {
    const replica = await app.replica({ COMMAND_RETRIES: '100' });
    try {
      const started = (i: number) =>
        envelope(
          'RecordDeploymentStarted',
          { deploymentId: `replicated-${i}` },
          { orgId },
        );
      const replies = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          (i % 2 === 0 ? app : replica).command(app.tokens.service, started(i)),
        ),
      );
      expect(replies.map((r) => r.status)).toEqual(Array(40).fill(200));
      const { body } = await app.get(
        app.tokens.support,
        `/v1/organizations/${orgId}`,
      );
      const state = body.state as { activeDeployments: string[] };
      expect(state.activeDeployments).toHaveLength(40);
      const retries = await Promise.all([app, replica].map(retriesOf));
      expect(retries[0]! + retries[1]!).toBeGreaterThan(0);
    } finally {
      await replica.close();
    }
  });

  it('refuses a command decided on a stale revision with CONFLICT', async () => {
    const { body } = await app.get(
      app.tokens.support,
      `/v1/organizations/${orgId}`,
    );
    const revision = body.revision as number;
    const change = (displayName: string) =>
      envelope(
        'UpdateProfile',
        { displayName },
        { orgId, reference: 'SUP-9', expectedRevision: revision },
      );

    const first = await app.command(app.tokens.support, change('First writer'));
    const second = await app.command(
      app.tokens.support,
      change('Second writer'),
    );

    expect(first).toMatchObject({
      status: 200,
      body: { revision: revision + 1 },
    });
    expect(second).toMatchObject({
      status: 409,
      body: {
        code: 'CONFLICT',
        details: { expectedRevision: revision, actualRevision: revision + 1 },
      },
    });
  });
});

async function retriesOf(app: AppHarness): Promise<number> {
  const metrics = await (await fetch(`${app.baseUrl}/metrics`)).text();
  const match = /^organizations_command_retries_total (\d+)/m.exec(metrics);
  return Number(match?.[1] ?? 0);
}
