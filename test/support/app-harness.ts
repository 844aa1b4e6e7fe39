import { randomUUID } from 'node:crypto';
import { join } from 'node:path';

import Database from 'better-sqlite3';

import type { INestApplication, LoggerService } from '@nestjs/common';
import type { Actor, OrganizationEvent } from '@org/domain';
import type { EventStore } from '@org/event-store';

import { createApp } from '../../apps/organizations/src/app.js';
import {
  sha256Hex,
  TokenRegistry,
  TokenResolver,
} from '../../apps/organizations/src/auth/token-registry.js';
import { CommandGateway } from '../../apps/organizations/src/commands/command-gateway.js';
import { NameReservations } from '../../apps/organizations/src/commands/name-reservations.js';
import {
  EVENT_STORE,
  OrganizationStreams,
} from '../../apps/organizations/src/commands/organization-streams.js';
import { loadConfig } from '../../apps/organizations/src/config/configuration.js';
import { openStores } from '../../apps/organizations/src/infrastructure/stores.js';
import {
  type DigestRun,
  DigestSchedule,
} from '../../apps/organizations/src/integrity/digest-schedule.js';
import { openReadModels } from '../../apps/organizations/src/read-models/open-read-models.js';
import { DeletionExecutor } from '../../apps/organizations/src/scheduling/deletion-executor.js';
import { makeTempDir, removeTempDir } from './temp-dir.js';
import { TestClock } from './test-clock.js';

export interface HttpReply {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly headers: Headers;
}

/** A token for every kind of actor, and user tokens made at any time. */
export class TestTokens extends TokenResolver {
  private readonly entries: { sha256: string; actor: Actor }[] = [];
  readonly support = this.add({ type: 'support', id: 'agent-7' });
  readonly sales = this.add({ type: 'sales', id: 'rep-3' });
  readonly service = this.add({ type: 'service', id: 'devices-service' });

  user(orgId: string, id: string): string {
    return this.add({ type: 'user', id, orgId });
  }

  override resolve(token: string): Actor | null {
    return TokenRegistry.fromJson(JSON.stringify(this.entries), 'test').resolve(
      token,
    );
  }

  private add(actor: Actor): string {
    const token = `test-${randomUUID()}`;
    this.entries.push({ sha256: sha256Hex(token), actor });
    return token;
  }
}

/**
 * The service started for real on a free port, on SQLite files in a
 * temporary folder (or in memory), with a clock the test controls.
 */
export class AppHarness {
  private app: INestApplication | undefined;
  baseUrl = '';

  private constructor(
    readonly dataDir: string,
    readonly tokens: TestTokens,
    readonly clock: TestClock,
    private readonly env: Record<string, string>,
    private readonly logger: LoggerService | false = false,
  ) {}

  static async start(
    env: Record<string, string> = {},
    logger: LoggerService | false = false,
  ): Promise<AppHarness> {
    const dataDir = await makeTempDir('organizations-e2e');
    const clock = new TestClock();
    const harness = new AppHarness(
      dataDir,
      new TestTokens(),
      clock,
      env,
      logger,
    );
    await harness.boot();
    return harness;
  }

  /** A second replica of the service on the same data folder, sharing the tokens. */
  async replica(env: Record<string, string> = {}): Promise<AppHarness> {
    const replica = new AppHarness(this.dataDir, this.tokens, this.clock, {
      ...this.env,
      ...env,
    });
    await replica.boot();
    return replica;
  }

  /** Stops the app and leaves its data, for a replica. */
  async close(): Promise<void> {
    await this.app?.close();
    this.app = undefined;
  }

  /** Stops the app and starts it again on the same data, as after a restart. */
  async restart(): Promise<void> {
    await this.close();
    await this.boot();
  }

  async stop(): Promise<void> {
    await this.close();
    await removeTempDir(this.dataDir);
  }

  /** Every event stored, counted straight from the SQLite file. */
  eventCount(): number {
    const db = new Database(join(this.dataDir, 'events.sqlite'), {
      readonly: true,
    });
    try {
      return (
        db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }
      ).n;
    } finally {
      db.close();
    }
  }

  /** Sends a command as support and returns the accepted reply's fields. */
  async accepted(
    token: string,
    envelope: Record<string, unknown>,
  ): Promise<Record<string, unknown>> {
    const reply = await this.command(token, envelope);
    if (reply.status !== 200) {
      throw new Error(
        `expected acceptance, got ${reply.status} ${JSON.stringify(reply.body)}`,
      );
    }
    return reply.body;
  }

  /**
   * Does the first half of a creation, as an attempt that crashed after
   * reserving the name would have left it.
   */
  async reserveNameOnly(name: string, commandId: string): Promise<string> {
    const names = this.running().get(NameReservations);
    const now = this.clock.now();
    return names.reserve(name, {
      orgId: this.clock.newId(),
      actor: { type: 'support', id: 'agent-7' },
      reference: 'SUP-1',
      commandId,
      correlationId: commandId,
      causationId: commandId,
      now,
    });
  }

  /** The organization's events as stored, read through the app's own store. */
  organizationEvents(orgId: string): Promise<OrganizationEvent[]> {
    return this.running().get(OrganizationStreams).history(orgId);
  }

  /** Forgets the stored reply of a command, as a crash right after its append would. */
  forgetReply(commandId: string): void {
    const db = new Database(join(this.dataDir, 'replies.sqlite'));
    try {
      db.prepare('DELETE FROM command_replies WHERE command_id = ?').run(
        commandId,
      );
    } finally {
      db.close();
    }
  }

  /** Runs the deletion executor of this replica once, as its timer would. */
  completeDueDeletions(): Promise<number> {
    return this.running().get(DeletionExecutor).runOnce();
  }

  /** Runs the digest schedule of this replica once, as its timer would. */
  signScheduledDigest(): Promise<DigestRun> {
    return this.running().get(DigestSchedule).runOnce();
  }

  /** The running app's command gateway, for tests that play a part of the pipeline. */
  gateway(): CommandGateway {
    return this.running().get(CommandGateway);
  }

  /** Closes the event store under the running app, as a failing disk would. */
  async breakEventStore(): Promise<void> {
    await this.running().get<symbol, EventStore>(EVENT_STORE).close();
  }

  private running(): INestApplication {
    if (this.app === undefined) throw new Error('the app is not running');
    return this.app;
  }

  command(token: string | null, envelope: unknown): Promise<HttpReply> {
    return this.request(
      'POST',
      '/v1/commands',
      token,
      JSON.stringify(envelope),
    );
  }

  get(token: string | null, path: string): Promise<HttpReply> {
    return this.request('GET', path, token);
  }

  async request(
    method: string,
    path: string,
    token: string | null,
    body?: string,
    contentType = 'application/json',
  ): Promise<HttpReply> {
    const headers: Record<string, string> = { 'content-type': contentType };
    if (token !== null) headers.authorization = `Bearer ${token}`;
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      body,
    });
    const text = await response.text();
    const parsed =
      text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
    return { status: response.status, body: parsed, headers: response.headers };
  }

  private async boot(): Promise<void> {
    const config = loadConfig({ DATA_DIR: this.dataDir, ...this.env });
    const stores = await openStores(config);
    const readModels = openReadModels(config, stores.events);
    this.app = await createApp(
      { config, stores, readModels, tokens: this.tokens, clock: this.clock },
      this.logger,
    );
    await this.app.listen(0, '127.0.0.1');
    this.baseUrl = (await this.app.getUrl()).replace('[::1]', '127.0.0.1');
  }
}
