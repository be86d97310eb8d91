import type { CanActivate, ExecutionContext } from '@nestjs/common';
import { Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { ApiRole } from '@lineage/domain';
import { DomainError } from '@lineage/domain';
import { ApiKeyAuthenticator, unauthenticated } from './api-key-authenticator';
import type { AuthenticatedRequest, Principal } from './principal';
import { roleAllows } from './principal';
import { PUBLIC_KEY, ROLES_KEY } from './roles.decorator';

/** What a GraphQL resolver's context carries: the request and the verified caller. */
export interface RequestContext {
  readonly req: AuthenticatedRequest;
  readonly principal?: Principal;
}

/**
 * The one access check, for HTTP routes and GraphQL resolvers alike: `@Public()` handlers pass;
 * every other one needs a valid key (UNAUTHENTICATED otherwise) whose role is at least the
 * handler's `@Roles(...)` (FORBIDDEN otherwise; `admin` when a handler declares nothing).
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: ApiKeyAuthenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean | undefined>(PUBLIC_KEY, targets)) return true;
    const minimum = this.reflector.getAllAndOverride<ApiRole | undefined>(ROLES_KEY, targets) ?? 'admin';
    const principal = await this.principalOf(context);
    if (!roleAllows(principal.role, minimum)) {
      throw new DomainError(
        'FORBIDDEN',
        `this needs the ${minimum} role or a higher one; the key's role is ${principal.role}`,
      );
    }
    return true;
  }

  private async principalOf(context: ExecutionContext): Promise<Principal> {
    const type = context.getType<string>();
    if (type === 'graphql') {
      // The GraphQL context factory has authenticated the request already (see graphql-api).
      const gqlContext = context.getArgByIndex<RequestContext | undefined>(2);
      if (!gqlContext?.principal) throw unauthenticated();
      return gqlContext.principal;
    }
    if (type === 'http') {
      const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
      request.principal ??= await this.authenticator.authenticate(request.headers.authorization);
      return request.principal;
    }
    throw unauthenticated();
  }
}
