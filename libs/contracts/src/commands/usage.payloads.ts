import {
  ALLOCATABLE_RESOURCES,
  type AllocatableResource,
  RESOURCES,
  type Resource,
} from '../catalog.js';
import { Integer, OneOf, Text } from '../validation/fields.js';
import { TEXT_CAPS } from './limits.js';

/** The payload of `SetResourceLimit`. */
export class SetResourceLimitPayload {
  @OneOf(RESOURCES)
  readonly resource!: Resource;

  /** `null` means unlimited. */
  @Integer({ nullable: true })
  readonly limit!: number | null;
}

/** How much of a resource a service allocates or releases, and under which key. */
export class ResourceUsage {
  @OneOf(ALLOCATABLE_RESOURCES)
  readonly resource!: AllocatableResource;

  @Integer()
  readonly quantity!: number;

  /** Makes a retried report count once. */
  @Text({ max: TEXT_CAPS.identifier })
  readonly idempotencyKey!: string;
}

/** The payload of `AllocateResource`. */
export class AllocateResourcePayload extends ResourceUsage {}

/** The payload of `ReleaseResource`. */
export class ReleaseResourcePayload extends ResourceUsage {}

/** The deployment a service reports as started or stopped. */
export class DeploymentReport {
  @Text({ max: TEXT_CAPS.identifier })
  readonly deploymentId!: string;
}

/** The payload of `RecordDeploymentStarted`. */
export class RecordDeploymentStartedPayload extends DeploymentReport {}

/** The payload of `RecordDeploymentStopped`. */
export class RecordDeploymentStoppedPayload extends DeploymentReport {}

/** The payload of `RecordBillingBalance`. */
export class RecordBillingBalancePayload {
  @Integer({ min: 0, max: Number.MAX_SAFE_INTEGER })
  readonly outstandingCents!: number;

  /** An ISO 4217 code such as `EUR`. */
  @Text({ max: TEXT_CAPS.currency })
  readonly currency!: string;
}
