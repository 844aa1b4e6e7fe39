import { EVENT_SCHEMA_VERSIONS } from '@org/domain';

import type { EventMetadataRecord } from '../event-store.port.js';

/**
 * Turns the data of one event type from one schema version into the next.
 * It must be pure: it runs on every read of an old event.
 */
export type Upcaster = (
  data: unknown,
  metadata: EventMetadataRecord,
) => unknown;

/**
 * Upcasters by event type, then by the version each upgrades from: the
 * function under `2` turns version-2 data into version-3 data. Reads apply
 * them one step at a time up to the current version.
 */
export type UpcasterRegistry = Readonly<
  Record<string, Readonly<Record<number, Upcaster>>>
>;

/** The schema version each event type is written with today. */
export type SchemaVersionTable = Readonly<Record<string, number>>;

/** How every adapter upgrades old events on read. */
export interface SchemaOptions {
  /**
   * The current version of each event type; types not listed are returned
   * as stored. Defaults to the organization events' `EVENT_SCHEMA_VERSIONS`.
   */
  readonly currentVersions?: SchemaVersionTable;
  /** Defaults to {@link ORGANIZATION_UPCASTERS}. */
  readonly upcasters?: UpcasterRegistry;
}

/**
 * The upcasters of the organization events.
 *
 * Limitation: empty today, because every organization event is still at
 * version 1. The mechanism is proven with fixture events only; the first
 * real change of an event's data shape must add its upcaster here together
 * with the raised version in `EVENT_SCHEMA_VERSIONS`.
 */
export const ORGANIZATION_UPCASTERS: UpcasterRegistry = {};

/** A stored event is older than its type's current version, with no way up. */
export class MissingUpcasterError extends Error {
  override readonly name = 'MissingUpcasterError';

  constructor(
    readonly eventType: string,
    readonly fromVersion: number,
  ) {
    super(
      `no upcaster for ${eventType} from schema version ${fromVersion}; ` +
        'register one before reading events stored at that version',
    );
  }
}

/** Data together with the schema version it has. */
export interface VersionedData {
  readonly schemaVersion: number;
  readonly data: unknown;
}

/** Applies an upcaster registry up to a table of current versions. */
export class Upcasting {
  private readonly currentVersions: SchemaVersionTable;
  private readonly upcasters: UpcasterRegistry;

  constructor(options: SchemaOptions = {}) {
    this.currentVersions = options.currentVersions ?? EVENT_SCHEMA_VERSIONS;
    this.upcasters = options.upcasters ?? ORGANIZATION_UPCASTERS;
  }

  /**
   * Upgrades step by step to the current version of `type`. Data at or
   * above the current version, or of an unlisted type, is returned as is.
   *
   * Limitation: there are no downcasters, so an older release reading an
   * event written by a newer one gets the newer shape with its higher
   * `schemaVersion`, and must refuse or skip it itself.
   */
  upgrade(
    type: string,
    stored: VersionedData,
    metadata: EventMetadataRecord,
  ): VersionedData {
    const current = ownValue(this.currentVersions, type) ?? 0;
    let { schemaVersion, data } = stored;
    while (schemaVersion < current) {
      data = this.upcasterFor(type, schemaVersion)(data, metadata);
      schemaVersion += 1;
    }
    return { schemaVersion, data };
  }

  private upcasterFor(type: string, fromVersion: number): Upcaster {
    const steps = ownValue(this.upcasters, type);
    const step = steps && ownValue(steps, fromVersion);
    if (!step) throw new MissingUpcasterError(type, fromVersion);
    return step;
  }
}

// Event types are data from the store: a type named like an Object.prototype
// member must not find that member.
function ownValue<Value>(
  record: Readonly<Record<string | number, Value>>,
  key: string | number,
): Value | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
