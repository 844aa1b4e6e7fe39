import type { Command } from 'commander';

import type { OrganizationsClientOptions } from '@org/bus/client';
import type { AcceptedReply, ValidatedEnvelope } from '@org/contracts';

import {
  resolveConnection,
  type ResolvedConnection,
} from '../config/connection.js';
import { ServiceClient } from '../http/service-client.js';
import type { Io } from './io.js';

/** Sends one command over the bus and closes; see `bus send`. */
export type BusSend = (
  options: OrganizationsClientOptions,
  envelope: ValidatedEnvelope,
) => Promise<AcceptedReply>;

/** What orgctl's commands take from outside, injected for tests. */
export interface Deps {
  readonly io: Io;
  readonly newId: () => string;
  readonly now: () => Date;
  readonly fetch?: typeof fetch;
  readonly busSend: BusSend;
}

/** The flags every command accepts. */
export interface GlobalFlags {
  readonly url?: string;
  readonly token?: string;
  readonly config?: string;
  readonly json?: boolean;
}

/** Shared by the commands: flags, the service, and output. */
export class CliContext {
  constructor(readonly deps: Deps) {}

  connection(command: Command): ResolvedConnection {
    const { url, token, config } = command.optsWithGlobals<GlobalFlags>();
    const { io } = this.deps;
    return resolveConnection({
      flags: { url, token, config },
      env: io.env,
      homeDir: io.homeDir,
      readFile: io.readFile,
    });
  }

  service(command: Command): ServiceClient {
    const fetchFn = this.deps.fetch;
    return new ServiceClient(
      this.connection(command),
      fetchFn === undefined ? {} : { fetch: fetchFn },
    );
  }

  /** `value` as JSON with `--json`, else as `human` renders it. */
  print(command: Command, value: unknown, human: () => string): void {
    const text = this.json(command) ? JSON.stringify(value, null, 2) : human();
    this.deps.io.stdout.write(`${text}\n`);
  }

  json(command: Command): boolean {
    return command.optsWithGlobals<GlobalFlags>().json === true;
  }

  /** Progress bars only for a person watching a terminal. */
  showsProgress(command: Command): boolean {
    const { stdout, stderr } = this.deps.io;
    return stdout.isTTY && stderr.isTTY && !this.json(command);
  }
}
