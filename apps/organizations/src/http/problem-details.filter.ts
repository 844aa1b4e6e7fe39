import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  Logger,
} from '@nestjs/common';
import { HTTP_STATUS_BY_CODE } from '@org/contracts';
import { DomainError, type ErrorCode } from '@org/domain';
import { EventStoreUnavailableError } from '@org/event-store';
import { ReadModelUnavailableError } from '@org/read-models';
import type { Response } from 'express';

import { currentCorrelationId } from '../logging/request-context.js';
import { ReadModelBehindError } from '../queries/read-model-queries.js';

/** An RFC 9457 problem document carrying the service's stable refusal code. */
export interface ProblemDocument {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code: ProblemCode;
  readonly correlationId: string | undefined;
  readonly details?: Readonly<Record<string, unknown>>;
  readonly commandId?: string | null;
}

/**
 * The one place where refusals and failures become HTTP responses. Domain
 * refusals keep their code; framework errors (bad JSON, oversize bodies) are
 * validation failures; anything else is a 500 that says nothing of its cause.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger(ProblemDetailsFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const problem = this.toProblem(exception);
    response
      .status(problem.status)
      .type('application/problem+json')
      .json(problem);
  }

  private toProblem(exception: unknown): ProblemDocument {
    if (exception instanceof DomainError) {
      return problem(exception.code, exception.message, exception.details);
    }
    const client = clientErrorStatus(exception);
    if (client !== undefined) return frameworkProblem(client);
    if (isUnavailable(exception)) {
      this.logger.warn({
        msg: 'unavailable',
        reason: (exception as Error).message,
      });
      return problem(
        'UNAVAILABLE',
        'a store or read model is not ready; try again shortly',
      );
    }
    this.logger.error({ msg: 'unexpected failure' }, exception);
    return {
      ...problem(
        'INTERNAL',
        'the service failed; quote the correlation id to support',
      ),
      status: 500,
    };
  }
}

type ProblemCode = ErrorCode | 'INTERNAL' | 'UNAVAILABLE';

const SERVER_STATUS: Readonly<Record<'INTERNAL' | 'UNAVAILABLE', number>> = {
  INTERNAL: 500,
  UNAVAILABLE: 503,
};

export function problem(
  code: ProblemCode,
  detail: string,
  details?: Readonly<Record<string, unknown>>,
): ProblemDocument {
  const status =
    code === 'INTERNAL' || code === 'UNAVAILABLE'
      ? SERVER_STATUS[code]
      : HTTP_STATUS_BY_CODE[code];
  return {
    type: `urn:organizations:problem:${code.toLowerCase()}`,
    title: code.toLowerCase().replace(/_/g, ' '),
    status,
    detail,
    code,
    correlationId: currentCorrelationId(),
    ...(details === undefined || Object.keys(details).length === 0
      ? {}
      : { details }),
  };
}

// Express's body parser throws plain errors with a status; Nest throws HttpExceptions.
function clientErrorStatus(exception: unknown): number | undefined {
  const status =
    exception instanceof HttpException
      ? exception.getStatus()
      : (exception as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 400 && status < 500
    ? status
    : undefined;
}

function frameworkProblem(status: number): ProblemDocument {
  switch (status) {
    case 404:
      return problem('NOT_FOUND', 'no such route');
    case 413:
      return {
        ...problem('VALIDATION_FAILED', 'the request body is too large'),
        status,
      };
    case 415:
      return {
        ...problem(
          'VALIDATION_FAILED',
          'send the body as UTF-8 application/json',
        ),
        status,
      };
    default:
      return problem('VALIDATION_FAILED', 'the request body is not valid JSON');
  }
}

// The caller can do nothing about these but wait: a read model behind a
// write it named, or a store that cannot be reached.
function isUnavailable(exception: unknown): boolean {
  return (
    exception instanceof ReadModelBehindError ||
    exception instanceof ReadModelUnavailableError ||
    exception instanceof EventStoreUnavailableError
  );
}
