/**
 * The closed value sets that payloads draw from. They mirror the domain's
 * catalogue; a test outside this library keeps them equal.
 */

/** Resources that carry a limit (`SetResourceLimit`). */
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

/** Roles a member may be given; ownership moves only by a transfer. */
export const ROLES = [
  'admin',
  'developer',
  'operator',
  'billing',
  'viewer',
] as const;
export type Role = (typeof ROLES)[number];

/** Extra permissions a member may hold beyond their role. */
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

export const PAYMENT_METHODS = ['credit_card', 'invoice'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];
