import { ERASED, personalFieldsOf, type EventType } from '@org/domain';

import type { PersonalDataPolicy } from './personal-data-cipher.js';

const ORGANIZATION_STREAM = 'organization-';

/**
 * The organizations' personal data: each organization stream is its own
 * subject, the domain says which fields of its events are personal, and
 * erased values read as the domain's `ERASED`.
 */
export const ORGANIZATION_PERSONAL_DATA: PersonalDataPolicy = {
  subjectOf: (streamId) =>
    streamId.startsWith(ORGANIZATION_STREAM)
      ? streamId.slice(ORGANIZATION_STREAM.length)
      : null,
  personalFieldsOf: (type) => personalFieldsOf(type as EventType),
  erased: ERASED,
};
