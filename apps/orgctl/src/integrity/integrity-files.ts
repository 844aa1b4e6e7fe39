import type { ChainedEvent, SignedDigest } from '@org/event-store';

import { CliError } from '../cli/errors.js';
import { EXIT } from '../cli/exit-codes.js';

/** The format tag the service gives an exported history. */
export const HISTORY_FORMAT = 'organization-history/1';

/**
 * An organization's history as `GET /v1/organizations/{id}/integrity/history`
 * gives it and `integrity export` writes it: the events as stored.
 */
export interface HistoryFile {
  readonly format: typeof HISTORY_FORMAT;
  readonly orgId: string;
  readonly streamId: string;
  readonly exportedAt: string;
  readonly events: readonly ChainedEvent[];
}

/**
 * Reads an exported history. A file that is not one fails verification
 * (exit 1): it may be one that was damaged.
 */
export function parseHistoryFile(text: string, path: string): HistoryFile {
  const value = parseJson(text, path) as Partial<HistoryFile> | null;
  if (value?.format !== HISTORY_FORMAT) {
    throw unusable(path, `it is not a history export (${HISTORY_FORMAT})`);
  }
  const { orgId, streamId, events } = value;
  if (typeof orgId !== 'string' || streamId !== `organization-${orgId}`) {
    throw unusable(path, 'its orgId and streamId do not belong together');
  }
  if (!Array.isArray(events)) throw unusable(path, 'it has no events list');
  const bad = events.findIndex((e: unknown) => !isChainedEvent(e, streamId));
  if (bad >= 0) {
    throw unusable(path, `its event #${bad} is malformed or of another stream`);
  }
  return value as HistoryFile;
}

/** Reads a signed digest as `integrity digest` writes it. */
export function parseDigestFile(text: string, path: string): SignedDigest {
  const value = parseJson(text, path) as Partial<SignedDigest> | null;
  const organizations: unknown = value?.organizations;
  if (
    typeof value?.signature !== 'string' ||
    typeof value.createdAt !== 'string' ||
    typeof value.publicKeyFingerprint !== 'string' ||
    !Array.isArray(organizations) ||
    !organizations.every(isDigestEntry)
  ) {
    throw unusable(path, 'it is not a signed digest');
  }
  return value as SignedDigest;
}

function isChainedEvent(value: unknown, streamId: string): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const event = value as Record<string, unknown>;
  return (
    event.streamId === streamId &&
    Number.isInteger(event.revision) &&
    typeof event.id === 'string' &&
    typeof event.type === 'string' &&
    Number.isInteger(event.schemaVersion) &&
    typeof event.metadata === 'object' &&
    event.metadata !== null
  );
}

function isDigestEntry(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Record<string, unknown>;
  return (
    typeof entry.orgId === 'string' &&
    Number.isInteger(entry.revision) &&
    typeof entry.headHash === 'string'
  );
}

function parseJson(text: string, path: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw unusable(path, 'it is not valid JSON');
  }
}

function unusable(path: string, reason: string): CliError {
  return new CliError(`${path} cannot be verified: ${reason}`, EXIT.failed);
}
