import { Text, TextRecord } from '../validation/fields.js';
import { LIST_CAPS, TEXT_CAPS } from './limits.js';

const LABELS = {
  maxKeys: LIST_CAPS.freeLabels,
  maxKeyLength: TEXT_CAPS.labelKey,
  maxValueLength: TEXT_CAPS.labelValue,
};

/** The payload of `CreateOrganization`. */
export class CreateOrganizationPayload {
  /** The unique name, 3 to 63 of `a-z`, `0-9` and inner `-`; never changes. */
  @Text({ max: TEXT_CAPS.organizationName })
  readonly name!: string;

  @Text({ max: TEXT_CAPS.displayName })
  readonly displayName!: string;

  @Text({ min: 0, max: TEXT_CAPS.description, optional: true })
  readonly description?: string;

  @Text({ max: TEXT_CAPS.email, schema: { format: 'email' } })
  readonly contactEmail!: string;

  @Text({ max: TEXT_CAPS.identifier })
  readonly ownerUserId!: string;

  @Text({ max: TEXT_CAPS.dimension, optional: true })
  readonly environment?: string;

  @Text({ max: TEXT_CAPS.dimension, optional: true })
  readonly businessUnit?: string;

  @Text({ max: TEXT_CAPS.dimension, optional: true })
  readonly region?: string;

  @TextRecord({ ...LABELS, optional: true })
  readonly labels?: Readonly<Record<string, string>>;
}

/** The payload of `UpdateProfile`: an absent field keeps its value. */
export class UpdateProfilePayload {
  @Text({ max: TEXT_CAPS.displayName, optional: true })
  readonly displayName?: string;

  /** `null` removes the description. */
  @Text({ min: 0, max: TEXT_CAPS.description, optional: true, nullable: true })
  readonly description?: string | null;

  @Text({ max: TEXT_CAPS.email, optional: true, schema: { format: 'email' } })
  readonly contactEmail?: string;
}

/**
 * The payload of `ChangeLabels`: an absent field keeps its value, `null`
 * clears a dimension, and `labels` replaces all free labels.
 */
export class ChangeLabelsPayload {
  @Text({ max: TEXT_CAPS.dimension, optional: true, nullable: true })
  readonly environment?: string | null;

  @Text({ max: TEXT_CAPS.dimension, optional: true, nullable: true })
  readonly businessUnit?: string | null;

  @Text({ max: TEXT_CAPS.dimension, optional: true, nullable: true })
  readonly region?: string | null;

  @TextRecord({ ...LABELS, optional: true })
  readonly labels?: Readonly<Record<string, string>>;
}
