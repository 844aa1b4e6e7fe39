/** How one queued request of a group ended. */
export type Outcome<Result> =
  | { readonly ok: true; readonly value: Result }
  | { readonly ok: false; readonly error: Error };

/**
 * Commits a group in one transaction and says how each request ended;
 * throws when the whole group failed.
 */
export type GroupCommit<Request, Result> = (
  requests: readonly Request[],
) => readonly Outcome<Result>[];

interface Pending<Request, Result> {
  readonly request: Request;
  readonly resolve: (result: Result) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Collects the requests that arrive within one turn of the event loop and
 * commits them together on the next (`setImmediate`), at most
 * `maxGroupSize` per transaction, so that one disk sync serves many
 * callers. Each caller's promise settles with its own outcome.
 */
export class GroupCommitQueue<Request, Result> {
  private pending: Pending<Request, Result>[] = [];
  private scheduled: NodeJS.Immediate | undefined;

  constructor(
    private readonly commit: GroupCommit<Request, Result>,
    private readonly maxGroupSize: number,
    private readonly translateError: (error: unknown) => unknown,
  ) {
    if (!Number.isSafeInteger(maxGroupSize) || maxGroupSize < 1) {
      throw new RangeError('maxGroupSize must be a positive integer');
    }
  }

  enqueue(request: Request): Promise<Result> {
    return new Promise((resolve, reject) => {
      this.pending.push({ request, resolve, reject });
      this.scheduled ??= setImmediate(() => {
        this.flushScheduled();
      });
    });
  }

  /** Commits everything queued now, for a clean close. */
  drain(): void {
    clearImmediate(this.scheduled);
    this.scheduled = undefined;
    while (this.pending.length > 0) this.commitNextGroup();
  }

  private flushScheduled(): void {
    this.scheduled = undefined;
    this.commitNextGroup();
    // Leave the event loop a turn between groups instead of draining a
    // long queue in one blocking stretch.
    if (this.pending.length > 0) {
      this.scheduled = setImmediate(() => {
        this.flushScheduled();
      });
    }
  }

  private commitNextGroup(): void {
    const group = this.pending.splice(0, this.maxGroupSize);
    let outcomes: readonly Outcome<Result>[];
    try {
      outcomes = this.commit(group.map(({ request }) => request));
    } catch (error: unknown) {
      const translated = this.translateError(error);
      group.forEach(({ reject }) => {
        reject(translated);
      });
      return;
    }
    group.forEach((pending, index) => {
      settleOne(pending, outcomes[index]);
    });
  }
}

function settleOne<Request, Result>(
  pending: Pending<Request, Result>,
  outcome: Outcome<Result> | undefined,
): void {
  if (!outcome) pending.reject(new Error('the group commit lost a request'));
  else if (outcome.ok) pending.resolve(outcome.value);
  else pending.reject(outcome.error);
}
