import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { AppHarness } from '../support/app-harness.js';
import {
  createOrganization,
  envelope,
  uniqueName,
} from '../support/envelopes.js';

describe('idempotency by command id', () => {
  let app: AppHarness;

  beforeAll(async () => {
    app = await AppHarness.start();
  });

  afterAll(async () => {
    await app.stop();
  });

  it('stores the events of a command sent 10 times in parallel once, and answers alike', async () => {
    const create = createOrganization(uniqueName());
    const before = app.eventCount();
    const replies = await Promise.all(
      Array.from({ length: 10 }, () => app.command(app.tokens.support, create)),
    );

    expect(replies.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(new Set(replies.map((r) => JSON.stringify(r.body))).size).toBe(1);
    // One name reservation and one OrganizationCreated.
    expect(app.eventCount()).toBe(before + 2);
  });

  it('gives the first reply again after a restart of the app', async () => {
    const create = createOrganization(uniqueName());
    const first = await app.accepted(app.tokens.support, create);
    const orgId = first.orgId as string;
    const allocate = envelope(
      'AllocateResource',
      { resource: 'devices', quantity: 2, idempotencyKey: 'restart-1' },
      { orgId },
    );
    const allocated = await app.accepted(app.tokens.service, allocate);

    await app.restart();
    const count = app.eventCount();

    expect(await app.accepted(app.tokens.support, create)).toEqual(first);
    expect(await app.accepted(app.tokens.service, allocate)).toEqual(allocated);
    expect(app.eventCount()).toBe(count);
  });

  it('answers from the recorded events when a crash lost the reply after the append', async () => {
    const orgId = (
      await app.accepted(app.tokens.support, createOrganization(uniqueName()))
    ).orgId as string;
    const member = envelope(
      'AddMember',
      { userId: 'u-crash', role: 'developer' },
      { orgId, reference: 'SUP-8' },
    );
    const first = await app.accepted(app.tokens.support, member);
    await app.close();
    app.forgetReply(member.commandId as string);
    await app.restart();
    const count = app.eventCount();

    expect(await app.accepted(app.tokens.support, member)).toEqual(first);
    expect(app.eventCount()).toBe(count);
  });

  it('gives a refusal again as the first answer', async () => {
    const refused = envelope(
      'CancelDeletion',
      {},
      {
        orgId: '0193a1b2-c3d4-7e5f-8a6b-00000000000a',
        reference: 'SUP-4',
      },
    );
    const first = await app.command(app.tokens.support, refused);
    const again = await app.command(app.tokens.support, refused);
    expect(first.status).toBe(404);
    expect({ ...again.body, correlationId: null }).toEqual({
      ...first.body,
      correlationId: null,
    });
  });

  it('does not let another actor read a reply by reusing its command id', async () => {
    const create = createOrganization(uniqueName());
    await app.accepted(app.tokens.support, create);
    const reply = await app.command(app.tokens.sales, create);
    expect(reply).toMatchObject({
      status: 409,
      body: { code: 'IDEMPOTENCY_MISMATCH' },
    });
  });

  it('completes a creation retried after the name was reserved but before the organization was created', async () => {
    const create = createOrganization(uniqueName());
    const [name] = [(create.payload as { name: string }).name];
    await app.reserveNameOnly(name, create.commandId as string);

    const reply = await app.accepted(app.tokens.support, create);
    const { body } = await app.get(
      app.tokens.support,
      `/v1/organizations/${reply.orgId as string}`,
    );
    expect(body).toMatchObject({ revision: 0, state: { name } });
  });
});
