import { describe, expect, it } from '@jest/globals';

import type { OrganizationCommand } from '@org/domain';

import {
  applyToView,
  type OrganizationView,
} from '../organization/organization-view.js';
import { CREATE, recordedHistory } from '../testing/recorded-history.js';
import { fieldChanges, personalMarkers } from './field-changes.js';

/** The view before and after the last command. */
function lastStep(...commands: OrganizationCommand[]) {
  const views = recordedHistory(CREATE, ...commands).reduce<OrganizationView[]>(
    (all, event) => [...all, applyToView(all.at(-1) ?? null, event)],
    [],
  );
  const after = views.at(-1);
  if (after === undefined) throw new Error('no events');
  return { before: views.at(-2) ?? null, after };
}

describe('the fields an event changed', () => {
  it('names leaf paths with the values before and after', () => {
    const { before, after } = lastStep({
      type: 'ChangeSecuritySettings',
      payload: {
        sessionTimeoutMinutes: 60,
        apiKeyRotation: { maxAgeDays: 90, warnBeforeDays: 7 },
      },
    });

    expect(fieldChanges(before, after)).toEqual([
      { path: 'security.sessionTimeoutMinutes', before: 720, after: 60 },
      { path: 'security.apiKeyRotation.maxAgeDays', before: null, after: 90 },
      { path: 'security.apiKeyRotation.warnBeforeDays', before: 0, after: 7 },
    ]);
  });

  it('names the one element of a keyed collection that came or went', () => {
    const added = lastStep({
      type: 'RecordDeploymentStarted',
      payload: { deploymentId: 'd-1' },
    });
    const removed = lastStep(
      { type: 'AddMember', payload: { userId: 'u-2', role: 'viewer' } },
      { type: 'RemoveMember', payload: { userId: 'u-2' } },
    );

    expect(fieldChanges(added.before, added.after)).toEqual([
      { path: 'activeDeployments', before: null, after: 'd-1' },
    ]);
    expect(fieldChanges(removed.before, removed.after)).toEqual([
      {
        path: 'members',
        before: { userId: 'u-2', role: 'viewer', permissions: [] },
        after: null,
      },
    ]);
  });

  it('replaces a plain list as a whole', () => {
    const { before, after } = lastStep({
      type: 'ChangeBillingSettings',
      payload: { usageAlertThresholds: [50, 90] },
    });

    expect(fieldChanges(before, after)).toEqual([
      {
        path: 'billing.usageAlertThresholds',
        before: [80, 100],
        after: [50, 90],
      },
    ]);
  });

  it('marks e-mails and member ids as personal', () => {
    expect(
      personalMarkers([
        { path: 'profile.contactEmail', before: 'a@x.example', after: null },
        { path: 'members', before: null, after: { userId: 'u' } },
        { path: 'members', before: { userId: 'v' }, after: null },
        { path: 'usage.devices', before: 1, after: 2 },
      ]),
    ).toEqual(['profile.contactEmail', 'members.userId']);
  });
});
