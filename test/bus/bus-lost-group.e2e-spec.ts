import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { busStreams } from '@org/bus';

import type { AppHarness } from '../support/app-harness.js';
import { createOrganization, uniqueName } from '../support/envelopes.js';
import { BusFixture } from './bus-fixture.js';

describe('the bus after Redis lost its data (real Redis)', () => {
  let bus: BusFixture;
  let app: AppHarness;
  let orgId: string;

  beforeAll(async () => {
    bus = await BusFixture.start();
    app = await bus.app({ BUS_CONSUMER: 'replica-a' });
    orgId = (
      await app.accepted(app.tokens.support, createOrganization(uniqueName()))
    ).orgId as string;
  });

  afterAll(async () => {
    await bus.stop();
  });

  it('creates the consumer group again and goes on answering commands', async () => {
    const client = bus.client({ timeoutMs: 1000, retries: 10 });
    const before = await client.command(
      'AllocateResource',
      { resource: 'devices', quantity: 1, idempotencyKey: 'before-loss' },
      { orgId },
    );

    // What a Redis that restarted without persistence has: no stream, no group.
    await bus.raw.del(busStreams(bus.prefix).commands);
    const reply = await client.command(
      'AllocateResource',
      { resource: 'devices', quantity: 1, idempotencyKey: 'after-loss' },
      { orgId },
    );

    expect(reply).toMatchObject({
      status: 'accepted',
      revision: before.revision + 1,
    });
    const groups = (await bus.raw.xinfo(
      'GROUPS',
      busStreams(bus.prefix).commands,
    )) as unknown[];
    expect(groups).toHaveLength(1);
  }, 20_000);
});
