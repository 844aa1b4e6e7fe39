/**
 * Length caps of the text fields, in characters. They keep oversized input
 * away from the domain, which decides the exact rules; each cap is at least
 * the domain's own maximum, with room for the surrounding whitespace where
 * the domain trims before counting.
 */
export const TEXT_CAPS = {
  /** User, deployment and idempotency ids: 1 to 128 visible ASCII. */
  identifier: 128,
  /** The domain allows 3 to 63 characters and does not trim. */
  organizationName: 63,
  /** The domain allows 1 to 100 characters after trimming. */
  displayName: 200,
  /** The domain allows at most 1,000 characters after trimming. */
  description: 2_000,
  /** The domain allows at most 254 characters after trimming. */
  email: 320,
  /** Environment, business unit, region: 1 to 63 after trimming. */
  dimension: 128,
  /** The domain allows 1 to 63 characters and does not trim. */
  labelKey: 63,
  /** The domain allows at most 255 characters after trimming. */
  labelValue: 512,
  /** Suspension and legal hold reasons: 1 to 500 after trimming. */
  reason: 1_000,
  /** Legal hold case references: 1 to 128 after trimming. */
  caseReference: 256,
  /** The reason of a deletion request: at most 1,000 after trimming. */
  note: 2_000,
  /** ISO 4217 codes are three letters. */
  currency: 3,
  /** One IP allowlist entry; the domain refuses longer text. */
  cidr: 64,
  /** The envelope's `reference` and `correlationId`. */
  envelopeText: 128,
} as const;

/** Size caps of the list and map fields, equal to the domain's. */
export const LIST_CAPS = {
  freeLabels: 20,
  ipAllowlist: 1_000,
  usageAlertThresholds: 10,
  permissions: 18,
} as const;
