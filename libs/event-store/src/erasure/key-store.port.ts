/**
 * Where the per-subject data keys live, apart from the events they protect.
 * A subject (an organization) has no key until its first personal value is
 * stored, a live key from then on, and no key ever again once destroyed:
 * destruction leaves a tombstone so that the key is never made anew.
 */
export interface KeyStore {
  /**
   * The subject's key, made and stored on first use; `null` when it has
   * been destroyed. Two callers racing get the same key.
   */
  keyFor(subject: string): Promise<Buffer | null>;
  /**
   * What is known of each subject's key without making one: a key, `null`
   * for destroyed, and no entry for a subject that never had one.
   */
  keysOf(subjects: readonly string[]): Promise<Map<string, Buffer | null>>;
  /**
   * Deletes the key for good and leaves its tombstone; destroying again
   * does nothing. With `checkpoint`, also records, in the same step, how
   * far the log has been searched for subjects to destroy.
   */
  destroy(subject: string, checkpoint?: string): Promise<void>;
  /** The checkpoint last recorded by {@link destroy} or {@link saveCheckpoint}. */
  checkpoint(): Promise<string | null>;
  saveCheckpoint(checkpoint: string): Promise<void>;
  close(): Promise<void>;
}

/** A personal value could not be encrypted or decrypted. */
export class PersonalDataError extends Error {
  override readonly name = 'PersonalDataError';
}

/** The length of an AES-256 key in bytes. */
export const KEY_BYTES = 32;
