import { describe, expect, it } from '@jest/globals';

import {
  CancelledError,
  MaxAppendSizeExceededError,
  StreamDeletedError,
  UnavailableError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';

import {
  EventStoreUnavailableError,
  WrongExpectedRevisionError,
} from '../event-store.port.js';
import { isTransient, translateEsdbError } from './esdb-errors.js';
import {
  fromClientRevision,
  isPortEvent,
  toClientRevision,
} from './esdb-events.js';

describe('EventStoreDB adapter glue', () => {
  it.each([
    [5, 5n],
    [0, 0n],
    [-1, 'no_stream'],
    ['no_stream' as const, 'no_stream'],
    ['any' as const, 'any'],
  ])('sends expected revision %p as %p', (expected, sent) => {
    expect(toClientRevision(expected)).toBe(sent);
  });

  it('reads the current revision of a missing stream as -1', () => {
    expect(fromClientRevision('no_stream')).toBe(-1);
    expect(fromClientRevision(7n)).toBe(7);
  });

  it.each([
    ['$stats-127.0.0.1:2113', '$statsCollected', false],
    ['$$organization-1', '$metadata', false],
    ['organization-1', '$streamDeleted', false],
    ['snapshot-organization-1', 'Snapshot', false],
    ['organization-1', 'OrganizationCreated', true],
  ])('shows %s / %s to port readers: %p', (streamId, type, shown) => {
    expect(isPortEvent(undefined, streamId, type)).toBe(shown);
  });

  it('applies the port filter on top', () => {
    const filter = { streamPrefixes: ['organization-'], eventTypes: ['A'] };

    expect(isPortEvent(filter, 'organization-1', 'A')).toBe(true);
    expect(isPortEvent(filter, 'organization-1', 'B')).toBe(false);
    expect(isPortEvent(filter, 'name-reservation-x', 'A')).toBe(false);
  });

  describe('translateEsdbError', () => {
    const append = { streamId: 'organization-1', expected: 3 } as const;

    it('turns a wrong expected version into the port error with the actual revision', () => {
      const error = new WrongExpectedVersionError(undefined, {
        streamName: 'organization-1',
        current: 'no_stream',
        expected: 3n,
      });

      const translated = translateEsdbError(error, append);

      expect(translated).toBeInstanceOf(WrongExpectedRevisionError);
      expect(translated).toMatchObject({ ...append, actual: -1 });
    });

    it.each([[new UnavailableError()], [new CancelledError()]])(
      'turns %p into EventStoreUnavailableError',
      (error) => {
        expect(isTransient(error)).toBe(true);
        expect(translateEsdbError(error)).toBeInstanceOf(
          EventStoreUnavailableError,
        );
      },
    );

    it('turns an oversized append into a RangeError and other refusals into Errors', () => {
      const oversized = MaxAppendSizeExceededError.fromMaxAppendSize(1024);
      const deleted = StreamDeletedError.fromStreamName('organization-1');

      expect(translateEsdbError(oversized)).toBeInstanceOf(RangeError);
      expect(translateEsdbError(deleted)).toMatchObject({
        message: expect.stringContaining('refused'),
        cause: deleted,
      });
    });

    it('passes errors that are not the client’s unchanged', () => {
      const error = new TypeError('bad argument');

      expect(translateEsdbError(error, append)).toBe(error);
    });
  });
});
