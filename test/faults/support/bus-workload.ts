import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';

import type { AcceptedReply } from '@org/contracts';
import {
  type CommandOptions,
  CommandRefusedError,
  OrganizationsClient,
  type OrganizationsClientOptions,
} from '@org/bus/client';

/** A command fixed before it is first sent, so that every retry is the same. */
interface PlannedCommand {
  readonly commandId: string;
  readonly orgId: string;
  sendWith(client: OrganizationsClient): Promise<AcceptedReply>;
}

/** How each client connects: everything but the connection error callback. */
export type BusClientOptions = Omit<
  OrganizationsClientOptions,
  'onConnectionError'
>;

const GIVE_UP_MS = 60_000;

/**
 * Services on the bus, one `OrganizationsClient` each, that report usage
 * of one organization: every command is sent until it is accepted, and
 * sent again with the same command id (and payload) after a timeout or a
 * lost Redis connection. A refusal fails the run.
 */
export class BusWorkload {
  /** The accepted reply of each command, by command id. */
  readonly accepted = new Map<string, AcceptedReply>();
  /** Attempts that got no reply (timeout, lost connection) and were sent again. */
  retries = 0;
  /** Redis connection errors the clients were told of. */
  connectionErrors = 0;
  private readonly clients: OrganizationsClient[] = [];

  constructor(private readonly options: BusClientOptions) {}

  /** One client per organization, each sending `commands` commands in turn. */
  async run(orgIds: readonly string[], commands: number): Promise<void> {
    await Promise.all(
      orgIds.map(async (orgId) => {
        const client = this.client();
        for (let step = 0; step < commands; step++) {
          await this.send(client, plan(orgId, step));
        }
      }),
    );
  }

  /** Sends one more command on a new client, with no retry of its own. */
  async once(orgId: string): Promise<AcceptedReply> {
    return plan(orgId, 0).sendWith(this.client({ retries: 0 }));
  }

  async close(): Promise<void> {
    await Promise.all(this.clients.map((client) => client.close()));
  }

  private client(
    overrides: Partial<BusClientOptions> = {},
  ): OrganizationsClient {
    const client = new OrganizationsClient({
      ...this.options,
      ...overrides,
      onConnectionError: () => {
        this.connectionErrors++;
      },
    });
    this.clients.push(client);
    return client;
  }

  private async send(
    client: OrganizationsClient,
    command: PlannedCommand,
  ): Promise<void> {
    const deadline = Date.now() + GIVE_UP_MS;
    for (;;) {
      try {
        const reply = await command.sendWith(client);
        this.accepted.set(command.commandId, reply);
        return;
      } catch (error: unknown) {
        if (error instanceof CommandRefusedError || Date.now() > deadline)
          throw error;
        this.retries++;
        await delay(50);
      }
    }
  }
}

// Usage reports, the commands a service actor may send; each one changes
// something, so that each accepted command has exactly one event.
function plan(orgId: string, step: number): PlannedCommand {
  const commandId = randomUUID();
  const options: CommandOptions = { orgId, commandId };
  const sendWith = (client: OrganizationsClient) => {
    switch (step % 3) {
      case 0:
        return client.command(
          'AllocateResource',
          { resource: 'devices', quantity: 1, idempotencyKey: commandId },
          options,
        );
      case 1:
        return client.command(
          'RecordDeploymentStarted',
          { deploymentId: `deployment-${String(step)}` },
          options,
        );
      default:
        return client.command(
          'RecordBillingBalance',
          { outstandingCents: step, currency: 'EUR' },
          options,
        );
    }
  };
  return { commandId, orgId, sendWith };
}
