import { describe, expect, it } from '@jest/globals';

import {
  addMember,
  allocate,
  create,
  release,
  setLimit,
} from '../testing/commands.js';
import { actors, given, history } from '../testing/decider-spec.js';

const created = () => history(create());
const asService = { actor: actors.service };
const asSales = { actor: actors.sales };

describe('SetResourceLimit', () => {
  it('records the new limit', () => {
    given(...created())
      .when(setLimit('webhooks', 60))
      .then({
        type: 'ResourceLimitChanged',
        data: { resource: 'webhooks', limit: 60 },
      });
  });

  it('records no event when the limit is already set', () => {
    given(...created())
      .when(setLimit('devices', 10_000))
      .thenNothing();
  });

  it.each([
    ['users', 500],
    ['api_keys', 1_000],
    ['webhooks', 100],
  ] as const)(
    'lets support raise %s up to its highest limit %p',
    (resource, limit) => {
      given(...created())
        .when(setLimit(resource, limit))
        .then({ type: 'ResourceLimitChanged', data: { resource, limit } });
    },
  );

  it.each([
    ['products', 100],
    ['devices', 10_000],
  ] as const)(
    'lets support set %s back up to its ceiling %p',
    (resource, limit) => {
      given(...history(create(), setLimit(resource, 10)))
        .when(setLimit(resource, limit))
        .then({ type: 'ResourceLimitChanged', data: { resource, limit } });
    },
  );

  it.each([
    ['users', 501],
    ['api_keys', 1_001],
    ['webhooks', 101],
    ['users', null],
  ] as const)(
    'refuses %s at %p for any actor with VALIDATION_FAILED',
    (resource, limit) => {
      given(...created())
        .when(setLimit(resource, limit))
        .thenRefuses('VALIDATION_FAILED');
      given(...created())
        .when(setLimit(resource, limit), asSales)
        .thenRefuses('VALIDATION_FAILED');
    },
  );

  it.each([
    ['products', 101],
    ['devices', 10_001],
    ['products', null],
  ] as const)(
    'refuses support raising %s to %p: a sales decision (FORBIDDEN)',
    (resource, limit) => {
      given(...created())
        .when(setLimit(resource, limit))
        .thenRefuses('FORBIDDEN');
    },
  );

  it.each([
    ['products', 5_000],
    ['devices', 1_000_000],
    ['devices', null],
  ] as const)('lets sales with a contract set %s to %p', (resource, limit) => {
    given(...created())
      .when(setLimit(resource, limit), asSales)
      .then({ type: 'ResourceLimitChanged', data: { resource, limit } });
  });

  it('never sets a limit below current usage', () => {
    const past = history(create(), [allocate('webhooks', 20), asService]);
    given(...past)
      .when(setLimit('webhooks', 19))
      .thenRefuses('LIMIT_EXCEEDED', {
        resource: 'webhooks',
        limit: 19,
        usage: 20,
      });
    given(...past)
      .when(setLimit('webhooks', 20))
      .then({
        type: 'ResourceLimitChanged',
        data: { resource: 'webhooks', limit: 20 },
      });
  });

  it('never sets the users limit below the number of members', () => {
    const past = history(create(), addMember('u-1'), addMember('u-2'));
    given(...past)
      .when(setLimit('users', 2))
      .thenRefuses('LIMIT_EXCEEDED', { resource: 'users', usage: 3 });
  });

  it.each([-1, 1.5, '10'])('refuses the limit %p', (limit) => {
    given(...created())
      .when(setLimit('webhooks', limit as number))
      .thenRefuses('VALIDATION_FAILED');
  });

  it('refuses an unknown resource', () => {
    given(...created())
      .when(setLimit('gateways' as never, 10))
      .thenRefuses('VALIDATION_FAILED');
  });
});

describe('AllocateResource', () => {
  it('records the allocation and adds it to usage', () => {
    const events = given(...created())
      .when(allocate('devices', 3, 'k-1'), asService)
      .then({
        type: 'ResourceAllocated',
        data: { resource: 'devices', quantity: 3, idempotencyKey: 'k-1' },
      });
    expect(events).toHaveLength(1);
    const state = given(...created())
      .when(allocate('devices', 3), asService)
      .thenState();
    expect(state?.usage.devices).toBe(3);
  });

  it('refuses allocating past the limit, naming the limit and the usage', () => {
    const past = history(create(), [allocate('webhooks', 24), asService]);
    const error = given(...past)
      .when(allocate('webhooks', 2), asService)
      .thenRefuses('LIMIT_EXCEEDED', {
        resource: 'webhooks',
        limit: 25,
        usage: 24,
        requested: 2,
      });
    expect(error.message).toContain('25');
    expect(error.message).toContain('24');
  });

  it('allows allocating exactly up to the limit', () => {
    const state = given(...created())
      .when(allocate('webhooks', 25), asService)
      .thenState();
    expect(state?.usage.webhooks).toBe(25);
  });

  it('allocates without bound when the limit is unlimited', () => {
    const past = history(create(), [setLimit('products', null), asSales]);
    const state = given(...past)
      .when(allocate('products', 10_000), asService)
      .thenState();
    expect(state?.usage.products).toBe(10_000);
  });

  it.each([0, 10_001, 2.5])(
    'refuses a quantity of %p (1 to 10,000)',
    (quantity) => {
      given(...created())
        .when(allocate('devices', quantity), asService)
        .thenRefuses('VALIDATION_FAILED');
    },
  );

  it('refuses allocating users: members are added by support', () => {
    given(...created())
      .when(allocate('users' as never, 1), asService)
      .thenRefuses('VALIDATION_FAILED');
  });

  it('applies an idempotency key once: the same request again records nothing', () => {
    const past = history(create(), [allocate('devices', 5, 'k-9'), asService]);
    const state = given(...past)
      .when(allocate('devices', 5, 'k-9'), asService)
      .thenState();
    expect(state?.usage.devices).toBe(5);
    given(...past)
      .when(allocate('devices', 5, 'k-9'), asService)
      .thenNothing();
  });

  it('refuses an idempotency key reused for a different request (IDEMPOTENCY_MISMATCH)', () => {
    const past = history(create(), [allocate('devices', 5, 'k-9'), asService]);
    given(...past)
      .when(allocate('devices', 6, 'k-9'), asService)
      .thenRefuses('IDEMPOTENCY_MISMATCH', { idempotencyKey: 'k-9' });
    given(...past)
      .when(release('devices', 5, 'k-9'), asService)
      .thenRefuses('IDEMPOTENCY_MISMATCH');
  });

  it('answers a retried allocation as done even after the organization was suspended', () => {
    const past = history(create(), [allocate('devices', 5, 'k-1'), asService], {
      type: 'SuspendOrganization',
      payload: { reason: 'unpaid invoices' },
    });
    given(...past)
      .when(allocate('devices', 5, 'k-1'), asService)
      .thenNothing();
    given(...past)
      .when(allocate('devices', 5, 'k-2'), asService)
      .thenRefuses('INVALID_STATE');
  });
});

describe('UsageThresholdCrossed', () => {
  it('records a crossing of the 80% threshold with the allocation that crosses it', () => {
    const past = history(create(), [allocate('webhooks', 19), asService]);
    given(...past)
      .when(allocate('webhooks', 1, 'k-20'), asService)
      .then(
        {
          type: 'ResourceAllocated',
          data: { resource: 'webhooks', quantity: 1, idempotencyKey: 'k-20' },
        },
        {
          type: 'UsageThresholdCrossed',
          data: { resource: 'webhooks', threshold: 80, usage: 20, limit: 25 },
        },
      );
  });

  it('records each threshold one allocation jumps over', () => {
    const events = given(...created())
      .when(allocate('webhooks', 25, 'k-all'), asService)
      .then(
        {
          type: 'ResourceAllocated',
          data: { resource: 'webhooks', quantity: 25, idempotencyKey: 'k-all' },
        },
        {
          type: 'UsageThresholdCrossed',
          data: { resource: 'webhooks', threshold: 80, usage: 25, limit: 25 },
        },
        {
          type: 'UsageThresholdCrossed',
          data: { resource: 'webhooks', threshold: 100, usage: 25, limit: 25 },
        },
      );
    expect(events).toHaveLength(3);
  });

  it('records a threshold once per crossing, not on every allocation above it', () => {
    const past = history(create(), [allocate('webhooks', 20), asService]);
    given(...past)
      .when(allocate('webhooks', 1, 'k-21'), asService)
      .then({
        type: 'ResourceAllocated',
        data: { resource: 'webhooks', quantity: 1, idempotencyKey: 'k-21' },
      });
  });

  it('records the threshold again after usage fell below it and crossed it again', () => {
    const past = history(
      create(),
      [allocate('webhooks', 20), asService],
      [release('webhooks', 2), asService],
    );
    const events = given(...past)
      .when(allocate('webhooks', 2), asService)
      .thenState();
    expect(events?.usage.webhooks).toBe(20);
    const types = history(
      create(),
      [allocate('webhooks', 20), asService],
      [release('webhooks', 2), asService],
      [allocate('webhooks', 2), asService],
    ).map((e) => e.type);
    expect(types.filter((t) => t === 'UsageThresholdCrossed')).toHaveLength(2);
  });

  it('uses the organization’s own thresholds', () => {
    const past = history(create(), {
      type: 'ChangeBillingSettings',
      payload: { usageAlertThresholds: [10] },
    });
    given(...past)
      .when(allocate('products', 10, 'k-p'), asService)
      .then(
        {
          type: 'ResourceAllocated',
          data: { resource: 'products', quantity: 10, idempotencyKey: 'k-p' },
        },
        {
          type: 'UsageThresholdCrossed',
          data: { resource: 'products', threshold: 10, usage: 10, limit: 100 },
        },
      );
  });

  it('records no threshold for an unlimited resource', () => {
    const past = history(create(), [setLimit('devices', null), asSales]);
    given(...past)
      .when(allocate('devices', 10_000, 'k-d'), asService)
      .then({
        type: 'ResourceAllocated',
        data: { resource: 'devices', quantity: 10_000, idempotencyKey: 'k-d' },
      });
  });
});

describe('ReleaseResource', () => {
  it('records the release and lowers usage', () => {
    const past = history(create(), [allocate('api_keys', 4), asService]);
    const state = given(...past)
      .when(release('api_keys', 3), asService)
      .thenState();
    expect(state?.usage.api_keys).toBe(1);
  });

  it('refuses releasing more than is in use', () => {
    const past = history(create(), [allocate('api_keys', 2), asService]);
    given(...past)
      .when(release('api_keys', 3), asService)
      .thenRefuses('INVALID_STATE', { usage: 2, requested: 3 });
  });

  it('applies a release idempotency key once', () => {
    const past = history(
      create(),
      [allocate('api_keys', 2), asService],
      [release('api_keys', 1, 'r-1'), asService],
    );
    given(...past)
      .when(release('api_keys', 1, 'r-1'), asService)
      .thenNothing();
  });
});

describe('deployments and billing balance (facts reported by services)', () => {
  it('records a deployment started, and nothing when it is already active', () => {
    const start = {
      type: 'RecordDeploymentStarted',
      payload: { deploymentId: 'd-1' },
    } as const;
    given(...created())
      .when(start, asService)
      .then({ type: 'DeploymentStarted', data: { deploymentId: 'd-1' } });
    given(...history(create(), [start, asService]))
      .when(start, asService)
      .thenNothing();
  });

  it('records a deployment stopped, and nothing for one that is not active', () => {
    const past = history(create(), [
      { type: 'RecordDeploymentStarted', payload: { deploymentId: 'd-1' } },
      asService,
    ]);
    const stop = (deploymentId: string) =>
      ({ type: 'RecordDeploymentStopped', payload: { deploymentId } }) as const;
    given(...past)
      .when(stop('d-1'), asService)
      .then({ type: 'DeploymentStopped', data: { deploymentId: 'd-1' } });
    given(...past)
      .when(stop('d-2'), asService)
      .thenNothing();
  });

  it('records the outstanding balance with an upper-case ISO 4217 currency', () => {
    given(...created())
      .when(
        {
          type: 'RecordBillingBalance',
          payload: { outstandingCents: 1250, currency: 'eur' },
        },
        asService,
      )
      .then({
        type: 'BillingBalanceRecorded',
        data: { outstandingCents: 1250, currency: 'EUR' },
      });
  });

  it.each([
    [-1, 'EUR'],
    [1.5, 'EUR'],
    [100, 'EURO'],
    [100, '€'],
  ])('refuses the balance %p %p', (outstandingCents, currency) => {
    given(...created())
      .when(
        {
          type: 'RecordBillingBalance',
          payload: { outstandingCents, currency },
        },
        asService,
      )
      .thenRefuses('VALIDATION_FAILED');
  });
});
