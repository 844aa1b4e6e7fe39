import { InMemoryEventStore, type EventStore } from '@org/event-store';
import {
  createProjectionRunners,
  denseEventLogMeter,
  type OrganizationProjectionRunners,
  type OrganizationReadModels,
  type ProjectionRunnerOptions,
} from '@org/read-models';

import { OrganizationLog } from './organization-log.js';

/** Read models of one adapter, fresh for one test. */
export interface ReadModelsUnderTest {
  readonly readModels: OrganizationReadModels;
  teardown(): Promise<void>;
}

export type OpenReadModels = () => Promise<ReadModelsUnderTest>;

/** An event log, read models and their runners, for one test. */
export class ReadModelsHarness {
  readonly runners: OrganizationProjectionRunners;
  readonly log: OrganizationLog;

  private constructor(
    readonly store: EventStore,
    private readonly underTest: ReadModelsUnderTest,
    options: Partial<ProjectionRunnerOptions>,
  ) {
    this.log = new OrganizationLog(store);
    this.runners = createProjectionRunners({
      events: store,
      readModels: underTest.readModels,
      meter: denseEventLogMeter(store),
      retireAfterMs: 0,
      retryDelayMs: 20,
      ...options,
    });
  }

  static async open(
    open: OpenReadModels,
    options: Partial<ProjectionRunnerOptions> = {},
    store: EventStore = new InMemoryEventStore(),
  ): Promise<ReadModelsHarness> {
    return new ReadModelsHarness(store, await open(), options);
  }

  get readModels(): OrganizationReadModels {
    return this.underTest.readModels;
  }

  get directory() {
    return this.readModels.directory;
  }

  get audit() {
    return this.readModels.audit;
  }

  async start(): Promise<void> {
    await this.runners.directory.start();
    await this.runners.audit.start();
  }

  /** Waits until both read models hold everything appended so far. */
  async caughtUp(timeoutMs = 5000): Promise<void> {
    const head = this.log.head;
    const reached = await Promise.all([
      this.runners.directory.waitUntil(head, timeoutMs),
      this.runners.audit.waitUntil(head, timeoutMs),
    ]);
    if (!reached.every(Boolean)) {
      const statuses = await Promise.all([
        this.runners.directory.status(),
        this.runners.audit.status(),
      ]);
      throw new Error(
        `the read models did not reach ${head.commit.toString()}: ` +
          JSON.stringify(statuses),
      );
    }
  }

  async close(): Promise<void> {
    await this.runners.directory.stop();
    await this.runners.audit.stop();
    await this.store.close();
    await this.underTest.teardown();
  }
}
