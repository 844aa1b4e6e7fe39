import { describe, expect, it } from '@jest/globals';

import { create } from '../testing/commands.js';
import {
  actors,
  given,
  history,
  ORG_ID,
  OWNER,
} from '../testing/decider-spec.js';

const created = () => history(create());

describe('CreateOrganization', () => {
  it('records OrganizationCreated with the defaults of every setting and limit', () => {
    given()
      .when(create({ environment: 'Production', labels: { team: 'fleet' } }))
      .then({
        type: 'OrganizationCreated',
        data: {
          name: 'acme-industrial',
          ownerUserId: OWNER,
          profile: {
            displayName: 'Acme Industrial',
            description: null,
            contactEmail: 'ops@acme.example',
          },
          labels: {
            environment: 'production',
            businessUnit: null,
            region: null,
            labels: { team: 'fleet' },
          },
          security: {
            twoFactorRequired: false,
            ipAllowlist: [],
            sessionTimeoutMinutes: 720,
            apiKeyRotation: { maxAgeDays: null, warnBeforeDays: 0 },
          },
          billing: {
            billingEmail: null,
            paymentMethod: null,
            usageAlertThresholds: [80, 100],
          },
          limits: {
            products: 100,
            devices: 10_000,
            users: 50,
            api_keys: 100,
            webhooks: 25,
          },
        },
      });
  });

  it('makes the owner the only member, with the owner role', () => {
    const state = given().when(create()).thenState();
    expect(state?.ownerUserId).toBe(OWNER);
    expect(state?.members).toEqual([
      { userId: OWNER, role: 'owner', permissions: [] },
    ]);
    expect(state?.status).toBe('active');
    expect(state?.id).toBe(ORG_ID);
  });

  it('stores the name in its canonical lower-case form (names compare case-insensitively)', () => {
    const state = given()
      .when(create({ name: 'Acme-IoT' }))
      .thenState();
    expect(state?.name).toBe('acme-iot');
  });

  it.each([
    ['ab', 'too short'],
    ['a'.repeat(64), 'too long'],
    ['-acme', 'leading hyphen'],
    ['acme-', 'trailing hyphen'],
    ['acme_iot', 'underscore'],
    ['acme iot', 'space'],
  ])('refuses the name %j (%s) with VALIDATION_FAILED', (name) => {
    given()
      .when(create({ name }))
      .thenRefuses('VALIDATION_FAILED', {
        problems: [expect.objectContaining({ field: 'name' })],
      });
  });

  it('lists every invalid field at once', () => {
    const error = given()
      .when(create({ name: 'x', displayName: '', contactEmail: 'nope' }))
      .thenRefuses('VALIDATION_FAILED');
    const fields = (error.details.problems as { field: string }[]).map(
      (p) => p.field,
    );
    expect(fields).toEqual(['name', 'displayName', 'contactEmail']);
  });

  it.each([
    ['', 'empty'],
    ['x'.repeat(101), 'over 100 characters'],
    ['Acme\u0007', 'control character'],
  ])('refuses the display name %j (%s)', (displayName) => {
    given().when(create({ displayName })).thenRefuses('VALIDATION_FAILED');
  });

  it('accepts a display name of exactly 100 characters', () => {
    const state = given()
      .when(create({ displayName: 'x'.repeat(100) }))
      .thenState();
    expect(state?.profile.displayName).toHaveLength(100);
  });

  it('refuses a description over 1,000 characters and accepts one of 1,000', () => {
    given()
      .when(create({ description: 'd'.repeat(1_001) }))
      .thenRefuses('VALIDATION_FAILED');
    const state = given()
      .when(create({ description: 'd'.repeat(1_000) }))
      .thenState();
    expect(state?.profile.description).toHaveLength(1_000);
  });

  it('requires a valid contact e-mail', () => {
    given()
      .when(create({ contactEmail: 'ops@localhost' }))
      .thenRefuses('VALIDATION_FAILED');
  });

  it('refuses an organization id that is not a UUIDv7', () => {
    given()
      .when(create(), { orgId: 'not-a-uuid' })
      .thenRefuses('VALIDATION_FAILED', {
        problems: [{ field: 'orgId', problem: expect.any(String) }],
      });
  });

  it('refuses to create an organization twice under one id', () => {
    given(...created())
      .when(create())
      .thenRefuses('CONFLICT');
  });

  it('refuses more than 20 free labels', () => {
    const labels = Object.fromEntries(
      Array.from({ length: 21 }, (_, i) => [`k${i}`, 'v']),
    );
    given().when(create({ labels })).thenRefuses('VALIDATION_FAILED');
  });
});

describe('UpdateProfile', () => {
  it('records only the fields that change', () => {
    given(...created())
      .when({
        type: 'UpdateProfile',
        payload: {
          displayName: 'Acme Industrial',
          contactEmail: 'noc@acme.example',
        },
      })
      .then({
        type: 'ProfileUpdated',
        data: { contactEmail: 'noc@acme.example' },
      });
  });

  it('records no event when nothing changes', () => {
    given(...created())
      .when({
        type: 'UpdateProfile',
        payload: { displayName: 'Acme Industrial' },
      })
      .thenNothing();
  });

  it('keeps absent fields and clears the description with null', () => {
    const past = history(create({ description: 'Industrial sensors' }));
    const state = given(...past)
      .when({ type: 'UpdateProfile', payload: { description: null } })
      .thenState();
    expect(state?.profile).toEqual({
      displayName: 'Acme Industrial',
      description: null,
      contactEmail: 'ops@acme.example',
    });
  });

  it('refuses an invalid contact e-mail and records nothing', () => {
    given(...created())
      .when({
        type: 'UpdateProfile',
        payload: { contactEmail: 'ops@@acme.example' },
      })
      .thenRefuses('VALIDATION_FAILED');
  });

  it('has no way to change the name: the name never changes', () => {
    const payload = { name: 'renamed', displayName: 'Renamed' } as never;
    const state = given(...created())
      .when({ type: 'UpdateProfile', payload })
      .thenState();
    expect(state?.name).toBe('acme-industrial');
  });

  it('may be sent by a user with settings:write', () => {
    given(...created())
      .when(
        { type: 'UpdateProfile', payload: { displayName: 'Acme' } },
        { actor: actors.owner },
      )
      .then({ type: 'ProfileUpdated', data: { displayName: 'Acme' } });
  });
});

describe('ChangeLabels', () => {
  it('sets the fleet dimensions in lower case and replaces all free labels', () => {
    const past = history(create({ labels: { team: 'fleet', tier: 'gold' } }));
    given(...past)
      .when({
        type: 'ChangeLabels',
        payload: {
          environment: 'Staging',
          region: 'eu-west',
          labels: { team: 'fleet' },
        },
      })
      .then({
        type: 'LabelsChanged',
        data: {
          environment: 'staging',
          region: 'eu-west',
          labels: { team: 'fleet' },
        },
      });
  });

  it('clears a dimension with null and keeps absent ones', () => {
    const past = history(create({ environment: 'production', region: 'eu' }));
    const state = given(...past)
      .when({ type: 'ChangeLabels', payload: { environment: null } })
      .thenState();
    expect(state?.labels).toEqual({
      environment: null,
      businessUnit: null,
      region: 'eu',
      labels: {},
    });
  });

  it('treats the same labels in another order as no change', () => {
    const past = history(create({ labels: { a: '1', b: '2' } }));
    given(...past)
      .when({ type: 'ChangeLabels', payload: { labels: { b: '2', a: '1' } } })
      .thenNothing();
  });

  it.each([
    ['an upper-case key', { Upper: 'x' }],
    ['a key over 63 characters', { ['k'.repeat(64)]: 'x' }],
    ['a value over 255 characters', { key: 'v'.repeat(256) }],
    ['the reserved key __proto__', { ['__proto__']: 'x' }],
  ])('refuses free labels with %s', (_what, labels) => {
    given(...created())
      .when({
        type: 'ChangeLabels',
        payload: { labels },
      })
      .thenRefuses('VALIDATION_FAILED');
  });
});
