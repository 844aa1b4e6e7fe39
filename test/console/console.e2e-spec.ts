import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import Database from 'better-sqlite3';

import type { Browser } from 'playwright-core';

import { AppHarness } from '../support/app-harness.js';
import {
  createOrganization,
  envelope,
  uniqueName,
} from '../support/envelopes.js';
import { ConsoleTab, launchChromium } from './support/console-browser.js';

const HOUR = 3_600_000;
// A browser on a busy machine: each step waits on page state, bounded here.
const SLOW = 60_000;

describe('the console in a browser', () => {
  let app: AppHarness;
  let browser: Browser | undefined;
  let support: string;
  let acme: { id: string; name: string };
  let globex: { id: string; name: string };
  const tabs: ConsoleTab[] = [];
  const tag = uniqueName('console');

  async function open(): Promise<ConsoleTab> {
    if (browser === undefined) throw new Error('the browser did not start');
    const tab = await ConsoleTab.open(browser, app.baseUrl);
    tabs.push(tab);
    return tab;
  }

  async function seed(): Promise<string> {
    const as = (orgId: string, reference?: string) => ({
      orgId,
      ...(reference === undefined ? {} : { reference }),
    });
    acme.id = (
      await app.accepted(
        support,
        createOrganization(acme.name, {
          displayName: 'Acme Industrial',
          environment: 'production',
          businessUnit: 'industrial',
          region: 'eu',
          labels: { tier: 'gold' },
        }),
      )
    ).orgId as string;
    globex.id = (
      await app.accepted(
        support,
        createOrganization(globex.name, {
          displayName: 'Globex Staging',
          environment: 'staging',
          region: 'us',
        }),
      )
    ).orgId as string;
    await app.accepted(
      support,
      envelope(
        'SetResourceLimit',
        { resource: 'devices', limit: 100 },
        as(acme.id, 'SUP-101'),
      ),
    );
    await app.accepted(
      app.tokens.service,
      envelope(
        'AllocateResource',
        { resource: 'devices', quantity: 85, idempotencyKey: 'batch-1' },
        as(acme.id),
      ),
    );
    app.clock.advance(HOUR);
    await app.accepted(
      support,
      envelope(
        'UpdateProfile',
        { displayName: 'Acme Industrial IoT' },
        as(acme.id, 'SUP-202'),
      ),
    );
    await app.accepted(
      support,
      envelope(
        'RequestDeletion',
        { gracePeriodDays: 7, reason: 'customer left' },
        as(globex.id, 'SUP-301'),
      ),
    );
    await app.accepted(
      support,
      envelope(
        'PlaceLegalHold',
        { caseReference: 'CASE-9', reason: 'litigation pending' },
        as(globex.id, 'SUP-302'),
      ),
    );
    const last = await app.accepted(
      support,
      envelope(
        'AddMember',
        { userId: 'viewer-9', role: 'viewer' },
        as(acme.id, 'SUP-203'),
      ),
    );
    return last.position as string;
  }

  beforeAll(async () => {
    app = await AppHarness.start();
    support = app.tokens.support;
    acme = { id: '', name: `${tag}-acme` };
    globex = { id: '', name: `${tag}-globex` };
    const position = await seed();
    // Both read models hold every seeded write before a page asks.
    for (const path of ['/v1/organizations', '/v1/audit']) {
      const reply = await app.get(support, `${path}?after=${position}&limit=1`);
      expect(reply.status).toBe(200);
    }
    browser = await launchChromium();
  }, SLOW);

  afterAll(async () => {
    await Promise.all(tabs.map((tab) => tab.close()));
    await browser?.close();
    await app.stop();
  }, SLOW);

  it(
    'signs in with the keyboard and says in words when a token is unknown',
    async () => {
      const tab = await open();
      await tab.heading('Sign in');
      await tab.screenshot('sign-in');

      await tab.page.keyboard.press('Tab');
      await tab.page.keyboard.type('not-a-token');
      await tab.page.keyboard.press('Enter');
      await tab.textOnceContains(
        tab.page.getByRole('alert'),
        'Your token is unknown or has expired',
      );

      await tab.page.getByLabel('Bearer token').fill(support);
      await tab.page.getByLabel('Bearer token').press('Enter');
      await tab.heading('Fleet');
      expect(
        await tab.page.evaluate('sessionStorage.length + localStorage.length'),
      ).toBe(1);
      expect(await tab.page.evaluate('document.cookie')).toBe('');
    },
    SLOW,
  );

  it(
    'finds an organization with the keyboard, opens it and reads a limit against its usage',
    async () => {
      const tab = await open();
      await tab.signIn(support);

      await tab.page.keyboard.press('Tab');
      await tab.page.keyboard.type(acme.name);
      await tab.page.keyboard.press('Enter');
      const rows = tab.page.locator('main table tbody tr');
      await tab.textOnceContains(rows, acme.name);
      expect(await rows.count()).toBe(1);
      await tab.screenshot('fleet');

      await tab.page.getByRole('link', { name: acme.name }).focus();
      await tab.page.keyboard.press('Enter');
      await tab.heading(`Acme Industrial IoT (${acme.name})`);
      const devices = tab.page.locator('[data-resource="devices"]');
      expect(await devices.textContent()).toContain('85 of 100 used (85%)');
      expect(await devices.textContent()).toContain('past an alert');
      const meter = tab.page.getByRole('meter', { name: 'Devices usage' });
      expect(await meter.getAttribute('aria-valuenow')).toBe('85');
      expect(await meter.getAttribute('aria-valuemax')).toBe('100');
      const marks = devices.locator('.usage-mark');
      expect(await marks.count()).toBe(2);
      expect(await marks.first().getAttribute('title')).toBe('alert at 80%');
      expect(
        await tab.page.locator('[data-resource="users"]').textContent(),
      ).toContain('2 of 50 used');

      const page = await tab.page.locator('main').textContent();
      expect(page).toContain('production');
      expect(page).toContain('tier: gold');
      expect(page).toContain('viewer-9');
      expect(page).toContain('not scheduled');
      await tab.textOnceContains(
        tab.page.locator('#integrity').locator('..'),
        'Verified: the chain of 6 events is intact.',
      );
      await tab.screenshot('organization');
      expect(tab.foreignRequests).toEqual([]);
      expect(tab.errors).toEqual([]);
    },
    SLOW,
  );

  it(
    'shows the history, filters it, and travels back to an earlier revision',
    async () => {
      const tab = await open();
      await tab.signIn(support);
      await tab.go(`/org/${acme.id}`);
      await tab.page.getByRole('link', { name: 'History' }).click();
      await tab.heading(`History of ${acme.name}`);
      const rows = tab.page.locator('main table tbody tr');
      await tab.textOnceContains(rows, 'MemberAdded');
      expect(await rows.count()).toBe(6);
      await tab.screenshot('history');

      await tab.page.getByLabel('Event type').selectOption('ProfileUpdated');
      await tab.page.getByLabel('Actor').fill('support:agent-7');
      await tab.page.getByRole('button', { name: 'Filter' }).click();
      await tab.textOnceContains(
        tab.page.locator('main .count'),
        '1 entry on this page.',
      );
      const entry = await rows.first().textContent();
      expect(entry).toContain('support:agent-7');
      expect(entry).toContain('SUP-202');
      expect(entry).toContain('2026-12-01 10:00:00 UTC');
      expect(entry).toContain('profile.displayName');
      expect(await rows.first().locator('.before').first().textContent()).toBe(
        'Acme Industrial',
      );
      expect(await rows.first().locator('.after').first().textContent()).toBe(
        'Acme Industrial IoT',
      );
      await tab.screenshot('history-filtered');

      await tab.page.getByLabel('From (UTC)').fill('2026-12-01T09:30:00');
      await tab.page.getByLabel('Event type').selectOption('');
      await tab.page.getByLabel('Actor').fill('');
      await tab.page.getByRole('button', { name: 'Filter' }).click();
      await tab.textOnceContains(
        tab.page.locator('main .count'),
        '2 entries on this page.',
      );

      await tab.go(`/org/${acme.id}/history?type=ResourceAllocated`);
      await tab.textOnceContains(rows, 'ResourceAllocated');
      await rows
        .first()
        .getByRole('link', { name: /^State at revision/ })
        .click();
      await tab.heading(`Time travel: ${acme.name}`);
      const changed = tab.page.locator('table.diff tr.changed');
      const displayName = changed.filter({ hasText: 'profile.displayName' });
      await displayName.waitFor();
      expect(await displayName.locator('td.then').textContent()).toBe(
        'Acme Industrial',
      );
      expect(await displayName.locator('td.against').textContent()).toBe(
        'Acme Industrial IoT',
      );
      expect(
        await changed.filter({ hasText: 'members[viewer-9]' }).count(),
      ).toBeGreaterThan(0);
      expect(
        await tab.page.locator('table.diff tr.same').first().isVisible(),
      ).toBe(false);
      await tab.screenshot('time-travel');

      await tab.page.getByLabel('Revision', { exact: true }).fill('0');
      await tab.page
        .getByRole('button', { name: 'Show the state then' })
        .click();
      const usage = tab.page
        .locator('table.diff tr.changed')
        .filter({ hasText: 'usage.devices' });
      await usage.waitFor();
      expect(await usage.locator('td.then').textContent()).toBe('0');
      expect(await usage.locator('td.against').textContent()).toBe('85');

      await tab.page.getByLabel('Compare with revision').fill('1');
      await tab.page
        .getByRole('button', { name: 'Show the state then' })
        .click();
      await tab.textOnceContains(
        tab.page.locator('main .count'),
        '1 field differs from revision 1.',
      );
      const limit = tab.page.locator('table.diff tr.changed');
      expect(await limit.locator('th').textContent()).toBe('limits.devices');
      expect(await limit.locator('td.then').textContent()).toBe('10000');
      expect(await limit.locator('td.against').textContent()).toBe('100');

      const same = tab.page
        .locator('table.diff tr.same')
        .filter({ hasText: 'profile.displayName' });
      expect(await same.isVisible()).toBe(false);
      await tab.page.getByLabel('Show only the fields that differ').uncheck();
      expect(await same.isVisible()).toBe(true);
      expect(await same.locator('td.then').textContent()).toBe(
        'Acme Industrial',
      );
    },
    SLOW,
  );

  it(
    'filters the fleet by environment, business unit, region and label',
    async () => {
      const tab = await open();
      await tab.signIn(support);
      const rows = tab.page.locator('main table tbody tr');
      const search = async (environment: string) => {
        await tab.page.getByLabel('Name starts with').fill(tag);
        await tab.page.getByLabel('Environment').fill(environment);
        await tab.page.getByLabel('Business unit').fill('industrial');
        await tab.page.getByLabel('Region').fill('eu');
        await tab.page.getByLabel('Label').fill('tier:gold');
        await tab.page.getByRole('button', { name: 'Search' }).click();
      };
      await search('production');
      await tab.textOnceContains(rows, acme.name);
      expect(await rows.count()).toBe(1);
      expect(tab.page.url()).toContain('label=tier%3Agold');

      await search('staging');
      await tab.textOnceContains(
        tab.page.locator('main'),
        'No organization matches these filters.',
      );
      expect(await rows.count()).toBe(0);
    },
    SLOW,
  );

  it(
    'finds an organization by status and shows its legal hold and deletion schedule',
    async () => {
      const tab = await open();
      await tab.signIn(support);
      await tab.page.getByLabel('Name starts with').fill(tag);
      await tab.page.getByLabel('Status').selectOption('deletion_scheduled');
      await tab.page.getByRole('button', { name: 'Search' }).click();
      const rows = tab.page.locator('main table tbody tr');
      await tab.textOnceContains(rows, globex.name);
      expect(await rows.count()).toBe(1);
      expect(await rows.first().textContent()).toContain('deletion scheduled');

      await tab.page.getByRole('link', { name: globex.name }).click();
      await tab.heading(`Globex Staging (${globex.name})`);
      const lifecycle = tab.page.locator('#lifecycle').locator('..');
      const text = await lifecycle.textContent();
      expect(text).toContain('CASE-9: litigation pending');
      expect(text).toContain(
        "scheduled for 2026-12-08 10:00:00 UTC (requested 2026-12-01 10:00:00 UTC, 7 days' grace)",
      );
      expect(text).toContain('customer left');
      await tab.screenshot('organization-lifecycle');
    },
    SLOW,
  );

  it(
    'shows where the history of an organization was altered',
    async () => {
      const forged = (
        await app.accepted(support, createOrganization(uniqueName('forged')))
      ).orgId as string;
      await app.accepted(
        support,
        envelope(
          'UpdateProfile',
          { displayName: 'Forged Ltd' },
          { orgId: forged, reference: 'SUP-401' },
        ),
      );
      const db = new Database(join(app.dataDir, 'events.sqlite'));
      try {
        db.prepare(
          `UPDATE events SET data = json_set(data, '$.displayName', 'Altered')
           WHERE stream_id = ? AND revision = 1`,
        ).run(`organization-${forged}`);
      } finally {
        db.close();
      }

      const tab = await open();
      await tab.signIn(support);
      await tab.go(`/org/${forged}`);
      const alert = tab.page
        .locator('#integrity')
        .locator('..')
        .getByRole('alert');
      const text = await tab.textOnceContains(alert, 'Broken at revision 1');
      expect(text).not.toContain('Verified');
      await tab.screenshot('organization-integrity-broken');
    },
    SLOW,
  );

  it(
    'pages the fleet and the history with next and previous links',
    async () => {
      const tab = await open();
      await tab.signIn(support);
      const rows = tab.page.locator('main table tbody tr');
      const next = tab.page.getByRole('link', { name: 'Next page' });
      const previous = tab.page.getByRole('link', { name: 'Previous page' });
      await tab.go(`/fleet?namePrefix=${tag}&limit=1`);
      await tab.textOnceContains(rows, acme.name);
      expect(await previous.count()).toBe(0);
      await next.click();
      await tab.textOnceContains(rows, globex.name);
      expect(await next.count()).toBe(0);
      await previous.click();
      await tab.textOnceContains(rows, acme.name);
      expect(await previous.count()).toBe(0);

      await tab.go(`/org/${acme.id}/history?order=oldest&limit=4`);
      await tab.textOnceContains(
        tab.page.locator('main .count'),
        '4 entries on this page.',
      );
      expect(await rows.first().textContent()).toContain('OrganizationCreated');
      await next.click();
      await tab.textOnceContains(
        tab.page.locator('main .count'),
        '2 entries on this page.',
      );
      expect(await rows.first().textContent()).toContain('ProfileUpdated');
      expect(await next.count()).toBe(0);
    },
    SLOW,
  );

  it(
    'lists the fleet audit with the same filters and downloads the export',
    async () => {
      const tab = await open();
      await tab.signIn(support);
      await tab.go(`/audit?orgId=${globex.id}`);
      await tab.heading('Fleet audit');
      const rows = tab.page.locator('main table tbody tr');
      await tab.textOnceContains(rows, 'LegalHoldPlaced');
      expect(await rows.count()).toBe(3);
      expect(await rows.nth(2).textContent()).toContain('OrganizationCreated');
      expect(await rows.first().textContent()).toContain(globex.name);
      expect(await rows.first().textContent()).toContain('SUP-302');
      await tab.screenshot('fleet-audit');

      const [csv] = await Promise.all([
        tab.page.waitForEvent('download'),
        tab.page.getByRole('button', { name: 'Download CSV' }).click(),
      ]);
      expect(csv.suggestedFilename()).toBe('audit.csv');
      const lines = (await readFile(await csv.path(), 'utf8'))
        .trim()
        .split('\n');
      expect(lines[0]).toMatch(/^position,occurredAt,orgId,orgName,eventType/);
      expect(lines).toHaveLength(4);
      expect(lines[1]).toContain(globex.id);

      const [ndjson] = await Promise.all([
        tab.page.waitForEvent('download'),
        tab.page.getByRole('button', { name: 'Download NDJSON' }).click(),
      ]);
      const entries = (await readFile(await ndjson.path(), 'utf8'))
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { orgId: string });
      expect(entries.map((e) => e.orgId)).toEqual([
        globex.id,
        globex.id,
        globex.id,
      ]);
    },
    SLOW,
  );

  it(
    "shows a user of one organization nothing of another's",
    async () => {
      const owner = app.tokens.user(acme.id, 'owner-1');
      const tab = await open();
      await tab.signIn(owner);
      const rows = tab.page.locator('main table tbody tr');
      await tab.textOnceContains(rows, acme.name);
      expect(await rows.count()).toBe(1);

      await tab.go(`/org/${globex.id}`);
      await tab.heading('Not found');
      const words = await tab.page.locator('main').textContent();
      expect(words).toContain(
        'Not found: it does not exist, or you are not allowed to see it.',
      );
      expect(words).not.toContain(globex.name);
      await tab.screenshot('user-other-organization');

      await tab.go(`/audit?orgId=${globex.id}`);
      await tab.heading('Fleet audit');
      await tab.textOnceContains(tab.page.getByRole('alert'), 'Not found');
      expect(await tab.page.locator('main').textContent()).not.toContain(
        globex.name,
      );

      await tab.go(`/org/${acme.id}/history`);
      await tab.textOnceContains(
        tab.page.locator('main table tbody'),
        'OrganizationCreated',
      );
    },
    SLOW,
  );

  it(
    'says in words when a page is not allowed, the token expired, or the service is down',
    async () => {
      const viewer = app.tokens.user(acme.id, 'viewer-9');
      const tab = await open();
      await tab.signIn(viewer);
      await tab.go(`/org/${acme.id}`);
      await tab.textOnceContains(
        tab.page.locator('main'),
        'Not shown: You are not allowed to see this.',
      );
      await tab.go(`/org/${acme.id}/history`);
      await tab.textOnceContains(
        tab.page.getByRole('alert'),
        'You are not allowed to see this.',
      );
      expect(await tab.page.locator('main').textContent()).toContain(
        'audit:read',
      );
      await tab.screenshot('not-allowed');

      await tab.page.route('**/v1/**', (route) => route.abort());
      await tab.go('/fleet?namePrefix=acme');
      await tab.textOnceContains(
        tab.page.getByRole('alert'),
        'The service is unavailable right now.',
      );
      await tab.page.unroute('**/v1/**');
      await tab.page.route('**/v1/**', (route) =>
        route.fulfill({
          status: 500,
          contentType: 'application/problem+json',
          headers: { 'x-correlation-id': 'corr-500' },
          body: JSON.stringify({
            code: 'INTERNAL',
            detail: 'the service failed',
          }),
        }),
      );
      await tab.go(`/org/${acme.id}`);
      await tab.heading('Service unavailable');
      const words = await tab.page.locator('main').textContent();
      expect(words).toContain('Correlation id: corr-500');
      expect(words).not.toMatch(/at \w+ \(|Error:/);
      await tab.screenshot('service-unavailable');
      await tab.page.unroute('**/v1/**');

      await tab.page.evaluate(
        "sessionStorage.setItem('organizations-console.token', 'expired-token')",
      );
      await tab.go('/fleet');
      await tab.heading('Sign in');
      await tab.textOnceContains(
        tab.page.getByRole('alert'),
        'Your token is unknown or has expired. Sign in again',
      );
      expect(await tab.page.evaluate('sessionStorage.length')).toBe(0);
    },
    SLOW,
  );

  it(
    'labels every form control and keeps every text readable, on every page',
    async () => {
      const tab = await open();
      await tab.heading('Sign in');
      expect(await tab.unlabelledControls()).toEqual([]);
      expect(await tab.lowContrastText()).toEqual([]);
      await tab.signIn(support);
      const pages: [string, string | RegExp][] = [
        ['/fleet', 'Fleet'],
        [`/org/${acme.id}`, /Acme Industrial IoT/],
        [`/org/${acme.id}/history`, /History of/],
        [`/org/${acme.id}/time-travel?revision=1`, /Time travel/],
        ['/audit', 'Fleet audit'],
        ['/org/00000000-0000-7000-8000-000000000000', 'Not found'],
      ];
      for (const [route, heading] of pages) {
        await tab.go(route);
        await tab.heading(heading);
        await tab.page
          .locator('main[aria-busy]')
          .waitFor({ state: 'detached' });
        expect({
          route,
          unlabelled: await tab.unlabelledControls(),
          lowContrast: await tab.lowContrastText(),
        }).toEqual({ route, unlabelled: [], lowContrast: [] });
      }
    },
    SLOW,
  );
});
