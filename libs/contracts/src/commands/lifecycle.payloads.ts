import { JSONSchema } from 'class-validator-jsonschema';

import { Integer, Text } from '../validation/fields.js';
import { TEXT_CAPS } from './limits.js';

/** What the JSON Schema of a payload without fields says. */
export const NO_FIELDS = 'Takes no fields: send an empty object.';

/** The payload of `SuspendOrganization`. */
export class SuspendOrganizationPayload {
  @Text({ max: TEXT_CAPS.reason })
  readonly reason!: string;
}

/** The payload of `ReactivateOrganization`: no fields. */
@JSONSchema({ description: NO_FIELDS })
export class ReactivateOrganizationPayload {}

/** The payload of `PlaceLegalHold`. */
export class PlaceLegalHoldPayload {
  @Text({ max: TEXT_CAPS.caseReference })
  readonly caseReference!: string;

  @Text({ max: TEXT_CAPS.reason })
  readonly reason!: string;
}

/** The payload of `ReleaseLegalHold`. */
export class ReleaseLegalHoldPayload {
  @Text({ max: TEXT_CAPS.caseReference })
  readonly caseReference!: string;
}

/** The payload of `RequestDeletion`. */
export class RequestDeletionPayload {
  /** Days until the deletion takes effect; 7 when absent. */
  @Integer({ optional: true })
  readonly gracePeriodDays?: number;

  @Text({ min: 0, max: TEXT_CAPS.note, optional: true })
  readonly reason?: string;
}

/** The payload of `CancelDeletion`: no fields. */
@JSONSchema({ description: NO_FIELDS })
export class CancelDeletionPayload {}

/** The payload of `CompleteDeletion`: no fields. */
@JSONSchema({ description: NO_FIELDS })
export class CompleteDeletionPayload {}
