import { describe, expect, it } from '@jest/globals';
import { ERROR_CODES } from '@org/contracts';

import { EXIT, exitCodeForRefusal, exitCodeForStatus } from './exit-codes.js';

describe('exit codes', () => {
  it.each([
    [400, EXIT.refused],
    [409, EXIT.refused],
    [413, EXIT.refused],
    [422, EXIT.refused],
    [401, EXIT.auth],
    [403, EXIT.auth],
    [404, EXIT.notFound],
    [500, EXIT.unavailable],
    [502, EXIT.unavailable],
    [503, EXIT.unavailable],
  ])('maps HTTP %p to %p', (status, code) => {
    expect(exitCodeForStatus(status)).toBe(code);
  });

  it('maps every refusal code as its HTTP status', () => {
    const byCode = Object.fromEntries(
      ERROR_CODES.map((code) => [code, exitCodeForRefusal(code)]),
    );

    expect(byCode).toEqual({
      VALIDATION_FAILED: 1,
      UNAUTHENTICATED: 3,
      FORBIDDEN: 3,
      NOT_FOUND: 4,
      NAME_TAKEN: 1,
      CONFLICT: 1,
      INVALID_STATE: 1,
      IDEMPOTENCY_MISMATCH: 1,
      LIMIT_EXCEEDED: 1,
      PRECONDITIONS_UNMET: 1,
    });
  });
});
