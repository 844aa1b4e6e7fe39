import type { AuditStore } from './audit/audit-history.port.js';
import { AuditHistoryProjection } from './audit/audit-history.projection.js';
import type { DirectoryStore } from './directory/organization-directory.port.js';
import { OrganizationDirectoryProjection } from './directory/organization-directory.projection.js';
import {
  ProjectionRunner,
  type ProjectionRunnerOptions,
} from './projection/projection-runner.js';

/** The organization read models of one storage, SQLite or Redis. */
export interface OrganizationReadModels {
  readonly directory: DirectoryStore;
  readonly audit: AuditStore;
  close(): Promise<void>;
}

/** A runner per read model. */
export interface OrganizationProjectionRunners {
  readonly directory: ProjectionRunner;
  readonly audit: ProjectionRunner;
}

/** Options of {@link createProjectionRunners}: the runner's, for both. */
export type ProjectionRunnersOptions = Omit<
  ProjectionRunnerOptions,
  'projection'
> & { readonly readModels: OrganizationReadModels };

/** The runners of the organization directory and the audit history, not yet started. */
export function createProjectionRunners(
  options: ProjectionRunnersOptions,
): OrganizationProjectionRunners {
  const { readModels, ...shared } = options;
  return {
    directory: new ProjectionRunner({
      ...shared,
      projection: new OrganizationDirectoryProjection(readModels.directory),
    }),
    audit: new ProjectionRunner({
      ...shared,
      projection: new AuditHistoryProjection(readModels.audit),
    }),
  };
}
