import type {
  AppendResult,
  EventStore,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
  Subscription,
  SubscriptionHandler,
} from '../event-store.port.js';
import type {
  Snapshot,
  SnapshotStore,
} from '../snapshots/snapshot-store.port.js';
import type { PersonalDataCipher } from './personal-data-cipher.js';

/**
 * The event store with personal data encrypted before it is stored, so the
 * stored form (and the integrity chain computed over it) holds ciphertext
 * only. Reads decrypt, or show values as erased once the subject's key is
 * destroyed; reads `asStored` return the ciphertext, for verification.
 */
export class ErasingEventStore implements EventStore {
  constructor(
    private readonly inner: EventStore,
    private readonly cipher: PersonalDataCipher,
  ) {}

  async append(
    streamId: string,
    events: readonly NewEvent[],
    expected: ExpectedRevision,
  ): Promise<AppendResult> {
    const sealed = await Promise.all(
      events.map(async (event) => {
        const data = await this.cipher.seal(streamId, event);
        return data === event.data ? event : { ...event, data };
      }),
    );
    return this.inner.append(streamId, sealed, expected);
  }

  async readStream(
    streamId: string,
    options?: ReadStreamOptions,
  ): Promise<RecordedEvent[]> {
    const events = await this.inner.readStream(streamId, options);
    return options?.asStored === true ? events : this.cipher.openAll(events);
  }

  async readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    return this.cipher.openAll(await this.inner.readAll(options));
  }

  subscribeToAll(
    options: SubscribeOptions,
    handler: SubscriptionHandler,
  ): Subscription {
    return this.inner.subscribeToAll(options, {
      ...handler,
      onEvent: async (event) => {
        const data = await this.cipher.open(event.streamId, event);
        await handler.onEvent(data === event.data ? event : { ...event, data });
      },
    });
  }

  ping(): Promise<void> {
    return this.inner.ping();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

/**
 * Snapshots with the whole state encrypted under the subject's key. Once
 * the key is destroyed a snapshot reads as missing, so the state is folded
 * from the events, which show the personal values as erased; and no
 * snapshot is saved for the subject again.
 */
export class ErasingSnapshotStore implements SnapshotStore {
  constructor(
    private readonly inner: SnapshotStore,
    private readonly cipher: PersonalDataCipher,
  ) {}

  async load(streamId: string): Promise<Snapshot | null> {
    const subject = this.cipher.policy.subjectOf(streamId);
    const snapshot = await this.inner.load(streamId);
    if (snapshot === null || subject === null) return snapshot;
    const opened = await this.cipher.openWhole(
      subject,
      snapshotContext(streamId, snapshot),
      snapshot.state,
    );
    return opened === null ? null : { ...snapshot, state: opened.value };
  }

  async save(streamId: string, snapshot: Snapshot): Promise<void> {
    const subject = this.cipher.policy.subjectOf(streamId);
    if (subject === null) {
      await this.inner.save(streamId, snapshot);
      return;
    }
    const state = await this.cipher.sealWhole(
      subject,
      snapshotContext(streamId, snapshot),
      snapshot.state,
    );
    if (state !== null) await this.inner.save(streamId, { ...snapshot, state });
  }

  async close(): Promise<void> {
    await this.inner.close?.();
  }
}

function snapshotContext(streamId: string, snapshot: Snapshot): string {
  return `snapshot\n${streamId}\n${String(snapshot.revision)}\n${String(snapshot.stateVersion)}`;
}
