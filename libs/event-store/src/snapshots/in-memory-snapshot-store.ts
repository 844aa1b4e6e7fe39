import { settle } from '../settle.js';
import { stateFromJson, stateToJson, supersedes } from './snapshot-json.js';
import type { Snapshot, SnapshotStore } from './snapshot-store.port.js';

interface StoredSnapshot {
  readonly revision: number;
  readonly stateVersion: number;
  readonly state: string;
}

/**
 * Snapshots in process memory, for tests. States are kept as JSON text,
 * as the SQLite adapter keeps them, so a loaded state is never shared with
 * the caller that saved it.
 */
export class InMemorySnapshotStore implements SnapshotStore {
  private readonly snapshots = new Map<string, StoredSnapshot>();

  load(streamId: string): Promise<Snapshot | null> {
    return settle(() => {
      const stored = this.snapshots.get(streamId);
      if (!stored) return null;
      const state = stateFromJson(streamId, stored.state);
      return { ...stored, state };
    });
  }

  save(streamId: string, snapshot: Snapshot): Promise<void> {
    return settle(() => {
      if (!supersedes(snapshot, this.snapshots.get(streamId))) return;
      const { revision, stateVersion } = snapshot;
      const state = stateToJson(streamId, snapshot);
      this.snapshots.set(streamId, { revision, stateVersion, state });
    });
  }

  /** Stores text as a stream's snapshot state as is, to test unreadable snapshots. */
  saveRaw(streamId: string, snapshot: StoredSnapshot): void {
    this.snapshots.set(streamId, snapshot);
  }
}
