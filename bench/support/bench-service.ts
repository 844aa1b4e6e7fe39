import type { Server } from 'node:http';

import type { INestApplication } from '@nestjs/common';
import type { Actor } from '@org/domain';
import type { AppendResult, EventStore } from '@org/event-store';
import type { OrganizationProjectionRunners } from '@org/read-models';

import { createApp } from '../../apps/organizations/src/app.js';
import { TokenResolver } from '../../apps/organizations/src/auth/token-registry.js';
import { SystemClock } from '../../apps/organizations/src/commands/clock.js';
import { loadConfig } from '../../apps/organizations/src/config/configuration.js';
import {
  openStores,
  type Stores,
} from '../../apps/organizations/src/infrastructure/stores.js';
import { openReadModels } from '../../apps/organizations/src/read-models/open-read-models.js';

export const SUPPORT_TOKEN = 'support';

/** `user:<orgId>:<userId>` stands for that user; `support` for an agent. */
class BenchTokens extends TokenResolver {
  resolve(token: string): Actor | null {
    if (token === SUPPORT_TOKEN) return { type: 'support', id: 'agent-1' };
    const [kind, orgId, id] = token.split(':');
    if (kind !== 'user' || orgId === undefined || id === undefined) return null;
    return { type: 'user', id, orgId };
  }
}

export function userToken(orgId: string, userId: string): string {
  return `user:${orgId}:${userId}`;
}

export interface Reply {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/** Told of every append the service's commands make, once it is stored. */
export type AppendListener = (result: AppendResult) => void;

/** The service started in this process on a free port, as `main.ts` wires it. */
export class BenchService {
  private constructor(
    private readonly app: INestApplication,
    readonly baseUrl: string,
    readonly runners: OrganizationProjectionRunners,
  ) {}

  static async start(
    env: Record<string, string>,
    onAppended?: AppendListener,
  ): Promise<BenchService> {
    const config = loadConfig(env);
    const opened = await openStores(config);
    const stores =
      onAppended === undefined ? opened : observed(opened, onAppended);
    const readModels = openReadModels(config, stores.events);
    const app = await createApp(
      {
        config,
        stores,
        readModels,
        tokens: new BenchTokens(),
        clock: new SystemClock(),
      },
      false,
    );
    // The raw phases block the event loop for seconds; a shorter server
    // keep-alive would close idle client sockets that fetch then reuses.
    (app.getHttpServer() as Server).keepAliveTimeout = 120_000;
    await app.listen(0, '127.0.0.1');
    const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    return new BenchService(app, url, readModels.runners);
  }

  async command(token: string, envelope: unknown): Promise<Reply> {
    const response = await fetch(`${this.baseUrl}/v1/commands`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
      },
      body: JSON.stringify(envelope),
    });
    const body = (await response.json()) as Record<string, unknown>;
    return { status: response.status, body };
  }

  stop(): Promise<void> {
    return this.app.close();
  }
}

// The stores with an event store that reports each stored append.
function observed(stores: Stores, onAppended: AppendListener): Stores {
  const events = stores.events;
  const append: EventStore['append'] = async (...args) => {
    const result = await events.append(...args);
    onAppended(result);
    return result;
  };
  const proxy = new Proxy(events, {
    get: (target, property, receiver): unknown =>
      property === 'append' ? append : Reflect.get(target, property, receiver),
  });
  return { ...stores, events: proxy, close: () => stores.close() };
}
