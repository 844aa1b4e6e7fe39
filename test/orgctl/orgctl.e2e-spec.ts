import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { BusFixture } from '../bus/bus-fixture.js';
import { AppHarness } from '../support/app-harness.js';
import { uniqueName } from '../support/envelopes.js';
import { makeTempDir, removeTempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait-for.js';
import { OrgctlBinary, type OrgctlRun } from './support/orgctl-binary.js';

const HOUR = 3_600_000;
const BUILD_TIMEOUT_MS = 90_000;
// Each step spawns the binary a few times; a loaded machine slows that down.
const STEP_TIMEOUT_MS = 60_000;

let orgctl: OrgctlBinary | undefined;

beforeAll(async () => {
  orgctl = await OrgctlBinary.build();
}, BUILD_TIMEOUT_MS);

afterAll(async () => {
  await orgctl?.remove();
});

function binary(): OrgctlBinary {
  if (orgctl === undefined) throw new Error('orgctl was not built');
  return orgctl;
}

// The replies are JSON of many shapes; the assertions check them.
function parsed(run: OrgctlRun) {
  expect({ code: run.code, stderr: run.stderr }).toEqual({
    code: 0,
    stderr: '',
  });
  return JSON.parse(run.stdout);
}

describe('a support session through the orgctl binary', () => {
  let app: AppHarness;
  let backups: string;
  const name = uniqueName('orgctl');
  let orgId: string;
  let beforeTransfer: string;

  // The port changes when the service restarts.
  const cli = (...args: string[]) =>
    binary().run(args, {
      ORGCTL_URL: app.baseUrl,
      ORGCTL_TOKEN: app.tokens.support,
    });
  const as = (...args: string[]) => cli('--json', ...args).then(parsed);
  // No service address that answers: offline means offline.
  const offline = (history: string, digest: string, publicKey: string) =>
    binary().run(
      [
        'integrity',
        'verify-offline',
        '--history',
        history,
        '--digest',
        digest,
        '--public-key',
        publicKey,
      ],
      { ORGCTL_URL: 'http://127.0.0.1:9' },
    );

  beforeAll(async () => {
    // Periods of 30 days: the timer makes no second digest while the
    // session moves the clock by hours, so event counts stay put.
    app = await AppHarness.start({
      INTEGRITY_DIGEST_EVERY_MS: String(30 * 24 * HOUR),
    });
    backups = await makeTempDir('orgctl-backups');
  }, STEP_TIMEOUT_MS);

  afterAll(async () => {
    await app.stop();
    await removeTempDir(backups);
  });

  it(
    'creates an organization',
    async () => {
      const reply = await as(
        'create-organization',
        '--ref',
        'SUP-1',
        '--name',
        name,
        '--display-name',
        'Acme IoT',
        '--contact-email',
        'ops@acme.example',
        '--owner-user-id',
        'owner-1',
        '--labels',
        'tier=gold',
      );

      expect(reply).toMatchObject({ status: 'accepted', revision: 0 });
      expect(reply.events.map((e: { type: string }) => e.type)).toContain(
        'OrganizationCreated',
      );
      orgId = reply.orgId;
    },
    STEP_TIMEOUT_MS,
  );

  it(
    'configures security settings, printing a table',
    async () => {
      app.clock.advance(HOUR);

      const run = await cli(
        'change-security-settings',
        '--org',
        orgId,
        '--ref',
        'SUP-2',
        '--two-factor-required',
        '--session-timeout-minutes',
        '60',
        '--ip-allowlist',
        '203.0.113.0/24,2001:db8::/32',
        '--api-key-rotation',
        'max-age-days=90,warn-before-days=14',
      );

      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(
        /^status +accepted \(ChangeSecuritySettings\)$/m,
      );
      expect(run.stdout).toMatch(/^revision +1$/m);
      expect(run.stdout).toMatch(/^events +SecuritySettingsChanged$/m);
    },
    STEP_TIMEOUT_MS,
  );

  it(
    'changes labels and adds a member',
    async () => {
      app.clock.advance(HOUR);
      const labels = await as(
        'change-labels',
        '--org',
        orgId,
        '--ref',
        'SUP-2',
        '--environment',
        'production',
        '--labels',
        'tier=platinum',
        '--labels',
        'cost.center=42',
      );
      app.clock.advance(HOUR);
      const member = await as(
        'add-member',
        '--org',
        orgId,
        '--ref',
        'SUP-3',
        '--user-id',
        'user-2',
        '--role',
        'developer',
        '--permissions',
        'audit:read',
      );

      expect([labels.revision, member.revision]).toEqual([2, 3]);
    },
    STEP_TIMEOUT_MS,
  );

  it(
    'transfers ownership',
    async () => {
      beforeTransfer = app.clock.now().toISOString();
      app.clock.advance(HOUR);

      const reply = await as(
        'transfer-ownership',
        '--org',
        orgId,
        '--ref',
        'SUP-4',
        '--new-owner-user-id',
        'user-2',
        '--previous-owner-role',
        'admin',
      );

      expect(reply.events.map((e: { type: string }) => e.type)).toEqual([
        'OwnershipTransferred',
      ]);
    },
    STEP_TIMEOUT_MS,
  );

  it(
    'reads the organization as a table and as JSON',
    async () => {
      const table = await cli('org', 'get', orgId);
      const view = await as('org', 'get', orgId);

      expect(table.code).toBe(0);
      expect(table.stdout).toMatch(new RegExp(`^name +${name}$`, 'm'));
      expect(table.stdout).toMatch(/^owner +user-2$/m);
      expect(table.stdout).toMatch(/^user-2 +owner +-$/m);
      expect(table.stdout).toMatch(/^owner-1 +admin +-$/m);
      expect(table.stdout).toMatch(/^users +50 +2$/m);
      expect(view).toMatchObject({
        orgId,
        revision: 4,
        state: {
          ownerUserId: 'user-2',
          labels: { environment: 'production' },
          security: { twoFactorRequired: true, sessionTimeoutMinutes: 60 },
        },
      });
    },
    STEP_TIMEOUT_MS,
  );

  it(
    'travels back to a revision and to a moment',
    async () => {
      const atRevision = await as('org', 'at', orgId, '--revision', '1');
      const atMoment = await as('org', 'at', orgId, '--at', beforeTransfer);

      expect(atRevision).toMatchObject({
        revision: 1,
        state: { labels: { labels: { tier: 'gold' } }, ownerUserId: 'owner-1' },
      });
      expect(atMoment).toMatchObject({
        revision: 3,
        state: { ownerUserId: 'owner-1' },
      });
    },
    STEP_TIMEOUT_MS,
  );

  it(
    'diffs two revisions',
    async () => {
      const run = await cli('org', 'diff', orgId, '--from', '1', '--to', '4');
      const json = await as('org', 'diff', orgId, '--from', '1', '--to', '4');

      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^ownerUserId +"owner-1" +"user-2"$/m);
      expect(run.stdout).toMatch(/^labels\.environment +null +"production"$/m);
      expect(json.changes).toContainEqual({
        path: 'members[userId=user-2]',
        kind: 'added',
        after: { userId: 'user-2', role: 'owner', permissions: [] },
      });
    },
    STEP_TIMEOUT_MS,
  );

  it(
    'lists the fleet and queries the audit history',
    async () => {
      // The read models follow the log; wait until they hold the transfer.
      await waitFor(
        async () => {
          const { body } = await app.get(
            app.tokens.support,
            `/v1/audit?orgId=${orgId}`,
          );
          return (body.items as unknown[]).length === 5;
        },
        { timeoutMs: 10_000, intervalMs: 50, description: 'the audit entries' },
      );

      const fleet = await as('org', 'list', '--name-prefix', name);
      const table = await cli(
        'org',
        'list',
        '--name-prefix',
        name,
        '--environment',
        'production',
      );
      const history = await as('audit', '--org', orgId, '--order', 'oldest');
      const transfers = await cli(
        'audit',
        '--org',
        orgId,
        '--actor',
        'support:agent-7',
        '--type',
        'OwnershipTransferred',
      );

      expect(fleet.items.map((entry: { id: string }) => entry.id)).toEqual([
        orgId,
      ]);
      expect(table.stdout).toMatch(
        new RegExp(`^${name} +${orgId} +active +production +- +- +4$`, 'm'),
      );
      expect(
        history.items.map((entry: { eventType: string }) => entry.eventType),
      ).toEqual([
        'OrganizationCreated',
        'SecuritySettingsChanged',
        'LabelsChanged',
        'MemberAdded',
        'OwnershipTransferred',
      ]);
      expect(transfers.code).toBe(0);
      expect(transfers.stdout).toMatch(
        new RegExp(
          `^\\S+ +${name} +4 +OwnershipTransferred +support:agent-7 +SUP-4 +`,
          'm',
        ),
      );
      expect(transfers.stdout.trim().split('\n')).toHaveLength(3);
    },
    STEP_TIMEOUT_MS,
  );

  it(
    'exports the audit history to NDJSON and, filtered, to CSV files',
    async () => {
      const ndjson = join(backups, 'audit.ndjson');
      const csv = join(backups, 'audit.csv');

      const asNdjson = await as(
        'audit',
        'export',
        '--org',
        orgId,
        '--out',
        ndjson,
      );
      const asCsv = await cli(
        'audit',
        'export',
        '--org',
        orgId,
        '--type',
        'OwnershipTransferred',
        '--format',
        'csv',
        '--out',
        csv,
      );

      const entries = readFileSync(ndjson, 'utf8')
        .trim()
        .split('\n')
        .map(
          (line) => JSON.parse(line) as { eventType: string; orgId: string },
        );
      const rows = readFileSync(csv, 'utf8').trim().split('\n');
      expect(asNdjson).toMatchObject({ format: 'ndjson', entries: 5 });
      expect(entries).toHaveLength(5);
      expect(new Set(entries.map((entry) => entry.orgId))).toEqual(
        new Set([orgId]),
      );
      expect(asCsv.code).toBe(0);
      expect(asCsv.stdout).toMatch(/^entries +1$/m);
      expect(asCsv.stderr).toBe('');
      expect(rows[0]).toMatch(/^position,occurredAt,orgId,/);
      expect(rows).toHaveLength(2);
      expect(rows[1]).toContain(',OwnershipTransferred,support,agent-7,SUP-4,');
      expect(existsSync(`${csv}.partial`)).toBe(false);
    },
    STEP_TIMEOUT_MS,
  );

  it(
    'verifies the organization’s hash chain on the service',
    async () => {
      const report = await as('integrity', orgId);
      expect(report).toMatchObject({ valid: true });
      expect((await cli('integrity', orgId)).code).toBe(0);
    },
    STEP_TIMEOUT_MS,
  );

  it(
    'exports the history and a digest, and verifies them offline',
    async () => {
      const history = join(backups, 'history.json');
      const digest = join(backups, 'digest.json');
      const publicKey = join(app.dataDir, 'integrity-signing-key.pub.pem');
      const exported = await as('integrity', 'export', orgId, '--out', history);
      const signed = await as('integrity', 'digest', '--out', digest);

      const valid = await offline(history, digest, publicKey);

      expect(exported).toMatchObject({ orgId, events: 5, headRevision: 4 });
      expect(signed.organizations).toBeGreaterThanOrEqual(1);
      expect(valid.code).toBe(0);
      expect(valid.stdout).toMatch(/^VALID: organization /);
      expect(valid.stdout).toMatch(/^head +ok +revision 4 carries/m);
    },
    STEP_TIMEOUT_MS,
  );

  it(
    'names the first broken link of a tampered or cut history, and a foreign key',
    async () => {
      const digest = join(backups, 'digest.json');
      const publicKey = join(app.dataDir, 'integrity-signing-key.pub.pem');
      const exported = JSON.parse(
        readFileSync(join(backups, 'history.json'), 'utf8'),
      ) as { events: { data: Record<string, unknown> }[] };
      const changed = join(backups, 'changed.json');
      const cut = join(backups, 'cut.json');
      const foreignKey = join(backups, 'foreign.pub.pem');
      const events = exported.events;
      writeFileSync(
        changed,
        JSON.stringify({
          ...exported,
          events: events.map((e, i) =>
            i === 2 ? { ...e, data: { ...e.data, environment: 'dev' } } : e,
          ),
        }),
      );
      writeFileSync(
        cut,
        JSON.stringify({ ...exported, events: events.slice(0, 3) }),
      );
      writeFileSync(
        foreignKey,
        generateKeyPairSync('ed25519').publicKey.export({
          type: 'spki',
          format: 'pem',
        }),
      );

      const [tampered, shortened, foreign] = await Promise.all([
        offline(changed, digest, publicKey),
        offline(cut, digest, publicKey),
        offline(join(backups, 'history.json'), digest, foreignKey),
      ]);

      expect(tampered.code).toBe(1);
      expect(tampered.stderr).toMatch(
        /verification failed: history revision 2: .*does not match its hash/,
      );
      expect(tampered.stdout).toMatch(/^NOT VALID/);
      expect(shortened.code).toBe(1);
      expect(shortened.stderr).toContain(
        'verification failed: revision 3: the history ends at revision 2',
      );
      expect(foreign.code).toBe(1);
      expect(foreign.stderr).toContain('digest: signed with another key');
    },
    STEP_TIMEOUT_MS,
  );

  it(
    'lists the scheduled digests and verifies against the latest',
    async () => {
      // The schedule's own timer may have made it already.
      expect(['signed', 'present']).toContain(await app.signScheduledDigest());
      const latest = join(backups, 'latest.json');

      const listed = await as('integrity', 'digests');
      const table = await cli('integrity', 'digests');
      await as('integrity', 'digest', '--latest', '--out', latest);
      const valid = await offline(
        join(backups, 'history.json'),
        latest,
        join(app.dataDir, 'integrity-signing-key.pub.pem'),
      );

      expect(listed.items).toHaveLength(1);
      expect(table.stdout).toMatch(
        /^0 +2026-\S+ +2026-\S+ +\d+ +[0-9a-f]{16}…$/m,
      );
      expect(valid.code).toBe(0);
    },
    STEP_TIMEOUT_MS,
  );

  it(
    'shows the projections and rebuilds one until it replaces the live copy',
    async () => {
      const before = (await as('projections', 'status')) as {
        name: string;
        generation: number;
      }[];
      const audit = before.find((s) => s.name.includes('audit'));
      const rebuilt = await as('projections', 'rebuild', 'audit');
      expect(rebuilt).toMatchObject({ state: 'live' });
      expect(rebuilt.generation).toBeGreaterThan(audit?.generation ?? 0);
    },
    STEP_TIMEOUT_MS,
  );

  it(
    'exits 1 with the refusal code and correlation id on stderr',
    async () => {
      const run = await cli(
        'create-organization',
        '--ref',
        'SUP-5',
        '--name',
        name,
        '--display-name',
        'Again',
        '--contact-email',
        'x@acme.example',
        '--owner-user-id',
        'owner-9',
        '--correlation-id',
        'call-77',
      );

      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/^orgctl: NAME_TAKEN \(409\): /);
      expect(run.stderr).toContain('correlation id: call-77');
    },
    STEP_TIMEOUT_MS,
  );

  it(
    'exits 3 without a valid token, 4 for an unknown id, 2 for bad flags',
    async () => {
      const unauthenticated = await binary().run(['org', 'get', orgId], {
        ORGCTL_URL: app.baseUrl,
        ORGCTL_TOKEN: 'not-a-token',
      });
      const missing = await cli(
        'org',
        'get',
        '0192f6c3-0000-7000-8000-00000000dead',
      );
      const usage = await cli('add-member', '--org', orgId, '--role', 'boss');

      expect(unauthenticated.code).toBe(3);
      expect(unauthenticated.stderr).toContain('UNAUTHENTICATED (401)');
      expect(missing.code).toBe(4);
      expect(usage.code).toBe(2);
    },
    STEP_TIMEOUT_MS,
  );

  it(
    'backs up the running store and restores it once the service stops',
    async () => {
      const out = join(backups, 'first');
      const manifest = await as(
        'backup',
        '--data-dir',
        app.dataDir,
        '--out',
        out,
      );
      const eventsAtBackup = app.eventCount();
      await as(
        'add-member',
        '--org',
        orgId,
        '--ref',
        'SUP-6',
        '--user-id',
        'user-3',
        '--role',
        'viewer',
      );

      const underService = await cli(
        'restore',
        '--from',
        out,
        '--data-dir',
        app.dataDir,
        '--force',
      );
      await app.close();
      const withoutForce = await cli(
        'restore',
        '--from',
        out,
        '--data-dir',
        app.dataDir,
      );
      const restored = await as(
        'restore',
        '--from',
        out,
        '--data-dir',
        app.dataDir,
        '--force',
      );
      await app.restart();

      expect(manifest.files).toContainEqual(
        expect.objectContaining({
          name: 'events.sqlite',
          rows: expect.objectContaining({ events: eventsAtBackup }),
        }),
      );
      expect(underService.code).toBe(1);
      expect(underService.stderr).toContain(
        'stop the service before restoring',
      );
      expect(withoutForce.code).toBe(2);
      expect(withoutForce.stderr).toContain('add --force');
      expect(restored.files).toContainEqual(
        expect.objectContaining({ name: 'events.sqlite', integrity: 'ok' }),
      );
      expect(restored.chains.events).toBe(eventsAtBackup);
      expect(app.eventCount()).toBe(eventsAtBackup);
      // The keys came along: the restored events' e-mails still decrypt.
      expect(manifest.files.map((f: { name: string }) => f.name)).toContain(
        'keys.sqlite',
      );
      expect(await as('org', 'get', orgId)).toMatchObject({
        revision: 4,
        state: { profile: { contactEmail: 'ops@acme.example' } },
      });
    },
    STEP_TIMEOUT_MS,
  );

  it(
    'draws no progress bar when stdout is not a terminal',
    async () => {
      const run = await cli(
        'backup',
        '--data-dir',
        app.dataDir,
        '--out',
        join(backups, 'second'),
      );

      expect(run.code).toBe(0);
      expect(run.stdout).not.toContain('\r');
      expect(run.stdout).toMatch(/^events\.sqlite +ok +events \d+/m);
    },
    STEP_TIMEOUT_MS,
  );
});

describe('a command over the bus through the orgctl binary', () => {
  let bus: BusFixture;
  let app: AppHarness;

  beforeAll(async () => {
    bus = await BusFixture.start();
    app = await bus.app();
  }, STEP_TIMEOUT_MS);

  afterAll(async () => {
    await bus.stop();
  });

  it(
    'is signed with the bus key and answered like HTTP',
    async () => {
      const created = await app.accepted(app.tokens.support, {
        commandId: crypto.randomUUID(),
        type: 'CreateOrganization',
        reference: 'SUP-1',
        payload: {
          name: uniqueName('orgctl-bus'),
          displayName: 'Bus test',
          contactEmail: 'ops@bus.example',
          ownerUserId: 'owner-1',
        },
      });
      const busEnv = {
        ORGCTL_BUS_URL: bus.redis.url,
        ORGCTL_BUS_KEY_ID: 'devices-1',
        ORGCTL_BUS_SECRET: bus.secret.toString('base64'),
        ORGCTL_BUS_PREFIX: bus.prefix,
      };
      const send = (...args: string[]) =>
        binary().run(['--json', 'bus', 'send', ...args], busEnv);

      const allocated = await send(
        'allocate-resource',
        '--org',
        String(created.orgId),
        '--resource',
        'devices',
        '--quantity',
        '2',
        '--idempotency-key',
        'device-4711',
      );
      const refused = await send(
        'add-member',
        '--org',
        String(created.orgId),
        '--user-id',
        'user-2',
        '--role',
        'viewer',
      );

      expect(parsed(allocated)).toMatchObject({
        status: 'accepted',
        revision: 1,
      });
      expect(refused.code).toBe(3);
      expect(refused.stderr).toMatch(/^orgctl: FORBIDDEN: /);
      expect(JSON.parse(refused.stdout)).toMatchObject({ code: 'FORBIDDEN' });
    },
    STEP_TIMEOUT_MS,
  );
});
