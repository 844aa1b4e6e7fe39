import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import {
  type AcceptedReply,
  type RejectedReply,
  validateCommandEnvelope,
} from '@org/contracts';
import {
  BUS_PATTERNS,
  type BusQuery,
  type QueryReply,
  type VerifiedRequest,
} from '@org/bus';
import { type Actor, DomainError } from '@org/domain';

import { CommandGateway } from '../commands/command-gateway.js';
import { auditQueryOf } from '../http/query-params.js';
import {
  OrganizationQueries,
  pointInTime,
} from '../queries/organization-queries.js';
import { ReadModelQueries } from '../queries/read-model-queries.js';

/**
 * Commands and queries from other services over the bus, answered exactly
 * like their HTTP counterparts. An unexpected failure is thrown, so that the
 * entry stays unacknowledged and is delivered again or dead-lettered.
 */
@Controller()
export class BusController {
  constructor(
    private readonly gateway: CommandGateway,
    private readonly queries: OrganizationQueries,
    private readonly fleet: ReadModelQueries,
  ) {}

  @MessagePattern(BUS_PATTERNS.command)
  async command(
    request: VerifiedRequest,
  ): Promise<AcceptedReply | RejectedReply> {
    const validated = validateCommandEnvelope(request.body);
    if (!validated.ok) {
      return {
        status: 'rejected',
        commandId: validated.commandId,
        code: 'VALIDATION_FAILED',
        message: validated.problems
          .map((p) => `${p.field}: ${p.problem}`)
          .join('; '),
        details: { problems: validated.problems },
      };
    }
    const { envelope } = validated;
    return this.gateway.submit({
      envelope,
      actor: serviceActor(request),
      correlationId: envelope.correlationId ?? envelope.commandId,
    });
  }

  @MessagePattern(BUS_PATTERNS.query)
  async query(request: VerifiedRequest): Promise<QueryReply> {
    const query = request.body as Partial<BusQuery>;
    const queryId =
      typeof query.queryId === 'string' ? query.queryId.slice(0, 64) : '';
    try {
      return {
        status: 'ok',
        queryId,
        result: await this.answer(query, serviceActor(request)),
      };
    } catch (error: unknown) {
      if (!(error instanceof DomainError)) throw error;
      return {
        status: 'rejected',
        queryId,
        code: error.code,
        message: error.message,
      };
    }
  }

  private answer(query: Partial<BusQuery>, actor: Actor): Promise<unknown> {
    const orgId = typeof query.orgId === 'string' ? query.orgId : '';
    if (query.query === 'organization')
      return this.queries.current(actor, orgId);
    if (query.query === 'organizationAt') {
      return this.queries.asOf(
        actor,
        orgId,
        pointInTime(query.at, query.revision),
      );
    }
    if (query.query === 'audit') {
      return this.fleet.auditPage(actor, auditQueryOf(query));
    }
    throw new DomainError(
      'VALIDATION_FAILED',
      'query must be organization, organizationAt or audit',
    );
  }
}

function serviceActor(request: VerifiedRequest): Actor {
  return { type: 'service', id: request.service };
}
