import type { OrganizationStatus } from '@org/domain';
import type { Position } from '@org/event-store';

import type { OrganizationView } from '../organization/organization-view.js';
import type { GenerationStore } from '../projection/projection.port.js';
import type { Page } from '../shared/pagination.js';

/** An organization in the directory: its current state, without internals. */
export type DirectoryEntry = OrganizationView;

/**
 * Which organizations to list. Every filter given must hold; entries come
 * ordered by name.
 */
export interface DirectoryQuery {
  readonly environment?: string;
  readonly businessUnit?: string;
  readonly region?: string;
  /** Free labels that must all be set to these values. */
  readonly labels?: Readonly<Record<string, string>>;
  readonly status?: OrganizationStatus;
  /** Names starting with this, compared case-insensitively. */
  readonly namePrefix?: string;
  /** Entries per page, 1 to 1000. Defaults to 50. */
  readonly limit?: number;
  /** The `nextCursor` of the previous page. */
  readonly cursor?: string;
}

/**
 * The organization directory, the query side.
 *
 * Paging is keyed on the name, which never changes: walking all pages
 * yields every organization that existed when the walk began exactly once,
 * while others are created or changed, as long as the change does not move
 * it in or out of the filter.
 */
export interface OrganizationDirectory {
  getById(id: string): Promise<DirectoryEntry | null>;
  /** By name, compared case-insensitively. */
  getByName(name: string): Promise<DirectoryEntry | null>;
  /** Throws `InvalidQueryError` for a bad limit or cursor. */
  list(query?: DirectoryQuery): Promise<Page<DirectoryEntry>>;
}

/** One organization changed by a batch, as loaded before it and after it. */
export interface DirectoryUpsert {
  readonly before: DirectoryEntry | null;
  readonly after: DirectoryEntry;
}

/** The directory's storage: queries, and what its projection writes. */
export interface DirectoryStore extends OrganizationDirectory, GenerationStore {
  /** The entries of these organizations that the generation holds. */
  load(
    generation: number,
    ids: readonly string[],
  ): Promise<Map<string, DirectoryEntry>>;
  /** The ids of the organizations holding these names, by name. */
  idsByName(
    generation: number,
    names: readonly string[],
  ): Promise<Map<string, string>>;
  /**
   * Writes the entries and the checkpoint in one atomic step; throws
   * `CheckpointConflictError`, writing nothing, when the stored
   * checkpoint is not `expected`.
   */
  commit(
    generation: number,
    upserts: readonly DirectoryUpsert[],
    expected: Position | null,
    checkpoint: Position,
  ): Promise<void>;
}
