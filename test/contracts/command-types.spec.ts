import { describe, expect, it } from '@jest/globals';
import * as contracts from '@org/contracts';
import * as domain from '@org/domain';

// The contracts cannot import the domain, so these checks live here: the
// wire names and value sets must stay equal to the domain's, and every
// payload the contracts let through must have a type the domain expects.

type Assignable<From, To> = [From] extends [To] ? true : false;

/** `true` only when no member of the union is `false`. */
type All<Checks extends boolean> = false extends Checks ? false : true;

type PayloadsFitTheDomain = All<
  {
    [T in contracts.CommandType]: Assignable<
      contracts.PayloadOf<T>,
      domain.CommandOf<T>['payload']
    >;
  }[contracts.CommandType]
>;

type SameCommandTypes =
  Assignable<contracts.CommandType, domain.CommandType> extends true
    ? Assignable<domain.CommandType, contracts.CommandType>
    : false;

// Fails to compile when a payload type or a command type drifts.
const typesAgree: [PayloadsFitTheDomain, SameCommandTypes] = [true, true];

describe('the contracts and the domain', () => {
  it('agree on the payload types at compile time', () => {
    expect(typesAgree).toEqual([true, true]);
  });

  it('name the same command types, in the same order', () => {
    expect([...contracts.COMMAND_TYPES]).toEqual([...domain.COMMAND_TYPES]);
  });

  it.each([
    ['RESOURCES', contracts.RESOURCES, domain.RESOURCES],
    [
      'ALLOCATABLE_RESOURCES',
      contracts.ALLOCATABLE_RESOURCES,
      domain.ALLOCATABLE_RESOURCES,
    ],
    ['ROLES', contracts.ROLES, domain.ROLES],
    ['PERMISSIONS', contracts.PERMISSIONS, domain.PERMISSIONS],
    ['PAYMENT_METHODS', contracts.PAYMENT_METHODS, domain.PAYMENT_METHODS],
    ['ERROR_CODES', contracts.ERROR_CODES, domain.ERROR_CODES],
  ])('share %s', (_name, ours, theirs) => {
    expect([...ours]).toEqual([...theirs]);
  });

  it('cap lists at the domain limits', () => {
    expect(contracts.LIST_CAPS.ipAllowlist).toBe(domain.MAX_IP_ALLOWLIST * 10);
    expect(contracts.LIST_CAPS.usageAlertThresholds).toBe(
      domain.MAX_USAGE_ALERT_THRESHOLDS,
    );
    expect(contracts.LIST_CAPS.permissions).toBe(domain.PERMISSIONS.length * 2);
  });
});
