import { describe, expect, it } from '@jest/globals';

import type { RecordedEvent } from '@org/event-store';

import {
  CREATE,
  ORG_ID,
  recordedHistory,
} from '../testing/recorded-history.js';
import {
  applyToView,
  EventNotApplicableError,
  type OrganizationView,
} from './organization-view.js';

function fold(events: readonly RecordedEvent[]): OrganizationView | null {
  return events.reduce<OrganizationView | null>(applyToView, null);
}

describe('applying recorded events to an organization view', () => {
  const [created, renamed] = recordedHistory(CREATE, {
    type: 'UpdateProfile',
    payload: { displayName: 'Acme' },
  });
  if (created === undefined || renamed === undefined) throw new Error('setup');

  it('folds through the domain and keeps the revision and times', () => {
    const view = fold([created, renamed]);

    expect(view).toMatchObject({
      id: ORG_ID,
      profile: { displayName: 'Acme' },
      revision: 1,
      createdAt: created.metadata.occurredAt,
      updatedAt: renamed.metadata.occurredAt,
    });
    expect(view).not.toHaveProperty('recentIdempotencyKeys');
  });

  it.each<[string, RecordedEvent, string]>([
    [
      'an unknown type',
      { ...renamed, type: 'ProfileTeleported' },
      'unknown event type',
    ],
    ['a newer schema', { ...renamed, schemaVersion: 2 }, 'schema version 2'],
    [
      'another organization',
      { ...renamed, metadata: { ...renamed.metadata, orgId: 'other' } },
      'metadata.orgId',
    ],
    [
      'missing metadata',
      { ...renamed, metadata: { orgId: ORG_ID } },
      'metadata lacks commandId, correlationId, causationId, occurredAt, actor',
    ],
    ['a gap in the stream', { ...renamed, revision: 2 }, 'does not follow'],
    [
      'another aggregate',
      { ...renamed, streamId: `name-reservation-x` },
      'not an organization stream',
    ],
  ])('refuses %s with the reason', (_case, event, reason) => {
    const view = fold([created]);

    expect(() => applyToView(view, event)).toThrow(EventNotApplicableError);
    expect(() => applyToView(view, event)).toThrow(reason);
  });

  it('refuses a change to an organization never created', () => {
    expect(() => applyToView(null, { ...renamed, revision: 0 })).toThrow(
      'does not follow no organization',
    );
  });
});
