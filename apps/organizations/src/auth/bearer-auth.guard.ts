import {
  type CanActivate,
  createParamDecorator,
  type ExecutionContext,
  Inject,
  Injectable,
} from '@nestjs/common';
import { type Actor, DomainError } from '@org/domain';
import type { Request } from 'express';

import { TokenResolver } from './token-registry.js';

interface AuthenticatedRequest extends Request {
  actor?: Actor;
}

const BEARER = /^Bearer ([\x21-\x7e]{1,512})$/;

/** Resolves the caller's actor from `Authorization: Bearer <token>`, or refuses. */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  constructor(@Inject(TokenResolver) private readonly tokens: TokenResolver) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const match = BEARER.exec(request.headers.authorization ?? '');
    const actor =
      match?.[1] === undefined ? null : this.tokens.resolve(match[1]);
    if (actor === null) {
      throw new DomainError(
        'UNAUTHENTICATED',
        'send a valid token as "Authorization: Bearer <token>"',
      );
    }
    request.actor = actor;
    return true;
  }
}

/** The authenticated actor of the request; use with {@link BearerAuthGuard}. */
export const CurrentActor = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Actor => {
    const { actor } = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (actor === undefined)
      throw new Error('CurrentActor used without BearerAuthGuard');
    return actor;
  },
);
