/**
 * Projections of the organization event log into read models, and the
 * runner that keeps them current.
 *
 * - Read models, each behind one port with a SQLite and a Redis adapter:
 *   the {@link OrganizationDirectory} and the {@link AuditHistory}.
 * - {@link ProjectionRunner}: follows the log from a checkpoint stored
 *   atomically with each batch, reports {@link ProjectionStatus}, waits for
 *   a position ({@link ProjectionRunner.waitUntil}) and rebuilds a read
 *   model into a new generation without downtime.
 *
 * @packageDocumentation
 */
export type {
  AuditChange,
  AuditEntry,
  AuditExportQuery,
  AuditHistory,
  AuditQuery,
  AuditStore,
  FieldChange,
} from './audit/audit-history.port.js';
export { AuditHistoryProjection } from './audit/audit-history.projection.js';
export { auditEntries } from './audit/audit-query.js';
export { RedisAuditStore } from './audit/redis-audit-store.js';
export { SqliteAuditStore } from './audit/sqlite-audit-store.js';
export { canonicalName } from './directory/directory-query.js';
export type {
  DirectoryEntry,
  DirectoryQuery,
  DirectoryStore,
  DirectoryUpsert,
  OrganizationDirectory,
} from './directory/organization-directory.port.js';
export { OrganizationDirectoryProjection } from './directory/organization-directory.projection.js';
export { RedisDirectoryStore } from './directory/redis-directory-store.js';
export { SqliteDirectoryStore } from './directory/sqlite-directory-store.js';
export {
  createProjectionRunners,
  type OrganizationProjectionRunners,
  type OrganizationReadModels,
  type ProjectionRunnersOptions,
} from './organization-read-models.js';
export {
  ORGANIZATION_STREAM_PREFIX,
  type OrganizationView,
} from './organization/organization-view.js';
export {
  countingEventLogMeter,
  type CountingEventLogMeterOptions,
  denseEventLogMeter,
  type EventLogMeter,
} from './projection/event-log-meter.js';
export { ORGANIZATION_EVENTS } from './projection/generation-follower.js';
export {
  type ProjectionLogger,
  SILENT_LOGGER,
} from './projection/projection-logger.js';
export {
  ProjectionRunner,
  type ProjectionRunnerOptions,
  type ProjectionState,
  type ProjectionStatus,
  type RebuildOutcome,
  type RebuildProgress,
} from './projection/projection-runner.js';
export {
  ProjectionApplyError,
  type GenerationStore,
  type Projection,
  type ProjectionFailure,
} from './projection/projection.port.js';
export {
  RedisReadModels,
  type RedisReadModelsOptions,
} from './redis/redis-read-models.js';
export {
  CheckpointConflictError,
  InvalidQueryError,
  ReadModelUnavailableError,
  RebuildFailedError,
  RebuildInProgressError,
} from './shared/errors.js';
export {
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  type Page,
} from './shared/pagination.js';
export {
  positionFromJson,
  positionToJson,
  type PositionJson,
} from './shared/positions.js';
export {
  SqliteReadModels,
  type SqliteReadModelsOptions,
} from './sqlite/sqlite-read-models.js';
