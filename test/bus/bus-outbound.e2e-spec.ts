import { randomUUID } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { busStreams, fieldsOf, flatten, sign } from '@org/bus';

import type { AppHarness } from '../support/app-harness.js';
import {
  createOrganization,
  envelope,
  uniqueName,
} from '../support/envelopes.js';
import { waitFor } from '../support/wait-for.js';
import { BusFixture, KEY_ID } from './bus-fixture.js';

type Entry = [string, string[]];

describe('outbound events and poison messages (real Redis)', () => {
  let bus: BusFixture;
  let app: AppHarness;

  beforeAll(async () => {
    bus = await BusFixture.start();
    app = await bus.app({ BUS_CONSUMER: 'replica-p' });
  });

  afterAll(async () => {
    await bus.stop();
  });

  it('publishes every event of an organization once, in order, without e-mail addresses', async () => {
    const orgId = (
      await app.accepted(
        app.tokens.support,
        createOrganization(uniqueName(), {
          contactEmail: 'person@acme.example',
        }),
      )
    ).orgId as string;
    await app.accepted(
      app.tokens.support,
      envelope(
        'ChangeBillingSettings',
        { billingEmail: 'pay@acme.example' },
        {
          orgId,
          reference: 'SUP-1',
        },
      ),
    );
    await bus
      .client()
      .command(
        'AllocateResource',
        { resource: 'devices', quantity: 1, idempotencyKey: 'out-1' },
        { orgId },
      );
    const stored = await app.organizationEvents(orgId);

    let published: Record<string, string>[] = [];
    await waitFor(async () => {
      const entries = (await bus.raw.xrange(
        busStreams(bus.prefix).events,
        '-',
        '+',
      )) as Entry[];
      published = entries
        .map(([, flat]) => fieldsOf(flat))
        .filter((e) => e.orgId === orgId);
      return published.length >= stored.length;
    });

    expect(published.map((e) => e.type)).toEqual(stored.map((e) => e.type));
    expect(published.map((e) => Number(e.revision))).toEqual([0, 1, 2]);
    expect(JSON.stringify(published)).not.toContain('@acme.example');
    expect(JSON.parse(published[1]?.data ?? '{}')).toEqual({
      billingEmail: null,
    });
  });

  it('moves a message that keeps failing to the dead-letter stream and goes on', async () => {
    const streams = busStreams(bus.prefix);
    const replyTo = streams.replies(`broken-${randomUUID().slice(0, 8)}`);
    await bus.raw.set(replyTo, 'not a stream, so every reply to it fails');
    const orgId = (
      await app.accepted(app.tokens.support, createOrganization(uniqueName()))
    ).orgId as string;
    const commandId = randomUUID();
    const body = JSON.stringify({
      commandId,
      type: 'RecordDeploymentStarted',
      orgId,
      payload: { deploymentId: 'poison-1' },
    });
    const signed = sign(
      {
        kind: 'command',
        body,
        replyTo,
        keyId: KEY_ID,
        issuedAt: String(Date.now()),
      },
      bus.secret,
    );
    await bus.raw.xadd(streams.commands, '*', ...flatten({ ...signed }));

    await waitFor(async () => (await bus.raw.xlen(streams.deadLetters)) > 0, {
      timeoutMs: 10_000,
      description: 'the poison message in the dead-letter stream',
    });
    const [[, flat]] = (await bus.raw.xrange(
      streams.deadLetters,
      '-',
      '+',
    )) as [Entry];
    const dead = fieldsOf(flat);
    expect(dead.body).toBe(body);
    expect(dead.reason).toMatch(
      /not completed after 2 deliveries; last error: .*WRONGTYPE/,
    );

    const next = await bus
      .client()
      .command(
        'RecordDeploymentStarted',
        { deploymentId: 'after-poison' },
        { orgId },
      );
    expect(next.status).toBe('accepted');
    const metrics = await (await fetch(`${app.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/organizations_bus_dead_lettered_total 1/);
  });
});
