import type { Output } from '../cli/io.js';

/** Reports how far a long piece of work has got. */
export interface Progress {
  update(done: number, total: number): void;
  finish(): void;
}

const WIDTH = 30;

/** `label [#####.........] 17%`: one frame of a progress bar. */
export function renderProgress(
  label: string,
  done: number,
  total: number,
): string {
  const ratio = total <= 0 ? 1 : Math.min(1, Math.max(0, done / total));
  const filled = Math.round(ratio * WIDTH);
  const bar = '#'.repeat(filled) + '.'.repeat(WIDTH - filled);
  return `${label} [${bar}] ${Math.floor(ratio * 100)}%`;
}

/**
 * A bar redrawn in place on `out`, or nothing at all when no person
 * watches (output to a file or a pipe, or `--json`).
 */
export function progressBar(
  out: Output,
  label: string,
  enabled: boolean,
): Progress {
  if (!enabled) return { update: () => undefined, finish: () => undefined };
  let drawn = false;
  return {
    update(done, total) {
      drawn = true;
      out.write(`\r${renderProgress(label, done, total)}`);
    },
    finish() {
      if (drawn) out.write('\n');
    },
  };
}

/** Reports how much of a piece of work of unknown size is done. */
export interface Counter {
  update(done: number): void;
  finish(): void;
}

/**
 * `label: 1234 entries`, redrawn in place on `out` at most every
 * `everyMs`, or nothing when no person watches.
 */
export function progressCounter(
  out: Output,
  label: string,
  enabled: boolean,
  everyMs = 100,
): Counter {
  if (!enabled) return { update: () => undefined, finish: () => undefined };
  let drawnAt = 0;
  let last = 0;
  const draw = (done: number): void => {
    out.write(`\r${label}: ${done} entries`);
    drawnAt = Date.now();
  };
  return {
    update(done) {
      last = done;
      if (Date.now() - drawnAt >= everyMs) draw(done);
    },
    finish() {
      if (drawnAt > 0 || last > 0) {
        draw(last);
        out.write('\n');
      }
    },
  };
}
