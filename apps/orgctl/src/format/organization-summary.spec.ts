import { describe, expect, it } from '@jest/globals';

import type { OrganizationView } from '../queries/organization-view.js';
import { renderOrganization } from './organization-summary.js';

const VIEW: OrganizationView = {
  orgId: '0192f6c3-0000-7000-8000-000000000001',
  revision: 6,
  state: {
    id: '0192f6c3-0000-7000-8000-000000000001',
    name: 'acme-iot',
    status: 'deletion_scheduled',
    profile: { displayName: 'Acme IoT' },
    limits: { products: 100, devices: null, users: 50 },
    usage: { products: 2, devices: 0 },
    ownerUserId: 'u-2',
    members: [
      { userId: 'u-1', role: 'admin', permissions: [] },
      { userId: 'u-2', role: 'owner', permissions: ['audit:read'] },
    ],
    legalHolds: [
      { caseReference: 'CASE-7', reason: 'litigation' },
      { caseReference: 'CASE-9', reason: 'audit' },
    ],
    deletion: {
      requestedAt: '2026-12-01T09:00:00.000Z',
      effectiveAt: '2026-12-08T09:00:00.000Z',
      gracePeriodDays: 7,
      reason: null,
      blockedBy: [{ precondition: 'legal_hold', caseReferences: ['CASE-7'] }],
    },
    suspensionReason: null,
  },
};

describe('renderOrganization', () => {
  it('summarizes identity, lifecycle, limits against usage and members', () => {
    expect(renderOrganization(VIEW)).toBe(
      [
        'name          acme-iot',
        'id            0192f6c3-0000-7000-8000-000000000001',
        'status        deletion_scheduled',
        'display name  Acme IoT',
        'revision      6',
        'owner         u-2',
        'legal holds   CASE-7 (litigation)',
        '              CASE-9 (audit)',
        'deletion      effective 2026-12-08T09:00:00.000Z (requested ' +
          '2026-12-01T09:00:00.000Z, 7 days of grace); blocked by legal_hold',
        '',
        'resource  limit      usage',
        '--------  ---------  -----',
        'products  100        2',
        'devices   unlimited  0',
        'users     50         2',
        '',
        'member  role   extra permissions',
        '------  -----  -----------------',
        'u-1     admin  -',
        'u-2     owner  audit:read',
      ].join('\n'),
    );
  });

  it('says when nothing holds or is scheduled, and why it is suspended', () => {
    const text = renderOrganization({
      ...VIEW,
      state: {
        ...VIEW.state,
        status: 'suspended',
        suspensionReason: 'unpaid invoices',
        legalHolds: [],
        deletion: null,
      },
    });

    expect(text).toContain('status        suspended (unpaid invoices)');
    expect(text).toContain('legal holds   none');
    expect(text).toContain('deletion      not scheduled');
  });
});
