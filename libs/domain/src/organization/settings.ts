import type { Checked } from '../values/checked.js';
import { invalid, valid } from '../values/checked.js';
import { normalizeCidrList } from '../values/cidr.js';
import { checkEmail } from '../values/email.js';
import { changedFields } from '../values/equal.js';
import {
  boolean,
  checkFields,
  clearable,
  integer,
  list,
  oneOf,
  optional,
  record,
  text,
  then,
} from '../values/fields.js';
import {
  KEY_MAX_AGE_DAYS,
  MAX_IP_ALLOWLIST,
  MAX_USAGE_ALERT_THRESHOLDS,
  PAYMENT_METHODS,
  SESSION_TIMEOUT_MINUTES,
} from './catalog.js';
import type {
  ApiKeyRotation,
  ChangeBillingSettings,
  ChangeSecuritySettings,
} from './commands.js';
import type { EventBody } from './events.js';
import type {
  BillingSettings,
  Organization,
  SecuritySettings,
} from './state.js';

export function decideChangeSecuritySettings(
  org: Organization,
  payload: ChangeSecuritySettings['payload'],
): EventBody[] {
  const proposed: Partial<SecuritySettings> = checkFields({
    twoFactorRequired: optional(payload.twoFactorRequired, boolean),
    ipAllowlist: optional(payload.ipAllowlist, checkAllowlist),
    sessionTimeoutMinutes: optional(payload.sessionTimeoutMinutes, (m) =>
      integer(m, SESSION_TIMEOUT_MINUTES.min, SESSION_TIMEOUT_MINUTES.max),
    ),
    apiKeyRotation: optional(payload.apiKeyRotation, checkKeyRotation),
  });
  const changed = changedFields(org.security, proposed);
  return Object.keys(changed).length === 0
    ? []
    : [{ type: 'SecuritySettingsChanged', data: changed }];
}

export function decideChangeBillingSettings(
  org: Organization,
  payload: ChangeBillingSettings['payload'],
): EventBody[] {
  const proposed: Partial<BillingSettings> = checkFields({
    billingEmail: clearable(payload.billingEmail, (e) => text(e, checkEmail)),
    paymentMethod: optional(payload.paymentMethod, (m) =>
      oneOf(m, PAYMENT_METHODS),
    ),
    usageAlertThresholds: optional(
      payload.usageAlertThresholds,
      checkThresholds,
    ),
  });
  const changed = changedFields(org.billing, proposed);
  return Object.keys(changed).length === 0
    ? []
    : [{ type: 'BillingSettingsChanged', data: changed }];
}

function checkAllowlist(value: unknown): Checked<readonly string[]> {
  return then(list(value, MAX_IP_ALLOWLIST * 10), (entries) => {
    if (!entries.every((e): e is string => typeof e === 'string')) {
      return invalid('must be a list of CIDR ranges such as 203.0.113.0/24');
    }
    const normalized = normalizeCidrList(entries);
    if (!normalized.ok) {
      return invalid(
        `not CIDR ranges: ${normalized.invalid.slice(0, 5).join(', ')}`,
      );
    }
    if (normalized.ranges.length > MAX_IP_ALLOWLIST) {
      return invalid(
        `at most ${MAX_IP_ALLOWLIST} ranges, got ${normalized.ranges.length}`,
      );
    }
    return valid(normalized.ranges);
  });
}

function checkKeyRotation(value: unknown): Checked<ApiKeyRotation> {
  return then(record(value), (rotation) => {
    const maxAgeDays =
      rotation.maxAgeDays === null
        ? valid(null)
        : integer(
            rotation.maxAgeDays,
            KEY_MAX_AGE_DAYS.min,
            KEY_MAX_AGE_DAYS.max,
          );
    if (!maxAgeDays.ok)
      return invalid(`maxAgeDays ${maxAgeDays.problem} or null`);
    const warnCeiling = (maxAgeDays.value ?? KEY_MAX_AGE_DAYS.max) - 1;
    const warnBeforeDays = integer(rotation.warnBeforeDays, 0, warnCeiling);
    if (!warnBeforeDays.ok) {
      return invalid(
        `warnBeforeDays must be below maxAgeDays: ${warnBeforeDays.problem}`,
      );
    }
    return valid({
      maxAgeDays: maxAgeDays.value,
      warnBeforeDays: warnBeforeDays.value,
    });
  });
}

function checkThresholds(value: unknown): Checked<readonly number[]> {
  return then(list(value, MAX_USAGE_ALERT_THRESHOLDS), (items) => {
    const percentages: number[] = [];
    for (const item of items) {
      const checked = integer(item, 1, 100);
      if (!checked.ok) return invalid(`each threshold ${checked.problem}`);
      if (checked.value <= (percentages.at(-1) ?? 0)) {
        return invalid(
          'thresholds must be strictly ascending, such as [50, 80, 100]',
        );
      }
      percentages.push(checked.value);
    }
    return valid(percentages);
  });
}
