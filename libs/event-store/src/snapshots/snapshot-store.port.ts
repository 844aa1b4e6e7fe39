/**
 * The state of one stream folded up to a revision, stored so that loading
 * does not have to read the whole stream again.
 */
export interface Snapshot {
  /** The revision of the last event folded into `state`. */
  readonly revision: number;
  /**
   * The shape version of `state`. A snapshot whose version differs from
   * the one the code expects is ignored and rebuilt from events.
   */
  readonly stateVersion: number;
  /** Plain data that survives JSON. */
  readonly state: unknown;
}

/**
 * Where snapshots live: at most one per stream, the newest saved. Snapshots
 * are an optimization; losing them costs reads, never correctness.
 */
export interface SnapshotStore {
  /** The stream's snapshot, or null when it has none. */
  load(streamId: string): Promise<Snapshot | null>;
  /** Replaces the stream's snapshot, unless a newer one of the same version is stored. */
  save(streamId: string, snapshot: Snapshot): Promise<void>;
  /** Releases what the store holds; stores that hold nothing omit it. */
  close?(): Promise<void>;
}

/** A stored snapshot cannot be read back. */
export class UnreadableSnapshotError extends Error {
  override readonly name = 'UnreadableSnapshotError';

  constructor(
    readonly streamId: string,
    options: ErrorOptions,
  ) {
    super(`the snapshot of ${streamId} cannot be read`, options);
  }
}
