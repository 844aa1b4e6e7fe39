import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { busStreams, fieldsOf, type OrganizationsClient } from '@org/bus';
import { validateCommandEnvelope } from '@org/contracts';

import type { AppHarness } from '../support/app-harness.js';
import { createOrganization, uniqueName } from '../support/envelopes.js';
import { waitFor } from '../support/wait-for.js';
import { BusFixture } from './bus-fixture.js';

type Entry = [string, string[]];

describe('bus reliability (real Redis, two replicas on one SQLite store)', () => {
  let bus: BusFixture;
  let first: AppHarness;

  const group = 'organizations-service';
  const streams = () => busStreams(bus.prefix);
  const newOrg = async () =>
    (
      await first.accepted(
        first.tokens.support,
        createOrganization(uniqueName()),
      )
    ).orgId as string;

  beforeAll(async () => {
    bus = await BusFixture.start({ BUS_REPLY_STREAM_LENGTH: '5000' });
    first = await bus.app({ BUS_CONSUMER: 'replica-a' });
  });

  afterAll(async () => {
    await bus.stop();
  });

  it('completes on another replica a command whose replica died mid-way: one reply, events once', async () => {
    const orgId = await newOrg();
    await first.close();
    const client = bus.client({ timeoutMs: 20_000, retries: 0 });
    const answer = client.command(
      'AllocateResource',
      { resource: 'devices', quantity: 3, idempotencyKey: 'dying-1' },
      { orgId },
    );

    const dying = await bus.replica(first, { BUS: '' });
    const [id, flat] = await takeAsDeadReplica();
    const body = JSON.parse(fieldsOf(flat).body ?? '') as unknown;
    const validated = validateCommandEnvelope(body);
    if (!validated.ok) throw new Error('the client sent an invalid envelope');
    const before = dying.eventCount();
    const halfway = await dying.gateway().submit({
      envelope: validated.envelope,
      actor: { type: 'service', id: 'devices-service' },
      correlationId: validated.envelope.commandId,
    });
    await dying.close();
    dying.forgetReply(validated.envelope.commandId);

    const survivor = await bus.replica(first, { BUS_CONSUMER: 'replica-b' });
    const reply = await answer;

    expect(reply).toEqual(halfway);
    expect(survivor.eventCount()).toBe(before + 1);
    const replyStream = await bus.raw.keys(`${streams().replies('')}*`);
    const counts = await Promise.all(
      replyStream.map((key) => bus.raw.xlen(key)),
    );
    expect(counts.reduce((a, b) => a + b, 0)).toBe(1);
    expect(await bus.raw.xpending(streams().commands, group)).toEqual([
      0,
      null,
      null,
      null,
    ]);
    expect(id).toMatch(/^\d+-\d+$/);
    await survivor.close();
  });

  it('gives every one of 4 clients × 1,000 commands to 2 replicas exactly one reply', async () => {
    // Both replicas take commands for the same four organizations at once:
    // retries must absorb every conflict, so that each command has one reply.
    const a = await bus.replica(first, {
      BUS_CONSUMER: 'load-a',
      BUS_CLAIM_IDLE_MS: '10000',
      COMMAND_RETRIES: '1000',
    });
    const b = await bus.replica(first, {
      BUS_CONSUMER: 'load-b',
      BUS_CLAIM_IDLE_MS: '10000',
      COMMAND_RETRIES: '1000',
    });
    const orgs = await Promise.all([0, 1, 2, 3].map(() => newOrgOn(a)));
    const before = a.eventCount();
    const clients = orgs.map((_, i) =>
      bus.client({ clientId: `load-${i}`, timeoutMs: 30_000 }),
    );

    const replies = await Promise.all(
      clients.map((client, i) => sendDeployments(client, orgs[i] ?? '', 1_000)),
    );

    for (const [i, client] of clients.entries()) {
      expect(replies[i]).toHaveLength(1_000);
      const entries = (await bus.raw.xrange(
        streams().replies(`load-${i}`),
        '-',
        '+',
      )) as Entry[];
      const answered = entries.map(([, flat]) => fieldsOf(flat).inReplyTo);
      expect(new Set(answered).size).toBe(1_000);
      expect(answered).toHaveLength(1_000);
      expect(client).toBeDefined();
    }
    expect(a.eventCount()).toBe(before + 4_000);
    await a.close();
    await b.close();
  }, 180_000);

  async function newOrgOn(app: AppHarness): Promise<string> {
    return (
      await app.accepted(app.tokens.support, createOrganization(uniqueName()))
    ).orgId as string;
  }

  async function takeAsDeadReplica(): Promise<Entry> {
    let taken: Entry | undefined;
    await waitFor(async () => {
      const read = (await bus.raw.xreadgroup(
        'GROUP',
        group,
        'replica-dead',
        'COUNT',
        1,
        'STREAMS',
        streams().commands,
        '>',
      )) as [string, Entry[]][] | null;
      taken = read?.[0]?.[1][0];
      return taken !== undefined;
    });
    if (taken === undefined) throw new Error('nothing to take');
    return taken;
  }
});

async function sendDeployments(
  client: OrganizationsClient,
  orgId: string,
  count: number,
): Promise<string[]> {
  const done: string[] = [];
  const inFlight = 10;
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const reply = await client.command(
        'RecordDeploymentStarted',
        { deploymentId: `dep-${i}` },
        { orgId },
      );
      done.push(reply.commandId);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return done;
}
