/** Injection tokens of the read models and their projection runners. */
export const ORGANIZATION_DIRECTORY = Symbol('OrganizationDirectory');
export const AUDIT_HISTORY = Symbol('AuditHistory');
export const PROJECTION_RUNNERS = Symbol('ProjectionRunners');
