import { createHash, randomUUID } from 'node:crypto';
import { join } from 'node:path';

import Database from 'better-sqlite3';

import { createOrganization, uniqueName } from '../../support/envelopes.js';
import { waitFor } from '../../support/wait-for.js';
import type { ServiceProcess } from './service-process.js';

/** The part of an accepted reply the checks need. */
export interface Accepted {
  readonly commandId: string;
  readonly orgId: string;
  readonly events: readonly { readonly id: string }[];
}

interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/**
 * Clients that send commands and, on a lost connection or a 5xx, send the
 * same envelope (same command id) again until the service answers it.
 */
export class Workload {
  readonly accepted: Accepted[] = [];
  /** Attempts that got no answer, or a 5xx, and were sent again. */
  retries = 0;
  private hold: {
    readonly at: number;
    readonly released: Promise<void>;
    readonly release: () => void;
  } = { at: Infinity, released: Promise.resolve(), release: () => undefined };

  constructor(
    private readonly service: ServiceProcess,
    private readonly token: string,
  ) {}

  /** `clients` clients at once, each creating an organization and changing it `changes` times. */
  run(clients: number, changes: number): Promise<void> {
    return Promise.all(
      Array.from({ length: clients }, () => this.client(changes)),
    ).then(() => undefined);
  }

  async get(path: string): Promise<Record<string, unknown>> {
    const response = await fetch(`${this.service.url}${path}`, {
      headers: { authorization: `Bearer ${this.token}` },
    });
    return (await response.json()) as Record<string, unknown>;
  }

  async post(path: string): Promise<number> {
    const response = await fetch(`${this.service.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.token}` },
    });
    await response.arrayBuffer();
    return response.status;
  }

  /**
   * From now on, holds back every command not yet sent once `count`
   * commands have been accepted (`Infinity`: none), and lets go of those
   * an earlier hold kept back. A fault injected while clients are held
   * meets clients that still have commands to send.
   */
  holdAt(count: number): void {
    const earlier = this.hold;
    let release = (): void => undefined;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    this.hold = { at: count, released, release };
    earlier.release();
  }

  private async client(changes: number): Promise<void> {
    const created = await this.send(createOrganization(uniqueName('fault')));
    const orgId = created.orgId;
    for (let step = 0; step < changes; step++) {
      while (this.accepted.length >= this.hold.at) await this.hold.released;
      await this.send(change(orgId, step));
    }
  }

  private async send(envelope: Record<string, unknown>): Promise<Accepted> {
    let answer: Answer | undefined;
    await waitFor(
      async () => {
        answer = await this.attempt(envelope);
        if (answer === undefined) this.retries++;
        return answer !== undefined;
      },
      { timeoutMs: 60_000, intervalMs: 25, description: 'an answer' },
    );
    if (answer?.status !== 200) {
      throw new Error(`refused: ${JSON.stringify(answer)}`);
    }
    const accepted = answer.body as unknown as Accepted;
    this.accepted.push(accepted);
    return accepted;
  }

  private async attempt(
    envelope: Record<string, unknown>,
  ): Promise<Answer | undefined> {
    try {
      const response = await fetch(`${this.service.url}/v1/commands`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${this.token}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify(envelope),
      });
      const body = (await response.json()) as Record<string, unknown>;
      return response.status >= 500
        ? undefined
        : { status: response.status, body };
    } catch {
      return undefined;
    }
  }
}

function change(orgId: string, step: number): Record<string, unknown> {
  const envelope = (type: string, payload: Record<string, unknown>) => ({
    commandId: randomUUID(),
    type,
    orgId,
    reference: 'SUP-F',
    payload,
  });
  if (step % 3 === 0) {
    return envelope('UpdateProfile', { displayName: `Fault ${step}` });
  }
  if (step % 3 === 1) {
    return envelope('AllocateResource', {
      resource: 'devices',
      quantity: 1,
      idempotencyKey: randomUUID(),
    });
  }
  return envelope('ChangeLabels', { labels: { step: String(step) } });
}

/** How often each organization event id is stored, read from the SQLite file. */
export function storedEventIds(dataDir: string): Map<string, number> {
  const db = new Database(join(dataDir, 'events.sqlite'), { readonly: true });
  try {
    const rows = db
      .prepare(
        "SELECT id, count(*) AS n FROM events WHERE stream_id LIKE 'organization-%' GROUP BY id",
      )
      .all() as { id: string; n: number }[];
    return new Map(rows.map((row) => [row.id, row.n]));
  } finally {
    db.close();
  }
}

/** Every page of a paginated listing, in order. */
export async function allItems(
  workload: Workload,
  path: string,
): Promise<unknown[]> {
  const items: unknown[] = [];
  let cursor: string | null = null;
  do {
    const separator = path.includes('?') ? '&' : '?';
    const page = await workload.get(
      `${path}${separator}limit=500${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`,
    );
    items.push(...(page.items as unknown[]));
    cursor = (page.nextCursor as string | null | undefined) ?? null;
  } while (cursor !== null);
  return items;
}

export function checksum(items: readonly unknown[]): string {
  return createHash('sha256').update(JSON.stringify(items)).digest('hex');
}

interface ProjectionStatus {
  readonly name: string;
  readonly state: string;
  readonly generation: number | null;
  readonly lagEvents: number;
}

export async function projections(
  workload: Workload,
): Promise<ProjectionStatus[]> {
  return (await workload.get(
    '/v1/projections',
  )) as unknown as ProjectionStatus[];
}

/** Waits until both read models are live and have applied every event. */
export async function caughtUp(workload: Workload): Promise<void> {
  await waitFor(
    async () =>
      (await projections(workload)).every(
        (p) => p.state === 'live' && p.lagEvents === 0,
      ),
    {
      timeoutMs: 30_000,
      intervalMs: 25,
      description: 'the read models to catch up',
    },
  );
}

/**
 * The directory and the audit trail as served, then again after a rebuild
 * of each from the start of the log: a fresh rebuild's checksums.
 */
export async function servedAndRebuilt(
  workload: Workload,
): Promise<{ served: string[]; rebuilt: string[] }> {
  const read = async () => [
    checksum(await allItems(workload, '/v1/organizations')),
    checksum(await allItems(workload, '/v1/audit?order=oldest')),
  ];
  await caughtUp(workload);
  const served = await read();
  const before = await projections(workload);
  for (const name of ['directory', 'audit']) {
    const status = await workload.post(`/v1/projections/${name}/rebuild`);
    if (status !== 202)
      throw new Error(`rebuild of ${name} answered ${status}`);
  }
  await waitFor(
    async () =>
      (await projections(workload)).every(
        (p, i) =>
          p.state === 'live' &&
          p.lagEvents === 0 &&
          (p.generation ?? 0) > (before[i]?.generation ?? 0),
      ),
    { timeoutMs: 30_000, intervalMs: 25, description: 'the rebuilds' },
  );
  return { served, rebuilt: await read() };
}
