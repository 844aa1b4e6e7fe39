const NEWLINE = 0x0a;
const QUOTE = 0x22;

/**
 * Counts the records of an NDJSON or CSV export as its bytes stream by:
 * one per line end, in CSV only outside quoted fields (a quoted field may
 * hold line breaks), not counting the CSV header.
 */
export class RecordCounter {
  private lines = 0;
  private quoted = false;

  constructor(private readonly csv: boolean) {}

  /** Takes the next chunk; returns the records counted so far. */
  add(chunk: Uint8Array): number {
    for (const byte of chunk) {
      if (this.csv && byte === QUOTE) this.quoted = !this.quoted;
      else if (byte === NEWLINE && !this.quoted) this.lines += 1;
    }
    return this.records;
  }

  get records(): number {
    return this.csv ? Math.max(0, this.lines - 1) : this.lines;
  }
}
