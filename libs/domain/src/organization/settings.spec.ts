import { describe, expect, it } from '@jest/globals';

import { create } from '../testing/commands.js';
import { actors, given, history } from '../testing/decider-spec.js';
import type {
  ChangeBillingSettings,
  ChangeSecuritySettings,
} from './commands.js';

const created = () => history(create());

function security(
  payload: ChangeSecuritySettings['payload'],
): ChangeSecuritySettings {
  return { type: 'ChangeSecuritySettings', payload };
}

function billing(
  payload: ChangeBillingSettings['payload'],
): ChangeBillingSettings {
  return { type: 'ChangeBillingSettings', payload };
}

describe('ChangeSecuritySettings', () => {
  it('records the changed settings only', () => {
    given(...created())
      .when(security({ twoFactorRequired: true, sessionTimeoutMinutes: 720 }))
      .then({
        type: 'SecuritySettingsChanged',
        data: { twoFactorRequired: true },
      });
  });

  it('stores the IP allowlist normalized: host bits cleared, duplicates dropped, sorted', () => {
    given(...created())
      .when(
        security({
          ipAllowlist: [
            '2001:DB8::1/32',
            '10.1.2.3/8',
            '10.0.0.0/8',
            '192.0.2.7',
          ],
        }),
      )
      .then({
        type: 'SecuritySettingsChanged',
        data: { ipAllowlist: ['10.0.0.0/8', '192.0.2.7/32', '2001:db8::/32'] },
      });
  });

  it('treats an allowlist equal after normalization as no change', () => {
    const past = history(create(), security({ ipAllowlist: ['10.0.0.0/8'] }));
    given(...past)
      .when(security({ ipAllowlist: ['10.9.9.9/8'] }))
      .thenNothing();
  });

  it('clears the allowlist with an empty list, meaning no restriction', () => {
    const past = history(create(), security({ ipAllowlist: ['10.0.0.0/8'] }));
    const state = given(...past)
      .when(security({ ipAllowlist: [] }))
      .thenState();
    expect(state?.security.ipAllowlist).toEqual([]);
  });

  it('refuses invalid CIDR ranges and names them', () => {
    const error = given(...created())
      .when(security({ ipAllowlist: ['10.0.0.0/33', '300.1.1.1', '::1/64'] }))
      .thenRefuses('VALIDATION_FAILED');
    expect(error.message).toContain('10.0.0.0/33');
    expect(error.message).toContain('300.1.1.1');
    expect(error.message).not.toContain('::1/64');
  });

  it('accepts 100 allowlist ranges and refuses 101', () => {
    const ranges = (n: number) =>
      Array.from({ length: n }, (_, i) => `10.0.${i}.0/24`);
    given(...created())
      .when(security({ ipAllowlist: ranges(100) }))
      .then({
        type: 'SecuritySettingsChanged',
        data: { ipAllowlist: ranges(100) },
      });
    given(...created())
      .when(security({ ipAllowlist: ranges(101) }))
      .thenRefuses('VALIDATION_FAILED');
  });

  it('counts the 100 allowlist ranges after duplicates are dropped', () => {
    const ranges = Array.from(
      { length: 150 },
      (_, i) => `10.0.${i % 100}.1/24`,
    );
    const state = given(...created())
      .when(security({ ipAllowlist: ranges }))
      .thenState();
    expect(state?.security.ipAllowlist).toHaveLength(100);
  });

  it.each([4, 43_201, 30.5])(
    'refuses a session timeout of %p minutes (5 to 43,200)',
    (m) => {
      given(...created())
        .when(security({ sessionTimeoutMinutes: m }))
        .thenRefuses('VALIDATION_FAILED');
    },
  );

  it.each([5, 43_200])('accepts a session timeout of %p minutes', (m) => {
    const state = given(...created())
      .when(security({ sessionTimeoutMinutes: m }))
      .thenState();
    expect(state?.security.sessionTimeoutMinutes).toBe(m);
  });

  it('accepts a key rotation policy with warnBeforeDays below maxAgeDays', () => {
    given(...created())
      .when(
        security({ apiKeyRotation: { maxAgeDays: 90, warnBeforeDays: 14 } }),
      )
      .then({
        type: 'SecuritySettingsChanged',
        data: { apiKeyRotation: { maxAgeDays: 90, warnBeforeDays: 14 } },
      });
  });

  it.each([
    [
      { maxAgeDays: 30, warnBeforeDays: 30 },
      'warnBeforeDays not below maxAgeDays',
    ],
    [{ maxAgeDays: 0, warnBeforeDays: 0 }, 'maxAgeDays below 1'],
    [{ maxAgeDays: 366, warnBeforeDays: 7 }, 'maxAgeDays above 365'],
    [{ maxAgeDays: 30, warnBeforeDays: -1 }, 'negative warnBeforeDays'],
  ])('refuses the key rotation policy %j (%s)', (apiKeyRotation) => {
    given(...created())
      .when(security({ apiKeyRotation }))
      .thenRefuses('VALIDATION_FAILED');
  });

  it('accepts no maximum key age (null)', () => {
    const past = history(
      create(),
      security({ apiKeyRotation: { maxAgeDays: 90, warnBeforeDays: 7 } }),
    );
    const state = given(...past)
      .when(
        security({ apiKeyRotation: { maxAgeDays: null, warnBeforeDays: 0 } }),
      )
      .thenState();
    expect(state?.security.apiKeyRotation).toEqual({
      maxAgeDays: null,
      warnBeforeDays: 0,
    });
  });

  it('refuses a value of the wrong type instead of storing it', () => {
    const payload = {
      twoFactorRequired: 'yes',
    } as unknown as ChangeSecuritySettings['payload'];
    given(...created())
      .when(security(payload))
      .thenRefuses('VALIDATION_FAILED');
  });

  it('is refused to a developer without settings:write', () => {
    const past = history(create(), {
      type: 'AddMember',
      payload: { userId: 'dev-1', role: 'developer' },
    });
    given(...past)
      .when(security({ twoFactorRequired: true }), { actor: actors.developer })
      .thenRefuses('FORBIDDEN');
  });
});

describe('ChangeBillingSettings', () => {
  it('records the billing e-mail, payment method and thresholds that change', () => {
    given(...created())
      .when(
        billing({
          billingEmail: 'Billing@ACME.example',
          paymentMethod: 'invoice',
          usageAlertThresholds: [50, 80, 100],
        }),
      )
      .then({
        type: 'BillingSettingsChanged',
        data: {
          billingEmail: 'Billing@acme.example',
          paymentMethod: 'invoice',
          usageAlertThresholds: [50, 80, 100],
        },
      });
  });

  it('records no event for the default thresholds again', () => {
    given(...created())
      .when(billing({ usageAlertThresholds: [80, 100] }))
      .thenNothing();
  });

  it.each([
    [[80, 80], 'not strictly ascending'],
    [[90, 80], 'descending'],
    [[0, 50], 'below 1'],
    [[50, 101], 'above 100'],
    [[10, 20, 30, 40, 50, 60, 70, 80, 90, 95, 100], 'more than 10'],
    [[12.5], 'not whole'],
  ])('refuses the thresholds %j (%s)', (usageAlertThresholds) => {
    given(...created())
      .when(billing({ usageAlertThresholds }))
      .thenRefuses('VALIDATION_FAILED');
  });

  it('accepts an empty threshold list, which turns usage alerts off', () => {
    const state = given(...created())
      .when(billing({ usageAlertThresholds: [] }))
      .thenState();
    expect(state?.billing.usageAlertThresholds).toEqual([]);
  });

  it('refuses a payment method other than credit_card or invoice', () => {
    const payload = {
      paymentMethod: 'cash',
    } as unknown as ChangeBillingSettings['payload'];
    given(...created())
      .when(billing(payload))
      .thenRefuses('VALIDATION_FAILED');
  });

  it('refuses an invalid billing e-mail', () => {
    given(...created())
      .when(billing({ billingEmail: 'billing at acme' }))
      .thenRefuses('VALIDATION_FAILED');
  });

  it('may be changed by a member with the billing role', () => {
    const past = history(create(), {
      type: 'AddMember',
      payload: { userId: 'billing-1', role: 'billing' },
    });
    given(...past)
      .when(billing({ paymentMethod: 'credit_card' }), {
        actor: actors.billing,
      })
      .then({
        type: 'BillingSettingsChanged',
        data: { paymentMethod: 'credit_card' },
      });
  });
});
