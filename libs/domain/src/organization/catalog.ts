export const RESOURCES = [
  'products',
  'devices',
  'users',
  'api_keys',
  'webhooks',
] as const;
export type Resource = (typeof RESOURCES)[number];

/** Resources whose usage other services report; users are counted as members. */
export const ALLOCATABLE_RESOURCES = [
  'products',
  'devices',
  'api_keys',
  'webhooks',
] as const;
export type AllocatableResource = (typeof ALLOCATABLE_RESOURCES)[number];

export interface LimitPolicy {
  readonly defaultLimit: number;
  /** The highest limit support may set. */
  readonly supportCeiling: number;
  /** Whether sales may go above the support ceiling, up to unlimited. */
  readonly salesMayExceed: boolean;
}

export const LIMIT_POLICIES: Readonly<Record<Resource, LimitPolicy>> = {
  products: { defaultLimit: 100, supportCeiling: 100, salesMayExceed: true },
  devices: {
    defaultLimit: 10_000,
    supportCeiling: 10_000,
    salesMayExceed: true,
  },
  users: { defaultLimit: 50, supportCeiling: 500, salesMayExceed: false },
  api_keys: { defaultLimit: 100, supportCeiling: 1_000, salesMayExceed: false },
  webhooks: { defaultLimit: 25, supportCeiling: 100, salesMayExceed: false },
};

export const PERMISSIONS = [
  'devices:read',
  'devices:write',
  'firmware:write',
  'deployments:write',
  'billing:read',
  'billing:write',
  'members:read',
  'settings:write',
  'audit:read',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** Roles a member may be given; the owner is not a role but a transfer. */
export const ROLES = [
  'admin',
  'developer',
  'operator',
  'billing',
  'viewer',
] as const;
export type Role = (typeof ROLES)[number];
export type MemberRole = Role | 'owner';

export const DEFAULT_ROLE: Role = 'viewer';

export const ROLE_PERMISSIONS: Readonly<
  Record<MemberRole, readonly Permission[]>
> = {
  owner: PERMISSIONS,
  admin: PERMISSIONS,
  developer: [
    'devices:read',
    'devices:write',
    'firmware:write',
    'deployments:write',
  ],
  operator: ['devices:read', 'devices:write', 'deployments:write'],
  billing: ['billing:read', 'billing:write'],
  viewer: ['devices:read'],
};

export const PAYMENT_METHODS = ['credit_card', 'invoice'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

export const DEFAULT_SECURITY = {
  twoFactorRequired: false,
  ipAllowlist: [] as readonly string[],
  sessionTimeoutMinutes: 720,
  apiKeyRotation: { maxAgeDays: null, warnBeforeDays: 0 },
} as const;

export const DEFAULT_USAGE_ALERT_THRESHOLDS: readonly number[] = [80, 100];

export const DEFAULT_GRACE_PERIOD_DAYS = 7;
export const MAX_GRACE_PERIOD_DAYS = 30;
export const MAX_IP_ALLOWLIST = 100;
export const MAX_USAGE_ALERT_THRESHOLDS = 10;
export const MAX_ALLOCATION_QUANTITY = 10_000;
export const SESSION_TIMEOUT_MINUTES = { min: 5, max: 43_200 } as const;
export const KEY_MAX_AGE_DAYS = { min: 1, max: 365 } as const;
/** How many recent allocation idempotency keys an organization remembers. */
export const IDEMPOTENCY_KEY_WINDOW = 1_000;
