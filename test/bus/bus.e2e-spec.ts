import { randomUUID } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  busStreams,
  CommandRefusedError,
  fieldsOf,
  flatten,
  sign,
} from '@org/bus';

import type { AppHarness } from '../support/app-harness.js';
import { createOrganization, uniqueName } from '../support/envelopes.js';
import { waitFor } from '../support/wait-for.js';
import { BusFixture, KEY_ID } from './bus-fixture.js';

describe('commands and queries over the Redis Streams bus (real Redis)', () => {
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

  it('runs a signed command from another service and answers a state query', async () => {
    const client = bus.client();
    const reply = await client.command(
      'AllocateResource',
      { resource: 'devices', quantity: 2, idempotencyKey: 'bus-1' },
      { orgId },
    );
    expect(reply).toMatchObject({
      status: 'accepted',
      orgId,
      events: [{ type: 'ResourceAllocated' }],
    });
    const view = (await client.organization(orgId)) as {
      state: { usage: { devices: number } };
    };
    expect(view.state.usage.devices).toBe(2);
  });

  it('deletes an answered request from the commands stream, payload and all', async () => {
    const key = `bus-gone-${randomUUID()}`;
    await bus
      .client()
      .command(
        'AllocateResource',
        { resource: 'devices', quantity: 1, idempotencyKey: key },
        { orgId },
      );
    const left = await bus.raw.xrange(
      busStreams(bus.prefix).commands,
      '-',
      '+',
    );
    expect(JSON.stringify(left)).not.toContain(key);
  });

  it('carries state-at and audit queries too, authorized as over HTTP', async () => {
    const client = bus.client();
    const past = await client
      .organizationAt(orgId, { revision: 0 })
      .catch((error: unknown) => error);
    const audit = await client
      .audit({ orgId })
      .catch((error: unknown) => error);
    // A service reports usage and reads current state; history is not its.
    expect(past).toMatchObject({ code: 'FORBIDDEN' });
    expect(audit).toMatchObject({ code: 'FORBIDDEN' });
    const bad = await client
      .audit({ order: 'sideways' as never })
      .catch((error: unknown) => error);
    expect(bad).toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('throws typed refusals with their codes', async () => {
    const refusal = await bus
      .client()
      .command('AddMember', { userId: 'u-1', role: 'viewer' }, { orgId })
      .catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(CommandRefusedError);
    expect(refusal).toMatchObject({ code: 'FORBIDDEN' });
  });

  it.each([
    ['unsigned', { keyId: '', signature: '' }],
    ['bad_signature', { signature: 'ab'.repeat(32) }],
    ['unknown_key', { keyId: 'stolen-1' }],
    ['stale', {}],
  ])(
    'refuses a %s envelope with a reply, counts it and stores nothing',
    async (reason, forged) => {
      const age = reason === 'stale' ? 3_600_000 : 0;
      const streams = busStreams(bus.prefix);
      const replyTo = streams.replies(`forger-${randomUUID().slice(0, 8)}`);
      const commandId = randomUUID();
      const body = JSON.stringify({
        commandId,
        type: 'AllocateResource',
        orgId,
        payload: {
          resource: 'devices',
          quantity: 1,
          idempotencyKey: commandId,
        },
      });
      const signed = sign(
        {
          kind: 'command',
          body,
          replyTo,
          keyId: KEY_ID,
          issuedAt: String(Date.now() - age),
        },
        bus.secret,
      );
      const before = app.eventCount();
      await bus.raw.xadd(
        streams.commands,
        '*',
        ...flatten({ ...signed, ...forged }),
      );

      await waitFor(async () => (await bus.raw.xlen(replyTo)) > 0, {
        description: 'a refusal',
      });
      const [[, flat]] = (await bus.raw.xrange(replyTo, '-', '+')) as [
        string,
        string[],
      ][] as [[string, string[]]];
      const reply = JSON.parse(fieldsOf(flat).body ?? '{}') as Record<
        string,
        unknown
      >;
      expect(reply).toMatchObject({
        status: 'rejected',
        commandId,
        code: 'UNAUTHENTICATED',
      });
      expect(app.eventCount()).toBe(before);
      const metrics = await (await fetch(`${app.baseUrl}/metrics`)).text();
      expect(metrics).toContain(
        `organizations_bus_refused_total{reason="${reason}"} 1`,
      );
    },
  );
});
