import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { JsonLogger } from '../../apps/organizations/src/logging/json-logger.js';
import { AppHarness } from '../support/app-harness.js';
import {
  createOrganization,
  envelope,
  uniqueName,
} from '../support/envelopes.js';

describe('structured logs', () => {
  const lines: string[] = [];
  let app: AppHarness;

  beforeAll(async () => {
    const logger = new JsonLogger('verbose', (line) => lines.push(line));
    app = await AppHarness.start({}, logger);
  });

  afterAll(async () => {
    await app.stop();
  });

  it('writes one JSON object per line with a level and the correlation id of the request', async () => {
    const create = createOrganization(uniqueName(), {
      contactEmail: 'secret.person@acme.example',
    });
    await app.accepted(app.tokens.support, create);
    const parsed = lines.map(
      (line) => JSON.parse(line) as Record<string, unknown>,
    );
    const handled = parsed.find((l) => l.msg === 'command accepted');

    expect(handled).toMatchObject({
      level: 'debug',
      context: 'CommandGateway',
      commandId: create.commandId,
      type: 'CreateOrganization',
      correlationId: expect.any(String),
    });
  });

  it('keeps personal data and tokens out of every line, even at the most verbose level', async () => {
    const reply = await app.accepted(
      app.tokens.support,
      createOrganization(uniqueName(), {
        contactEmail: 'hidden.owner@acme.example',
      }),
    );
    await app.command(
      app.tokens.support,
      envelope(
        'ChangeBillingSettings',
        { billingEmail: 'invoices@acme.example' },
        { orgId: reply.orgId, reference: 'SUP-7' },
      ),
    );
    await app.command(
      'wrong-token-value',
      envelope('UpdateProfile', {}, { orgId: reply.orgId }),
    );
    const all = lines.join('\n');

    expect(lines.length).toBeGreaterThan(0);
    for (const secret of [
      'hidden.owner@acme.example',
      'invoices@acme.example',
      'wrong-token-value',
      app.tokens.support,
    ]) {
      expect(all).not.toContain(secret);
    }
  });
});
