import { describe, expect, it } from '@jest/globals';

import { create } from '../testing/commands.js';
import {
  actors,
  context,
  given,
  history,
  NOW,
  ORG_ID,
} from '../testing/decider-spec.js';
import { decide } from './decide.js';
import { EVENT_SCHEMA_VERSIONS, EVENT_TYPES } from './events.js';

describe('decide', () => {
  it('stamps every event with its schema version and the command metadata', () => {
    const ctx = context({
      commandId: 'cmd-42',
      correlationId: 'corr-9',
      causationId: 'cause-3',
      reference: 'SUP-1',
    });
    const [event] = decide(null, create(), ctx);
    expect(event?.schemaVersion).toBe(1);
    expect(event?.metadata).toEqual({
      orgId: ORG_ID,
      actor: actors.support,
      reference: 'SUP-1',
      commandId: 'cmd-42',
      correlationId: 'corr-9',
      causationId: 'cause-3',
      occurredAt: NOW.toISOString(),
    });
  });

  it('refuses any command but creation for an organization that does not exist', () => {
    given()
      .when({ type: 'UpdateProfile', payload: { displayName: 'X' } })
      .thenRefuses('NOT_FOUND');
  });

  it('authorizes before reading state: a forbidden actor learns nothing of the organization', () => {
    given()
      .when(
        { type: 'AddMember', payload: { userId: 'u', role: 'viewer' } },
        {
          actor: actors.service,
        },
      )
      .thenRefuses('FORBIDDEN');
  });

  it('records nothing and refuses nothing for a command that changes nothing', () => {
    given(...history(create()))
      .when({
        type: 'ChangeSecuritySettings',
        payload: { sessionTimeoutMinutes: 720 },
      })
      .thenNothing();
  });

  it('gives every event type a schema version of at least 1', () => {
    expect(EVENT_TYPES).toHaveLength(24);
    for (const type of EVENT_TYPES) {
      expect(EVENT_SCHEMA_VERSIONS[type]).toBeGreaterThanOrEqual(1);
    }
  });
});
