import { describe, expect, it } from '@jest/globals';

import {
  ERROR_CODES,
  HTTP_STATUS_BY_CODE,
  validationFailedReply,
} from './replies.js';

describe('HTTP_STATUS_BY_CODE', () => {
  it('maps every refusal code to its status', () => {
    expect(Object.keys(HTTP_STATUS_BY_CODE).sort()).toEqual(
      [...ERROR_CODES].sort(),
    );
    expect(HTTP_STATUS_BY_CODE).toEqual({
      VALIDATION_FAILED: 400,
      UNAUTHENTICATED: 401,
      FORBIDDEN: 403,
      NOT_FOUND: 404,
      NAME_TAKEN: 409,
      CONFLICT: 409,
      INVALID_STATE: 409,
      IDEMPOTENCY_MISMATCH: 409,
      LIMIT_EXCEEDED: 422,
      PRECONDITIONS_UNMET: 422,
    });
  });
});

describe('validationFailedReply', () => {
  it('lists the problems in the message and in the details', () => {
    const problems = [
      { field: '', problem: 'the command envelope must be a JSON object' },
      { field: 'payload.name', problem: 'must be text' },
    ];

    expect(validationFailedReply({ commandId: null, problems })).toEqual({
      status: 'rejected',
      commandId: null,
      code: 'VALIDATION_FAILED',
      message:
        'the command envelope must be a JSON object; payload.name: must be text',
      details: { problems },
    });
  });
});
