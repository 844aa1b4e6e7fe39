import type Database from 'better-sqlite3';
import type { Position } from '@org/event-store';

import { CheckpointConflictError } from '../shared/errors.js';

/** The tables shared by every read model of a file. */
export const GENERATIONS_SCHEMA = `
  CREATE TABLE IF NOT EXISTS read_model_generations (
    model              TEXT    NOT NULL,
    generation         INTEGER NOT NULL,
    active             INTEGER NOT NULL,
    checkpoint_commit  INTEGER,
    checkpoint_prepare INTEGER,
    PRIMARY KEY (model, generation)
  ) STRICT;
  CREATE TABLE IF NOT EXISTS read_model_sequences (
    model           TEXT    PRIMARY KEY,
    last_generation INTEGER NOT NULL
  ) STRICT;`;

/** How one read model lays out a generation in tables. */
export interface GenerationTables {
  /** The DDL creating a generation's tables and what its writes rely on. */
  create(generation: number): string;
  /**
   * The indexes only queries need, a `CREATE INDEX IF NOT EXISTS` each.
   * They are left out while a generation is loaded in bulk, which is
   * several times faster than keeping them up to date row by row, and
   * built once it has caught up with the log (see
   * {@link SqliteGenerations.index}).
   */
  indexes?(generation: number): readonly string[];
  /** Its tables, to drop. */
  tables(generation: number): readonly string[];
}

interface CheckpointRow {
  readonly checkpoint_commit: bigint | null;
  readonly checkpoint_prepare: bigint | null;
}

/**
 * The generations of one read model in a SQLite file: a row each, with its
 * checkpoint and whether it is the active one, and a table set each named
 * with the generation's number. Switching the active generation is one
 * UPDATE in a transaction.
 */
export class SqliteGenerations {
  private readonly activeRow;
  private readonly allRows;
  private readonly checkpointRow;
  private readonly moveCheckpoint;

  constructor(
    private readonly db: Database.Database,
    readonly model: string,
    private readonly layout: GenerationTables,
  ) {
    this.activeRow = db.prepare<[string], { generation: number }>(
      `SELECT generation FROM read_model_generations
       WHERE model = ? AND active = 1`,
    );
    this.allRows = db.prepare<[string], { generation: number; active: number }>(
      `SELECT generation, active FROM read_model_generations
       WHERE model = ? ORDER BY generation`,
    );
    this.checkpointRow = db
      .prepare<[string, number], CheckpointRow>(
        `SELECT checkpoint_commit, checkpoint_prepare
         FROM read_model_generations WHERE model = ? AND generation = ?`,
      )
      .safeIntegers(true);
    this.moveCheckpoint = db.prepare<[bigint, bigint, string, number]>(
      `UPDATE read_model_generations
       SET checkpoint_commit = ?, checkpoint_prepare = ?
       WHERE model = ? AND generation = ?`,
    );
  }

  /** The active generation, if there is one yet. */
  active(): number | undefined {
    return this.activeRow.get(this.model)?.generation;
  }

  /** The active generation, created as generation 1 when there is none. */
  ensureActive(): number {
    return this.db
      .transaction(() => {
        const active = this.active();
        if (active !== undefined) return active;
        const generation = this.create();
        this.makeActive(generation);
        return generation;
      })
      .immediate();
  }

  create(): number {
    return this.db
      .transaction(() => {
        const generation = this.nextNumber();
        this.db.exec(this.layout.create(generation));
        this.db
          .prepare(
            `INSERT INTO read_model_generations (model, generation, active)
             VALUES (?, ?, 0)`,
          )
          .run(this.model, generation);
        return generation;
      })
      .immediate();
  }

  /** How many query indexes a generation has; see {@link index}. */
  indexCount(generation: number): number {
    return this.layout.indexes?.(generation).length ?? 0;
  }

  /**
   * Builds one of the generation's query indexes, or all of them, where
   * they are not there yet. The first generation answers queries while it
   * catches up, and gets them when it has; a rebuilt one gets them at the
   * latest when activated. One index of a million rows takes about a
   * second, during which this connection does nothing else.
   */
  index(generation: number, which?: number): void {
    const all = this.layout.indexes?.(generation) ?? [];
    const ddl = which === undefined ? all : all.slice(which, which + 1);
    this.db
      .transaction(() => {
        this.assertExists(generation);
        for (const statement of ddl) this.db.exec(statement);
      })
      .immediate();
  }

  /** Makes the generation the active one, its query indexes built. */
  activate(generation: number): void {
    this.db
      .transaction(() => {
        this.index(generation);
        this.makeActive(generation);
      })
      .immediate();
  }

  drop(generation: number): void {
    this.db
      .transaction(() => {
        if (this.active() === generation) {
          throw new Error(
            `generation ${generation} of ${this.model} is active; activate another first`,
          );
        }
        for (const table of this.layout.tables(generation)) {
          this.db.exec(`DROP TABLE IF EXISTS ${table}`);
        }
        this.db
          .prepare(
            'DELETE FROM read_model_generations WHERE model = ? AND generation = ?',
          )
          .run(this.model, generation);
      })
      .immediate();
  }

  inactive(): number[] {
    return this.allRows
      .all(this.model)
      .filter((row) => row.active === 0)
      .map((row) => row.generation);
  }

  checkpoint(generation: number): Position | null {
    const row = this.checkpointRow.get(this.model, generation);
    if (row === undefined) {
      this.assertExists(generation);
      return null;
    }
    const { checkpoint_commit: commit, checkpoint_prepare: prepare } = row;
    return commit === null || prepare === null ? null : { commit, prepare };
  }

  /**
   * Moves the checkpoint from `expected` to `next`; to be called inside the
   * transaction that writes the batch, so that both commit together.
   */
  advance(generation: number, expected: Position | null, next: Position): void {
    const current = this.checkpoint(generation);
    const same =
      current === null || expected === null
        ? current === expected
        : current.commit === expected.commit &&
          current.prepare === expected.prepare;
    if (!same) throw new CheckpointConflictError(this.model, generation);
    this.moveCheckpoint.run(next.commit, next.prepare, this.model, generation);
  }

  private makeActive(generation: number): void {
    this.assertExists(generation);
    this.db
      .prepare(
        `UPDATE read_model_generations SET active = (generation = ?)
         WHERE model = ?`,
      )
      .run(generation, this.model);
  }

  private nextNumber(): number {
    const row = this.db
      .prepare<[string], { last_generation: number }>(
        `INSERT INTO read_model_sequences (model, last_generation)
         VALUES (?, 1)
         ON CONFLICT (model) DO UPDATE SET last_generation = last_generation + 1
         RETURNING last_generation`,
      )
      .get(this.model);
    if (row === undefined) throw new Error('the sequence returned no row');
    return row.last_generation;
  }

  private assertExists(generation: number): void {
    const exists = this.allRows
      .all(this.model)
      .some((row) => row.generation === generation);
    if (!exists) {
      throw new Error(`${this.model} has no generation ${generation}`);
    }
  }
}
