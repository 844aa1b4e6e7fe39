import type { Snapshot } from './snapshot-store.port.js';
import { UnreadableSnapshotError } from './snapshot-store.port.js';

/** The state as JSON text; throws a TypeError when JSON cannot hold it. */
export function stateToJson(streamId: string, snapshot: Snapshot): string {
  const text = JSON.stringify(snapshot.state) as string | undefined;
  if (text === undefined) {
    throw new TypeError(`the snapshot state of ${streamId} is not JSON data`);
  }
  return text;
}

/** Parses stored state text, or throws {@link UnreadableSnapshotError}. */
export function stateFromJson(streamId: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error: unknown) {
    throw new UnreadableSnapshotError(streamId, { cause: error });
  }
}

/** Whether `next` may replace `stored`: newer, or of another version. */
export function supersedes(
  next: Pick<Snapshot, 'revision' | 'stateVersion'>,
  stored: Pick<Snapshot, 'revision' | 'stateVersion'> | undefined,
): boolean {
  if (!stored) return true;
  return (
    next.stateVersion !== stored.stateVersion ||
    next.revision >= stored.revision
  );
}
