import { settle } from '../settle.js';
import type { KeyStore } from './key-store.port.js';
import { newDataKey } from './personal-data-cipher.js';

/** Keys in process memory, for tests and the in-memory store. */
export class InMemoryKeyStore implements KeyStore {
  private readonly keys = new Map<string, Buffer | null>();
  private savedCheckpoint: string | null = null;

  keyFor(subject: string): Promise<Buffer | null> {
    return settle(() => {
      const known = this.keys.get(subject);
      if (known !== undefined) return known;
      const key = newDataKey();
      this.keys.set(subject, key);
      return key;
    });
  }

  keysOf(subjects: readonly string[]): Promise<Map<string, Buffer | null>> {
    return settle(() => {
      const found = new Map<string, Buffer | null>();
      for (const subject of subjects) {
        const known = this.keys.get(subject);
        if (known !== undefined) found.set(subject, known);
      }
      return found;
    });
  }

  destroy(subject: string, checkpoint?: string): Promise<void> {
    return settle(() => {
      this.keys.set(subject, null);
      if (checkpoint !== undefined) this.savedCheckpoint = checkpoint;
    });
  }

  checkpoint(): Promise<string | null> {
    return settle(() => this.savedCheckpoint);
  }

  saveCheckpoint(checkpoint: string): Promise<void> {
    return settle(() => {
      this.savedCheckpoint = checkpoint;
    });
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
