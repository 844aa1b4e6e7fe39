import { PAYMENT_METHODS, type PaymentMethod } from '../catalog.js';
import {
  Flag,
  Integer,
  IntegerList,
  Nested,
  OneOf,
  Text,
  TextList,
} from '../validation/fields.js';
import { LIST_CAPS, TEXT_CAPS } from './limits.js';

/** API key rotation: the oldest a key may get, and when to warn. */
export class ApiKeyRotation {
  /** Days; `null` means keys never expire. */
  @Integer({ nullable: true })
  readonly maxAgeDays!: number | null;

  @Integer()
  readonly warnBeforeDays!: number;
}

/** The payload of `ChangeSecuritySettings`: an absent field keeps its value. */
export class ChangeSecuritySettingsPayload {
  @Flag({ optional: true })
  readonly twoFactorRequired?: boolean;

  /** IPv4/IPv6 CIDR ranges; empty means no restriction. */
  @TextList({
    maxItems: LIST_CAPS.ipAllowlist,
    maxLength: TEXT_CAPS.cidr,
    optional: true,
  })
  readonly ipAllowlist?: readonly string[];

  @Integer({ optional: true })
  readonly sessionTimeoutMinutes?: number;

  @Nested(() => ApiKeyRotation, { optional: true })
  readonly apiKeyRotation?: ApiKeyRotation;
}

/** The payload of `ChangeBillingSettings`: an absent field keeps its value. */
export class ChangeBillingSettingsPayload {
  /** `null` removes the billing e-mail. */
  @Text({
    max: TEXT_CAPS.email,
    optional: true,
    nullable: true,
    schema: { format: 'email' },
  })
  readonly billingEmail?: string | null;

  @OneOf(PAYMENT_METHODS, { optional: true })
  readonly paymentMethod?: PaymentMethod;

  /** Percentages of a limit, strictly ascending. */
  @IntegerList({ maxItems: LIST_CAPS.usageAlertThresholds, optional: true })
  readonly usageAlertThresholds?: readonly number[];
}
