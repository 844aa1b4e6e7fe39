import type { ArgumentsHost } from '@nestjs/common';
import { describe, expect, it } from '@jest/globals';
import { DomainError } from '@org/domain';

import { withRequestContext } from '../logging/request-context.js';
import { ProblemDetailsFilter } from './problem-details.filter.js';

interface Sent {
  status?: number;
  type?: string;
  body?: unknown;
}

function answer(exception: unknown): Sent {
  const sent: Sent = {};
  const response = {
    status(code: number) {
      sent.status = code;
      return this;
    },
    type(value: string) {
      sent.type = value;
      return this;
    },
    json(body: unknown) {
      sent.body = body;
      return this;
    },
  };
  const host = {
    switchToHttp: () => ({ getResponse: () => response }),
  } as unknown as ArgumentsHost;
  withRequestContext({ correlationId: 'corr-9' }, () => {
    new ProblemDetailsFilter().catch(exception, host);
  });
  return sent;
}

describe('ProblemDetailsFilter', () => {
  it('turns a domain refusal into a problem document with its code and status', () => {
    expect(
      answer(new DomainError('LIMIT_EXCEEDED', 'too many', { limit: 2 })),
    ).toEqual({
      status: 422,
      type: 'application/problem+json',
      body: {
        type: 'urn:organizations:problem:limit_exceeded',
        title: 'limit exceeded',
        status: 422,
        code: 'LIMIT_EXCEEDED',
        detail: 'too many',
        details: { limit: 2 },
        correlationId: 'corr-9',
      },
    });
  });

  it('answers an unexpected error with 500 and nothing of its cause', () => {
    const sent = answer(
      new TypeError('cannot read secret-column of undefined'),
    );
    expect(sent.status).toBe(500);
    expect(JSON.stringify(sent.body)).not.toContain('secret-column');
    expect(sent.body).toMatchObject({
      code: 'INTERNAL',
      correlationId: 'corr-9',
    });
  });

  it('treats a body parser error as a validation failure with its status', () => {
    expect(
      answer(Object.assign(new Error('too large'), { status: 413 })),
    ).toMatchObject({
      status: 413,
      body: { code: 'VALIDATION_FAILED', status: 413 },
    });
  });
});
