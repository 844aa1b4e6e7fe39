import type { LegalHold, Member } from '@org/domain';

import type { OrganizationView } from '../organization/organization-view.js';
import type { FieldChange } from './audit-history.port.js';

// Collections whose elements are told apart by a key: a change names the
// element that came, went or changed rather than the whole list.
const KEYED: Readonly<Record<string, (item: unknown) => string>> = {
  members: (item) => (item as Member).userId,
  legalHolds: (item) => (item as LegalHold).caseReference,
  activeDeployments: (item) => item as string,
};

// Bookkeeping of the view, told by the entry itself.
const NOT_STATE = new Set(['id', 'revision', 'createdAt', 'updatedAt']);

const PERSONAL_PATHS = new Set([
  'profile.contactEmail',
  'billing.billingEmail',
  'ownerUserId',
]);
const PERSONAL_FIELDS: Readonly<Record<string, string>> = {
  members: 'userId',
};

/** The fields whose values differ between two states of an organization. */
export function fieldChanges(
  before: OrganizationView | null,
  after: OrganizationView,
): FieldChange[] {
  const changes: FieldChange[] = [];
  const keys = unionOfKeys(before ?? {}, after).filter(
    (key) => !NOT_STATE.has(key),
  );
  for (const key of keys) {
    diff(key, field(before, key), field(after, key), changes);
  }
  return changes;
}

/** The personal-data markers of changes, see `AuditEntry.personal`. */
export function personalMarkers(changes: readonly FieldChange[]): string[] {
  const markers = new Set<string>();
  for (const { path } of changes) {
    if (PERSONAL_PATHS.has(path)) markers.add(path);
    const inner = PERSONAL_FIELDS[path];
    if (inner !== undefined) markers.add(`${path}.${inner}`);
  }
  return [...markers];
}

function diff(
  path: string,
  before: unknown,
  after: unknown,
  changes: FieldChange[],
): void {
  if (sameData(before ?? null, after ?? null)) return;
  const keyOf = KEYED[path];
  if (keyOf !== undefined) {
    diffKeyed(path, listOf(before), listOf(after), keyOf, changes);
  } else if (isRecordOrAbsent(before) && isRecordOrAbsent(after)) {
    for (const key of unionOfKeys(before ?? {}, after ?? {})) {
      diff(`${path}.${key}`, field(before, key), field(after, key), changes);
    }
  } else {
    changes.push({ path, before: before ?? null, after: after ?? null });
  }
}

function diffKeyed(
  path: string,
  before: readonly unknown[],
  after: readonly unknown[],
  keyOf: (item: unknown) => string,
  changes: FieldChange[],
): void {
  const old = new Map(before.map((item) => [keyOf(item), item]));
  const now = new Map(after.map((item) => [keyOf(item), item]));
  for (const key of new Set([...old.keys(), ...now.keys()])) {
    const [was, is] = [old.get(key) ?? null, now.get(key) ?? null];
    if (!sameData(was, is)) changes.push({ path, before: was, after: is });
  }
}

function unionOfKeys(a: object, b: object): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])];
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

function listOf(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

function isRecordOrAbsent(
  value: unknown,
): value is Record<string, unknown> | null | undefined {
  return value === undefined || value === null || isRecord(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Structural equality of JSON data. */
export function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || !a || !b) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const aKeys = Object.keys(a);
  const bRecord = b as Record<string, unknown>;
  return (
    aKeys.length === Object.keys(b).length &&
    aKeys.every(
      (key) =>
        Object.hasOwn(b, key) &&
        sameData((a as Record<string, unknown>)[key], bRecord[key]),
    )
  );
}
