import type Database from 'better-sqlite3';
import type { Position } from '@org/event-store';

import type { GenerationStore } from '../projection/projection.port.js';
import { sqliteCall } from './sqlite-errors.js';
import {
  type GenerationTables,
  SqliteGenerations,
} from './sqlite-generations.js';

/**
 * What every SQLite read model shares: its numbered generations, the
 * prepared statements of each generation's tables, and the statements of
 * its listings. A read model adds its queries, its commit and its checksum.
 */
export abstract class SqliteGenerationStore<Tables> implements Omit<
  GenerationStore,
  'checksum'
> {
  protected readonly generations: SqliteGenerations;
  private readonly tables = new Map<number, Tables>();
  private readonly listings = new Map<string, Database.Statement>();

  protected constructor(
    protected readonly db: Database.Database,
    readonly model: string,
    layout: GenerationTables,
    private readonly openTables: (
      db: Database.Database,
      generation: number,
    ) => Tables,
  ) {
    this.generations = new SqliteGenerations(db, model, layout);
  }

  /**
   * Moves every committed page into the file and empties the write-ahead
   * log, after an erasure: the log keeps earlier versions of the pages
   * until then. With `secure_delete` on, the replaced values are zeroed in
   * the file too, so nothing of them is left in either.
   */
  protected scrubOldPages(): void {
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  activeGeneration(): Promise<number> {
    return sqliteCall(() => this.generations.ensureActive());
  }

  createGeneration(): Promise<number> {
    return sqliteCall(() => this.generations.create());
  }

  /**
   * Builds the query indexes one at a time, with a turn of the event loop
   * between them, so that requests are held up by one index at the most.
   */
  async indexGeneration(generation: number): Promise<void> {
    const count = this.generations.indexCount(generation);
    for (let which = 0; which < count; which += 1) {
      await sqliteCall(() => {
        this.generations.index(generation, which);
      });
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  activateGeneration(generation: number): Promise<void> {
    return sqliteCall(() => {
      this.generations.activate(generation);
    });
  }

  dropGeneration(generation: number): Promise<void> {
    return sqliteCall(() => {
      this.generations.drop(generation);
      this.tables.delete(generation);
    });
  }

  inactiveGenerations(): Promise<number[]> {
    return sqliteCall(() => this.generations.inactive());
  }

  readCheckpoint(generation: number): Promise<Position | null> {
    return sqliteCall(() => this.generations.checkpoint(generation));
  }

  /** The prepared statements of a generation's tables. */
  protected at(generation: number): Tables {
    let tables = this.tables.get(generation);
    if (tables === undefined) {
      tables = this.openTables(this.db, generation);
      this.tables.set(generation, tables);
    }
    return tables;
  }

  /** A listing's statement, prepared once per distinct query. */
  protected listing(sql: string): Database.Statement {
    let statement = this.listings.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql);
      this.listings.set(sql, statement);
    }
    return statement;
  }
}
