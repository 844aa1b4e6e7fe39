import { DomainError, validationFailed } from '../errors.js';
import type { Checked } from '../values/checked.js';
import { checkEmail } from '../values/email.js';
import { changedFields } from '../values/equal.js';
import {
  checkFields,
  clearable,
  optional,
  record,
  text,
  then,
} from '../values/fields.js';
import { checkDimension, checkFreeLabels } from '../values/labels.js';
import { checkOrganizationName } from '../values/organization-name.js';
import { checkIdentifier, checkLine, checkNote } from '../values/text.js';
import { isUuidV7 } from '../values/uuid.js';
import {
  DEFAULT_SECURITY,
  DEFAULT_USAGE_ALERT_THRESHOLDS,
  LIMIT_POLICIES,
  RESOURCES,
} from './catalog.js';
import type {
  ChangeLabels,
  CreateOrganization,
  UpdateProfile,
} from './commands.js';
import type { CommandContext } from './context.js';
import type { EventBody } from './events.js';
import type {
  Labels,
  Organization,
  OrganizationState,
  Profile,
  ResourceLimits,
} from './state.js';

export function decideCreate(
  state: OrganizationState,
  payload: CreateOrganization['payload'],
  context: CommandContext,
): EventBody[] {
  if (state !== null) {
    throw new DomainError(
      'CONFLICT',
      `organization ${context.orgId} already exists`,
    );
  }
  if (!isUuidV7(context.orgId)) {
    throw validationFailed([
      { field: 'orgId', problem: 'must be a UUIDv7 chosen by the service' },
    ]);
  }
  const created = checkFields({
    name: text(payload.name, checkOrganizationName),
    ownerUserId: text(payload.ownerUserId, checkIdentifier),
    displayName: text(payload.displayName, checkDisplayName),
    description: optional(payload.description, (d) =>
      text(d, checkDescription),
    ),
    contactEmail: text(payload.contactEmail, checkEmail),
    ...labelFields(payload),
  });
  return [
    {
      type: 'OrganizationCreated',
      data: {
        name: created.name,
        ownerUserId: created.ownerUserId,
        profile: {
          displayName: created.displayName,
          description: created.description ?? null,
          contactEmail: created.contactEmail,
        },
        labels: {
          environment: created.environment ?? null,
          businessUnit: created.businessUnit ?? null,
          region: created.region ?? null,
          labels: created.labels ?? {},
        },
        security: DEFAULT_SECURITY,
        billing: {
          billingEmail: null,
          paymentMethod: null,
          usageAlertThresholds: DEFAULT_USAGE_ALERT_THRESHOLDS,
        },
        limits: defaultLimits(),
      },
    },
  ];
}

export function decideUpdateProfile(
  org: Organization,
  payload: UpdateProfile['payload'],
): EventBody[] {
  const proposed: Partial<Profile> = checkFields({
    displayName: optional(payload.displayName, (d) =>
      text(d, checkDisplayName),
    ),
    description: clearable(payload.description, (d) =>
      text(d, checkDescription),
    ),
    contactEmail: optional(payload.contactEmail, (e) => text(e, checkEmail)),
  });
  const changed = changedFields(org.profile, proposed);
  return Object.keys(changed).length === 0
    ? []
    : [{ type: 'ProfileUpdated', data: changed }];
}

export function decideChangeLabels(
  org: Organization,
  payload: ChangeLabels['payload'],
): EventBody[] {
  const proposed: Partial<Labels> = checkFields(labelFields(payload));
  const changed = changedFields(org.labels, proposed);
  return Object.keys(changed).length === 0
    ? []
    : [{ type: 'LabelsChanged', data: changed }];
}

function labelFields(payload: ChangeLabels['payload']) {
  return {
    environment: clearable(payload.environment, (v) => text(v, checkDimension)),
    businessUnit: clearable(payload.businessUnit, (v) =>
      text(v, checkDimension),
    ),
    region: clearable(payload.region, (v) => text(v, checkDimension)),
    labels: optional(payload.labels, freeLabels),
  };
}

function freeLabels(value: unknown): Checked<Record<string, string>> {
  return then(record(value), (labels) =>
    checkFreeLabels(labels as Record<string, string>),
  );
}

function checkDisplayName(value: string): Checked<string> {
  return checkLine(value, 1, 100);
}

function checkDescription(value: string): Checked<string | null> {
  return checkNote(value, 1_000);
}

function defaultLimits(): ResourceLimits {
  const entries = RESOURCES.map(
    (r) => [r, LIMIT_POLICIES[r].defaultLimit] as const,
  );
  return Object.fromEntries(entries) as Record<
    (typeof RESOURCES)[number],
    number
  >;
}
