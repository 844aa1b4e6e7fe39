import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from '@jest/globals';
import type { Command } from 'commander';

import type { Deps } from './cli/context.js';
import type { Io } from './cli/io.js';
import { createProgram, run } from './program.js';

const ORG_ID = '0192f6c3-0000-7000-8000-000000000001';
const COMMAND_ID = '0192f6c4-1a2b-7c3d-8e4f-5a6b7c8d9e0f';

interface Sent {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: unknown;
}

interface Session {
  readonly deps: Deps;
  readonly sent: Sent[];
  stdout: string;
  stderr: string;
}

type Answer = Response | Error;

function session(
  answer: () => Answer,
  env: Record<string, string> = {},
): Session {
  const state: Session = {
    sent: [],
    stdout: '',
    stderr: '',
    deps: undefined as unknown as Deps,
  };
  const io: Io = {
    stdout: { write: (text) => (state.stdout += text), isTTY: false },
    stderr: { write: (text) => (state.stderr += text), isTTY: false },
    env: {
      ORGCTL_URL: 'http://orgs.test',
      ORGCTL_TOKEN: 'secret-token',
      ...env,
    },
    homeDir: '/nonexistent',
    readFile: () => undefined,
  };
  const fakeFetch: typeof fetch = (url, init) => {
    const body = init?.body;
    state.sent.push({
      url: url as string,
      headers: init?.headers as Record<string, string>,
      body: typeof body === 'string' ? JSON.parse(body) : undefined,
    });
    const result = answer();
    return result instanceof Error
      ? Promise.reject(result)
      : Promise.resolve(result);
  };
  return Object.assign(state, {
    deps: {
      io,
      newId: () => COMMAND_ID,
      now: () => new Date('2026-12-01T09:00:00Z'),
      fetch: fakeFetch,
      busSend: () => Promise.reject(new Error('no bus in this test')),
    },
  });
}

function json(status: number, body: unknown, type = 'application/json') {
  return () =>
    new Response(JSON.stringify(body), {
      status,
      headers: { 'content-type': type, 'x-correlation-id': 'corr-header' },
    });
}

const ACCEPTED = {
  status: 'accepted',
  commandId: COMMAND_ID,
  orgId: ORG_ID,
  revision: 3,
  position: '17',
  events: [{ id: 'e-1', type: 'MemberAdded' }],
};

function problem(
  status: number,
  code: string,
  detail: string,
  details?: object,
) {
  return json(
    status,
    {
      type: 'urn:x',
      title: 'x',
      status,
      code,
      detail,
      correlationId: 'corr-9',
      details,
    },
    'application/problem+json',
  );
}

describe('orgctl', () => {
  it('sends a command built from generated flags, with the bearer token', async () => {
    const cli = session(json(200, ACCEPTED));

    const code = await run(
      [
        'add-member',
        '--org',
        ORG_ID,
        '--ref',
        'SUP-1',
        '--user-id',
        'u-2',
        '--role',
        'developer',
        '--permissions',
        'audit:read,billing:read',
        '--permissions',
        'members:read',
      ],
      cli.deps,
    );

    expect(code).toBe(0);
    expect(cli.sent).toEqual([
      {
        url: 'http://orgs.test/v1/commands',
        headers: expect.objectContaining({
          authorization: 'Bearer secret-token',
        }),
        body: {
          commandId: COMMAND_ID,
          type: 'AddMember',
          orgId: ORG_ID,
          reference: 'SUP-1',
          payload: {
            userId: 'u-2',
            role: 'developer',
            permissions: ['audit:read', 'billing:read', 'members:read'],
          },
        },
      },
    ]);
    expect(cli.stdout).toBe(
      [
        'status      accepted (AddMember)',
        `org id      ${ORG_ID}`,
        'revision    3',
        'events      MemberAdded',
        `command id  ${COMMAND_ID}`,
        '',
      ].join('\n'),
    );
  });

  it('sends the correlation id in the envelope and the header', async () => {
    const cli = session(json(200, ACCEPTED));

    await run(
      ['cancel-deletion', '--org', ORG_ID, '--correlation-id', 'call-7'],
      cli.deps,
    );

    expect(cli.sent[0]).toMatchObject({
      headers: { 'x-correlation-id': 'call-7' },
      body: { correlationId: 'call-7' },
    });
  });

  it('prints the reply as is with --json', async () => {
    const cli = session(json(200, ACCEPTED));

    await run(['--json', 'cancel-deletion', '--org', ORG_ID], cli.deps);

    expect(JSON.parse(cli.stdout)).toEqual(ACCEPTED);
  });

  it('types nested objects, records and integers from their flags', async () => {
    const cli = session(json(200, ACCEPTED));

    await run(
      [
        'change-security-settings',
        '--org',
        ORG_ID,
        '--no-two-factor-required',
        '--session-timeout-minutes',
        '90',
        '--api-key-rotation',
        'max-age-days=null,warn-before-days=0',
      ],
      cli.deps,
    );
    await run(
      [
        'change-labels',
        '--org',
        ORG_ID,
        '--labels',
        'tier=gold',
        '--no-region',
      ],
      cli.deps,
    );

    expect(
      cli.sent.map((request) => (request.body as { payload: unknown }).payload),
    ).toEqual([
      {
        twoFactorRequired: false,
        sessionTimeoutMinutes: 90,
        apiKeyRotation: { maxAgeDays: null, warnBeforeDays: 0 },
      },
      { labels: { tier: 'gold' }, region: null },
    ]);
  });

  it.each([
    [400, 'VALIDATION_FAILED', 1],
    [409, 'NAME_TAKEN', 1],
    [422, 'PRECONDITIONS_UNMET', 1],
    [401, 'UNAUTHENTICATED', 3],
    [403, 'FORBIDDEN', 3],
    [404, 'NOT_FOUND', 4],
    [500, 'INTERNAL', 5],
  ])('exits for a %p %s problem with %p', async (status, code, exitCode) => {
    const cli = session(problem(status, code, 'it went wrong'));

    expect(await run(['org', 'get', ORG_ID], cli.deps)).toBe(exitCode);
    expect(cli.stderr).toBe(
      `orgctl: ${code} (${status}): it went wrong\n  correlation id: corr-9\n`,
    );
    expect(cli.stdout).toBe('');
  });

  it('states the particulars of a refusal, and prints it on stdout with --json', async () => {
    const unmet = [{ precondition: 'devices_remain', devices: 3 }];
    const cli = session(
      problem(422, 'PRECONDITIONS_UNMET', '3 devices remain', { unmet }),
    );

    const code = await run(
      ['--json', 'request-deletion', '--org', ORG_ID],
      cli.deps,
    );

    expect(code).toBe(1);
    expect(cli.stderr).toContain(`  unmet: ${JSON.stringify(unmet)}\n`);
    expect(JSON.parse(cli.stdout)).toMatchObject({
      code: 'PRECONDITIONS_UNMET',
      correlationId: 'corr-9',
    });
  });

  it('exits 5 when the service is unreachable, with the command id to retry', async () => {
    const cause = Object.assign(new Error('connect'), { code: 'ECONNREFUSED' });
    const cli = session(() => new TypeError('fetch failed', { cause }));

    const code = await run(['cancel-deletion', '--org', ORG_ID], cli.deps);

    expect(code).toBe(5);
    expect(cli.stderr).toContain(
      'cannot reach the service at http://orgs.test: ECONNREFUSED',
    );
    expect(cli.stderr).toContain(`--command-id ${COMMAND_ID}`);
  });

  it('exits 5 for an answer that is no problem document', async () => {
    const cli = session(
      () => new Response('<html>bad gateway</html>', { status: 502 }),
    );

    expect(await run(['org', 'get', ORG_ID], cli.deps)).toBe(5);
    expect(cli.stderr).toContain('HTTP 502 without a problem document');
  });

  it.each([
    [['add-member', '--org', ORG_ID, '--role', 'boss']],
    [
      [
        'set-resource-limit',
        '--org',
        ORG_ID,
        '--resource',
        'devices',
        '--limit',
        'ten',
      ],
    ],
    [['add-member', '--org', ORG_ID, '--role', 'admin']],
    [['org', 'at', ORG_ID]],
    [['org', 'diff', ORG_ID, '--from', 'yesterday']],
    [['no-such-command']],
    [[]],
  ])('exits 2 without sending anything for %j', async (argv) => {
    const cli = session(json(200, ACCEPTED));

    expect(await run(argv, cli.deps)).toBe(2);
    expect(cli.sent).toEqual([]);
    expect(cli.stderr).not.toBe('');
  });

  it('exits 2 without a service address, and never prints the token', async () => {
    const cli = session(json(200, ACCEPTED), { ORGCTL_URL: '' });

    expect(await run(['org', 'get', ORG_ID], cli.deps)).toBe(2);
    expect(cli.stderr).toContain('no service address');

    await run(['--url', 'http://orgs.test', 'config'], cli.deps);
    expect(cli.stdout).toContain('set (environment ORGCTL_TOKEN)');
    expect(cli.stdout + cli.stderr).not.toContain('secret-token');
  });

  it('exits 0 for --help, with an example', async () => {
    const cli = session(json(200, ACCEPTED));

    expect(await run(['transfer-ownership', '--help'], cli.deps)).toBe(0);
    expect(cli.stdout).toContain('--new-owner-user-id <text>');
    expect(cli.stdout).toContain('Example:\n  $ orgctl transfer-ownership');
  });

  it('gives every command --help with an example', async () => {
    const paths: string[][] = [];
    const walk = (command: Command, path: string[]): void => {
      for (const sub of command.commands) {
        paths.push([...path, sub.name()]);
        walk(sub, [...path, sub.name()]);
      }
    };
    walk(createProgram(session(json(200, {})).deps), []);

    const withoutExample = [];
    for (const path of paths) {
      const cli = session(json(200, {}));
      const code = await run([...path, '--help'], cli.deps);
      if (code !== 0 || !/Examples?:\n {2}\$ /.test(cli.stdout)) {
        withoutExample.push(path.join(' '));
      }
    }

    expect(paths.length).toBeGreaterThan(30);
    expect(withoutExample).toEqual([]);
  });

  it('lists the fleet with the filters of the HTTP API', async () => {
    const cli = session(
      json(200, {
        items: [
          {
            id: ORG_ID,
            name: 'acme-iot',
            status: 'active',
            revision: 4,
            profile: { displayName: 'Acme' },
            labels: {
              environment: 'production',
              businessUnit: null,
              region: 'eu',
              labels: { tier: 'gold' },
            },
          },
        ],
        nextCursor: 'abc',
      }),
    );

    const code = await run(
      [
        'org',
        'list',
        '--environment',
        'production',
        '--label',
        'tier:gold',
        '--label',
        'cost:42',
        '--status',
        'active',
        '--limit',
        '10',
      ],
      cli.deps,
    );

    expect(code).toBe(0);
    expect(cli.sent.map((request) => request.url)).toEqual([
      'http://orgs.test/v1/organizations?environment=production&label=tier%3Agold&label=cost%3A42&status=active&limit=10',
    ]);
    expect(cli.stdout).toMatch(
      new RegExp(`^acme-iot +${ORG_ID} +active +production +- +eu +4$`, 'm'),
    );
    expect(cli.stdout).toContain('more: --cursor abc');
  });

  it('queries the audit history by organization, actor, types and time', async () => {
    const cli = session(
      json(200, {
        items: [
          {
            occurredAt: '2026-12-01T09:00:00.000Z',
            orgId: ORG_ID,
            orgName: 'acme-iot',
            revision: 1,
            eventType: 'LabelsChanged',
            actor: { type: 'support', id: 'agent-7' },
            reference: 'SUP-2',
            changes: [{ path: 'labels.environment' }],
          },
        ],
        nextCursor: null,
      }),
    );

    const code = await run(
      [
        'audit',
        '--org',
        ORG_ID,
        '--actor',
        'support:agent-7',
        '--type',
        'LabelsChanged',
        '--type',
        'MemberAdded',
        '--from',
        '2026-12-01T00:00:00Z',
        '--order',
        'oldest',
      ],
      cli.deps,
    );

    expect(code).toBe(0);
    expect(cli.sent[0]?.url).toBe(
      `http://orgs.test/v1/audit?orgId=${ORG_ID}&actor=support%3Aagent-7&type=LabelsChanged&type=MemberAdded&from=2026-12-01T00%3A00%3A00Z&order=oldest`,
    );
    expect(cli.stdout).toMatch(
      /^2026-12-01T09:00:00.000Z +acme-iot +1 +LabelsChanged +support:agent-7 +SUP-2 +labels\.environment$/m,
    );
  });

  it('shows the audit filters in the help of audit export', async () => {
    const cli = session(json(200, {}));

    expect(await run(['audit', 'export', '--help'], cli.deps)).toBe(0);
    expect(cli.stdout).toContain('--format <format>');
    expect(cli.stdout).toContain('--actor <type:id>');
  });

  it('refuses an unknown audit order or export format before sending', async () => {
    const cli = session(json(200, {}));

    expect(await run(['audit', '--order', 'sideways'], cli.deps)).toBe(2);
    expect(
      await run(['audit', 'export', '--format', 'xml', '--out', 'x'], cli.deps),
    ).toBe(2);
    expect(cli.sent).toEqual([]);
  });

  it('streams an audit export to its file, counting on a terminal', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'orgctl-export-'));
    const out = join(dir, 'audit.ndjson');
    const cli = session(
      () => new Response('{"eventType":"A"}\n{"eventType":"B"}\n'),
    );
    const { io } = cli.deps;
    const deps = {
      ...cli.deps,
      io: {
        ...io,
        stdout: { ...io.stdout, isTTY: true },
        stderr: { ...io.stderr, isTTY: true },
      },
    };

    try {
      const code = await run(
        ['audit', 'export', '--org', ORG_ID, '--out', out],
        deps,
      );

      expect(code).toBe(0);
      expect(cli.sent[0]?.url).toBe(
        `http://orgs.test/v1/audit/export?orgId=${ORG_ID}&format=ndjson`,
      );
      expect(readFileSync(out, 'utf8')).toBe(
        '{"eventType":"A"}\n{"eventType":"B"}\n',
      );
      expect(cli.stderr).toContain(`\r${out}: 2 entries\n`);
      expect(cli.stdout).toMatch(/^entries +2$/m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('leaves no file when an export breaks off, and exits 5', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'orgctl-export-'));
    const out = join(dir, 'audit.csv');
    const cli = session(() => {
      let sent = false;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent) {
            controller.error(new Error('connection reset'));
            return;
          }
          sent = true;
          controller.enqueue(new TextEncoder().encode('position,orgId\n'));
        },
      });
      return new Response(body);
    });

    try {
      const code = await run(
        ['audit', 'export', '--format', 'csv', '--out', out],
        cli.deps,
      );

      expect(code).toBe(5);
      expect(cli.stderr).toContain('broke off: connection reset');
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('diffs two revisions fetched from the event log', async () => {
    const states = [
      { displayName: 'Acme', members: [{ userId: 'u-1', role: 'owner' }] },
      {
        displayName: 'Acme IoT',
        members: [
          { userId: 'u-1', role: 'admin' },
          { userId: 'u-2', role: 'owner' },
        ],
      },
    ];
    let call = 0;
    const cli = session(() => {
      const state = { name: 'acme', ...states[call] };
      call += 1;
      return new Response(
        JSON.stringify({ orgId: ORG_ID, revision: call, state }),
      );
    });

    const code = await run(
      ['org', 'diff', ORG_ID, '--from', '1', '--to', '2026-12-01T10:00:00Z'],
      cli.deps,
    );

    expect(code).toBe(0);
    expect(cli.sent.map((request) => request.url)).toEqual([
      `http://orgs.test/v1/organizations/${ORG_ID}/state?revision=1`,
      `http://orgs.test/v1/organizations/${ORG_ID}/state?at=2026-12-01T10%3A00%3A00.000Z`,
    ]);
    expect(cli.stdout).toBe(
      [
        'acme: from revision 1 to revision 2 (at 2026-12-01T10:00:00.000Z)',
        '',
        'path                      before    after',
        '------------------------  --------  -------------------------------',
        'displayName               "Acme"    "Acme IoT"',
        'members[userId=u-1].role  "owner"   "admin"',
        'members[userId=u-2]       (absent)  {"userId":"u-2","role":"owner"}',
        '',
      ].join('\n'),
    );
  });
});
