import { describe, expect, it } from '@jest/globals';

import type { Actor } from '../actor.js';
import type { ErrorCode } from '../errors.js';
import { addMember, allocate, create, setLimit } from '../testing/commands.js';
import {
  actors,
  context,
  fold,
  given,
  history,
  ORG_ID,
  OTHER_ORG_ID,
  refusalOf,
  user,
} from '../testing/decider-spec.js';
import type { CommandContext } from './context.js';
import {
  COMMAND_TYPES,
  type CommandType,
  type OrganizationCommand,
} from './commands.js';
import { decide } from './decide.js';
import type { OrganizationEvent } from './events.js';

type Outcome = 'allowed' | 'FORBIDDEN' | 'NOT_FOUND' | 'VALIDATION_FAILED';

const A = 'allowed';
const F = 'FORBIDDEN';
const N = 'NOT_FOUND';
const V = 'VALIDATION_FAILED';

const AUTHORIZATION_CODES: readonly ErrorCode[] = [
  'FORBIDDEN',
  'NOT_FOUND',
  'UNAUTHENTICATED',
];

interface Column {
  readonly name: string;
  readonly actor: Actor;
  readonly withoutReference?: true;
}

const COLUMNS = [
  { name: 'support', actor: actors.support },
  {
    name: 'support without reference',
    actor: actors.support,
    withoutReference: true,
  },
  { name: 'sales', actor: actors.sales },
  {
    name: 'sales without reference',
    actor: actors.sales,
    withoutReference: true,
  },
  { name: 'service', actor: actors.service },
  { name: 'system', actor: actors.system },
  { name: 'user owner', actor: actors.owner },
  { name: 'user admin', actor: actors.admin },
  { name: 'user developer', actor: actors.developer },
  { name: 'user billing', actor: actors.billing },
  { name: 'user viewer', actor: actors.viewer },
  { name: 'user of another organization', actor: actors.stranger },
  { name: 'user who is not a member', actor: user('outsider-1') },
] as const satisfies readonly Column[];

type Row = readonly [
  Outcome,
  Outcome,
  Outcome,
  Outcome,
  Outcome,
  Outcome,
  Outcome,
  Outcome,
  Outcome,
  Outcome,
  Outcome,
  Outcome,
  Outcome,
];

/**
 * Who may send what, written out from DOMAIN.md ("Actors and authorization"
 * and "Roles and permissions"), not derived from the code. Columns in the
 * order of COLUMNS: support, support without reference, sales, sales without
 * reference, service, system, owner, admin, developer, billing, viewer, a
 * user of another organization, a user who is not a member.
 */
const TABLE: Readonly<Record<CommandType, Row>> = {
  CreateOrganization: [A, V, F, F, F, F, F, F, F, F, F, F, F],
  UpdateProfile: [A, V, F, F, F, F, A, A, F, F, F, N, F],
  ChangeLabels: [A, V, F, F, F, F, A, A, F, F, F, N, F],
  ChangeSecuritySettings: [A, V, F, F, F, F, A, A, F, F, F, N, F],
  ChangeBillingSettings: [A, V, F, F, F, F, A, A, F, A, F, N, F],
  SetResourceLimit: [A, V, A, V, F, F, F, F, F, F, F, F, F],
  AddMember: [A, V, F, F, F, F, F, F, F, F, F, F, F],
  ChangeMemberRole: [A, V, F, F, F, F, F, F, F, F, F, F, F],
  RemoveMember: [A, V, F, F, F, F, F, F, F, F, F, F, F],
  TransferOwnership: [A, V, F, F, F, F, F, F, F, F, F, F, F],
  AllocateResource: [A, V, F, F, A, F, F, F, F, F, F, F, F],
  ReleaseResource: [A, V, F, F, A, F, F, F, F, F, F, F, F],
  RecordDeploymentStarted: [A, V, F, F, A, F, F, F, F, F, F, F, F],
  RecordDeploymentStopped: [A, V, F, F, A, F, F, F, F, F, F, F, F],
  RecordBillingBalance: [A, V, F, F, A, F, F, F, F, F, F, F, F],
  SuspendOrganization: [A, V, F, F, F, F, F, F, F, F, F, F, F],
  ReactivateOrganization: [A, V, F, F, F, F, F, F, F, F, F, F, F],
  PlaceLegalHold: [A, V, F, F, F, F, F, F, F, F, F, F, F],
  ReleaseLegalHold: [A, V, F, F, F, F, F, F, F, F, F, F, F],
  RequestDeletion: [A, V, F, F, F, F, A, F, F, F, F, N, F],
  CancelDeletion: [A, V, F, F, F, F, A, F, F, F, F, N, F],
  CompleteDeletion: [A, V, F, F, F, A, F, F, F, F, F, F, F],
};

const asService = { actor: actors.service };

const MEMBERS = [
  addMember('admin-1', 'admin'),
  addMember('dev-1', 'developer'),
  addMember('billing-1', 'billing'),
  addMember('viewer-1', 'viewer'),
];

type Step =
  OrganizationCommand | [OrganizationCommand, Partial<CommandContext>];

function withMembersAnd(...steps: readonly Step[]): OrganizationEvent[] {
  return history(create(), ...MEMBERS, ...steps);
}

const withMembers = withMembersAnd();
const ownerOnly = history(create());

interface Scenario {
  readonly command: OrganizationCommand;
  /** The state the command is sent to. */
  readonly past: readonly OrganizationEvent[];
  /** Where the members are not what an accepted command needs. */
  readonly pastWhenAllowed?: readonly OrganizationEvent[];
  /** The event an allowed actor's command records. */
  readonly records: OrganizationEvent['type'];
}

const SCENARIOS: Readonly<Record<CommandType, Scenario>> = {
  CreateOrganization: {
    command: create(),
    past: [],
    records: 'OrganizationCreated',
  },
  UpdateProfile: {
    command: { type: 'UpdateProfile', payload: { displayName: 'Acme Two' } },
    past: withMembers,
    records: 'ProfileUpdated',
  },
  ChangeLabels: {
    command: { type: 'ChangeLabels', payload: { environment: 'production' } },
    past: withMembers,
    records: 'LabelsChanged',
  },
  ChangeSecuritySettings: {
    command: {
      type: 'ChangeSecuritySettings',
      payload: { twoFactorRequired: true },
    },
    past: withMembers,
    records: 'SecuritySettingsChanged',
  },
  ChangeBillingSettings: {
    command: {
      type: 'ChangeBillingSettings',
      payload: { paymentMethod: 'invoice' },
    },
    past: withMembers,
    records: 'BillingSettingsChanged',
  },
  SetResourceLimit: {
    command: setLimit('users', 100),
    past: withMembers,
    records: 'ResourceLimitChanged',
  },
  AddMember: {
    command: addMember('new-1', 'operator'),
    past: withMembers,
    records: 'MemberAdded',
  },
  ChangeMemberRole: {
    command: {
      type: 'ChangeMemberRole',
      payload: { userId: 'viewer-1', role: 'operator' },
    },
    past: withMembers,
    records: 'MemberRoleChanged',
  },
  RemoveMember: {
    command: { type: 'RemoveMember', payload: { userId: 'viewer-1' } },
    past: withMembers,
    records: 'MemberRemoved',
  },
  TransferOwnership: {
    command: {
      type: 'TransferOwnership',
      payload: { newOwnerUserId: 'admin-1' },
    },
    past: withMembers,
    records: 'OwnershipTransferred',
  },
  AllocateResource: {
    command: allocate('devices', 1),
    past: withMembers,
    records: 'ResourceAllocated',
  },
  ReleaseResource: {
    command: {
      type: 'ReleaseResource',
      payload: { resource: 'devices', quantity: 1, idempotencyKey: 'rel-1' },
    },
    past: withMembersAnd([allocate('devices', 3), asService]),
    records: 'ResourceReleased',
  },
  RecordDeploymentStarted: {
    command: {
      type: 'RecordDeploymentStarted',
      payload: { deploymentId: 'dep-1' },
    },
    past: withMembers,
    records: 'DeploymentStarted',
  },
  RecordDeploymentStopped: {
    command: {
      type: 'RecordDeploymentStopped',
      payload: { deploymentId: 'dep-1' },
    },
    past: withMembersAnd([
      {
        type: 'RecordDeploymentStarted',
        payload: { deploymentId: 'dep-1' },
      },
      asService,
    ]),
    records: 'DeploymentStopped',
  },
  RecordBillingBalance: {
    command: {
      type: 'RecordBillingBalance',
      payload: { outstandingCents: 1_200, currency: 'EUR' },
    },
    past: withMembers,
    records: 'BillingBalanceRecorded',
  },
  SuspendOrganization: {
    command: {
      type: 'SuspendOrganization',
      payload: { reason: 'unpaid invoices' },
    },
    past: withMembers,
    records: 'OrganizationSuspended',
  },
  ReactivateOrganization: {
    command: { type: 'ReactivateOrganization', payload: {} },
    past: withMembersAnd({
      type: 'SuspendOrganization',
      payload: { reason: 'unpaid invoices' },
    }),
    records: 'OrganizationReactivated',
  },
  PlaceLegalHold: {
    command: {
      type: 'PlaceLegalHold',
      payload: { caseReference: 'CASE-9', reason: 'litigation' },
    },
    past: withMembers,
    records: 'LegalHoldPlaced',
  },
  ReleaseLegalHold: {
    command: { type: 'ReleaseLegalHold', payload: { caseReference: 'CASE-9' } },
    past: withMembersAnd({
      type: 'PlaceLegalHold',
      payload: { caseReference: 'CASE-9', reason: 'litigation' },
    }),
    records: 'LegalHoldReleased',
  },
  // Deletion needs the owner alone, so allowed actors are tested there and
  // refused members in the organization that still has them.
  RequestDeletion: {
    command: { type: 'RequestDeletion', payload: {} },
    past: withMembers,
    pastWhenAllowed: ownerOnly,
    records: 'DeletionRequested',
  },
  CancelDeletion: {
    command: { type: 'CancelDeletion', payload: {} },
    past: withMembers,
    pastWhenAllowed: history(create(), {
      type: 'RequestDeletion',
      payload: {},
    }),
    records: 'DeletionCancelled',
  },
  CompleteDeletion: {
    command: { type: 'CompleteDeletion', payload: {} },
    past: withMembers,
    pastWhenAllowed: history(create(), {
      type: 'RequestDeletion',
      payload: { gracePeriodDays: 0 },
    }),
    records: 'OrganizationDeleted',
  },
};

function overridesFor(column: Column): Partial<CommandContext> {
  return column.withoutReference === true
    ? { actor: column.actor, reference: null }
    : { actor: column.actor };
}

function columnAt(index: number): Column {
  const column = COLUMNS[index];
  if (column === undefined) throw new Error(`no actor column ${index}`);
  return column;
}

const CELLS = COMMAND_TYPES.flatMap((type) =>
  TABLE[type].map((outcome, index) => {
    const column = columnAt(index);
    const { records } = SCENARIOS[type];
    const expected = outcome === A ? `accepted, records ${records}` : outcome;
    return { type, actor: column.name, column, outcome, expected };
  }),
);

describe('the authorization table', () => {
  it('has a row for every one of the 22 command types', () => {
    expect(COMMAND_TYPES).toHaveLength(22);
    expect(Object.keys(TABLE).sort()).toEqual([...COMMAND_TYPES].sort());
  });

  it.each(CELLS)('$type by $actor: $expected', ({ type, column, outcome }) => {
    const scenario = SCENARIOS[type];
    const past =
      outcome === A
        ? (scenario.pastWhenAllowed ?? scenario.past)
        : scenario.past;
    const run = () =>
      decide(fold(past), scenario.command, context(overridesFor(column)));

    if (outcome === A) {
      expect(run().map((event) => event.type)).toEqual([scenario.records]);
    } else {
      expect(refusalOf(run).code).toBe(outcome);
    }
  });
});

describe('a refusal never reveals whether another organization exists', () => {
  const USER_COMMANDS: readonly CommandType[] = [
    'UpdateProfile',
    'ChangeLabels',
    'ChangeSecuritySettings',
    'ChangeBillingSettings',
    'RequestDeletion',
    'CancelDeletion',
  ];
  const deleted = history(
    create(),
    { type: 'RequestDeletion', payload: { gracePeriodDays: 0 } },
    [SCENARIOS.CompleteDeletion.command, { actor: actors.system }],
  );
  const asStranger = { actor: actors.stranger };

  it.each(USER_COMMANDS)(
    '%s from a user of another organization gets the same NOT_FOUND for an existing, a deleted and a never created organization',
    (type) => {
      const { command } = SCENARIOS[type];
      const refusal = (past: readonly OrganizationEvent[]) => {
        const error = refusalOf(() =>
          decide(fold(past), command, context(asStranger)),
        );
        return { code: error.code, message: error.message, ...error.details };
      };

      const existing = refusal(withMembers);

      expect(existing.code).toBe('NOT_FOUND');
      expect(refusal(deleted)).toEqual(existing);
      expect(refusal([])).toEqual(existing);
      expect(existing.message).not.toContain('acme');
    },
  );

  it('names only the organization id the caller sent', () => {
    const { command } = SCENARIOS.UpdateProfile;
    const unknownId = '0193a1b2-c3d4-7e5f-8a6b-00000000dead';

    const error = refusalOf(() =>
      decide(null, command, context({ ...asStranger, orgId: unknownId })),
    );

    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toBe(
      refusalOf(() =>
        decide(fold(withMembers), command, context(asStranger)),
      ).message.replace(ORG_ID, unknownId),
    );
  });

  it('judges a user by the organization of their sign-in, not by a matching member id', () => {
    const adminSignedInElsewhere = user('admin-1', OTHER_ORG_ID);

    given(...withMembers)
      .when(SCENARIOS.UpdateProfile.command, { actor: adminSignedInElsewhere })
      .thenRefuses('NOT_FOUND');
  });
});

describe('authorization happens before any state is read', () => {
  it('refuses a sales actor adding a member to an organization that does not exist with FORBIDDEN, not NOT_FOUND', () => {
    expect(
      refusalOf(() =>
        decide(null, addMember('new-1'), context({ actor: actors.sales })),
      ).code,
    ).toBe('FORBIDDEN');
  });

  it('refuses a service updating the profile of an organization that does not exist with FORBIDDEN', () => {
    expect(
      refusalOf(() =>
        decide(null, SCENARIOS.UpdateProfile.command, context(asService)),
      ).code,
    ).toBe('FORBIDDEN');
  });

  it('refuses support without a reference to an organization that does not exist with VALIDATION_FAILED on the reference', () => {
    const error = refusalOf(() =>
      decide(
        null,
        SCENARIOS.SuspendOrganization.command,
        context({ reference: null }),
      ),
    );

    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details).toEqual({
      problems: [{ field: 'reference', problem: expect.any(String) }],
    });
  });

  it('refuses support raising products above the ceiling of an organization that does not exist with FORBIDDEN', () => {
    expect(
      refusalOf(() => decide(null, setLimit('products', 101), context())).code,
    ).toBe('FORBIDDEN');
  });

  it('refuses a user of another organization with NOT_FOUND whether or not the target exists', () => {
    const { command } = SCENARIOS.UpdateProfile;
    const asStranger = context({ actor: actors.stranger });

    const missing = refusalOf(() => decide(null, command, asStranger));
    const existing = refusalOf(() =>
      decide(fold(withMembers), command, asStranger),
    );

    expect(missing.code).toBe('NOT_FOUND');
    expect(missing.message).toBe(existing.message);
  });
});

describe('references of support and sales', () => {
  it.each([
    ['support', actors.support, ''],
    ['support', actors.support, '   '],
    ['sales', actors.sales, '\u0007SUP-1'],
    ['sales', actors.sales, 'x'.repeat(129)],
  ] as const)(
    'refuses %s with a blank, unprintable or overlong reference %j: VALIDATION_FAILED',
    (_name, actor, reference) => {
      given(...withMembers)
        .when(setLimit('users', 100), { actor, reference })
        .thenRefuses('VALIDATION_FAILED');
    },
  );

  it('records the reference with the events', () => {
    const [event] = given(...withMembers)
      .when(setLimit('users', 100), { reference: 'SUP-77' })
      .then({
        type: 'ResourceLimitChanged',
        data: { resource: 'users', limit: 100 },
      });

    expect(event?.metadata.reference).toBe('SUP-77');
  });
});

describe("a member's extra permissions", () => {
  const grant = (
    userId: string,
    role: 'developer' | 'viewer',
    permissions: ('settings:write' | 'billing:write')[],
  ): OrganizationCommand => ({
    type: 'AddMember',
    payload: { userId, role, permissions },
  });
  const past = withMembersAnd(
    grant('dev-2', 'developer', ['settings:write']),
    grant('viewer-2', 'viewer', ['billing:write']),
  );

  it.each(['UpdateProfile', 'ChangeLabels', 'ChangeSecuritySettings'] as const)(
    'let a developer holding settings:write send %s',
    (type) => {
      const { command, records } = SCENARIOS[type];

      const events = decide(
        fold(past),
        command,
        context({ actor: user('dev-2') }),
      );

      expect(events.map((event) => event.type)).toEqual([records]);
    },
  );

  it('let a viewer holding billing:write send ChangeBillingSettings', () => {
    given(...past)
      .when(SCENARIOS.ChangeBillingSettings.command, {
        actor: user('viewer-2'),
      })
      .then({
        type: 'BillingSettingsChanged',
        data: { paymentMethod: 'invoice' },
      });
  });

  it('grant only what they name: billing:write does not allow UpdateProfile', () => {
    given(...past)
      .when(SCENARIOS.UpdateProfile.command, { actor: user('viewer-2') })
      .thenRefuses('FORBIDDEN');
  });

  it('never make a member the owner: an admin with every permission may not request deletion', () => {
    given(...past)
      .when(SCENARIOS.RequestDeletion.command, { actor: actors.admin })
      .thenRefuses('FORBIDDEN');
  });
});

describe('authorization follows the current members', () => {
  it('lets a viewer promoted to admin update the profile', () => {
    const past = withMembersAnd({
      type: 'ChangeMemberRole',
      payload: { userId: 'viewer-1', role: 'admin' },
    });

    given(...past)
      .when(SCENARIOS.UpdateProfile.command, { actor: actors.viewer })
      .then({ type: 'ProfileUpdated', data: { displayName: 'Acme Two' } });
  });

  it('refuses a removed admin as a non-member: FORBIDDEN', () => {
    const past = withMembersAnd({
      type: 'RemoveMember',
      payload: { userId: 'admin-1' },
    });

    given(...past)
      .when(SCENARIOS.UpdateProfile.command, { actor: actors.admin })
      .thenRefuses('FORBIDDEN');
  });

  it('moves the owner-only commands with an ownership transfer', () => {
    const past = withMembersAnd(SCENARIOS.TransferOwnership.command);
    const request = SCENARIOS.RequestDeletion.command;

    given(...past)
      .when(request, { actor: actors.owner })
      .thenRefuses('FORBIDDEN');
    const newOwner = refusalOf(() =>
      decide(fold(past), request, context({ actor: actors.admin })),
    );
    expect(AUTHORIZATION_CODES).not.toContain(newOwner.code);
    expect(newOwner.code).toBe('PRECONDITIONS_UNMET');
  });
});

describe('resource limits by actor', () => {
  const created = history(create());
  const asSales = { actor: actors.sales };

  it.each([
    ['products', 101],
    ['devices', 10_001],
    ['products', null],
    ['devices', null],
  ] as const)(
    'refuses support raising %s to %p above its support ceiling: FORBIDDEN',
    (resource, limit) => {
      given(...created)
        .when(setLimit(resource, limit))
        .thenRefuses('FORBIDDEN', { resource });
    },
  );

  it.each([
    ['products', 100],
    ['devices', 10_000],
  ] as const)(
    'lets support set %s up to its support ceiling %p',
    (resource, limit) => {
      given(...history(create(), setLimit(resource, 50)))
        .when(setLimit(resource, limit))
        .then({ type: 'ResourceLimitChanged', data: { resource, limit } });
    },
  );

  it.each([
    ['products', 500],
    ['products', null],
    ['devices', 250_000],
    ['devices', null],
  ] as const)(
    'lets sales with a contract set %s above the ceiling to %p',
    (resource, limit) => {
      given(...created)
        .when(setLimit(resource, limit), asSales)
        .then({ type: 'ResourceLimitChanged', data: { resource, limit } });
    },
  );

  it.each([
    ['users', 500],
    ['api_keys', 1_000],
    ['webhooks', 100],
  ] as const)('lets support set %s up to its maximum %p', (resource, limit) => {
    given(...created)
      .when(setLimit(resource, limit))
      .then({ type: 'ResourceLimitChanged', data: { resource, limit } });
  });

  it.each([
    ['sales', 'users', 501],
    ['sales', 'users', null],
    ['support', 'users', 501],
    ['support', 'api_keys', 1_001],
    ['sales', 'api_keys', 1_001],
    ['support', 'webhooks', 101],
    ['sales', 'webhooks', 101],
  ] as const)(
    'refuses %s setting %s to %p above the maximum: VALIDATION_FAILED',
    (actor, resource, limit) => {
      given(...created)
        .when(setLimit(resource, limit), { actor: actors[actor] })
        .thenRefuses('VALIDATION_FAILED');
    },
  );
});
