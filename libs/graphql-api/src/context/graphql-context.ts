import type { ApiKeyAuthenticator, AuthenticatedRequest, RequestContext } from '@lineage/auth';
import { requestError } from '../errors/graphql-errors';

/**
 * Every GraphQL request, introspection included, needs a valid key: the context is built only
 * for an authenticated caller, and a request without one fails as a whole with UNAUTHENTICATED
 * (HTTP 401) before any resolver runs. Roles are checked per resolver by the access guard.
 */
export async function createRequestContext(
  request: AuthenticatedRequest,
  authenticator: ApiKeyAuthenticator,
): Promise<RequestContext> {
  try {
    const principal = await authenticator.authenticate(request.headers.authorization);
    request.principal = principal;
    return { req: request, principal };
  } catch (error) {
    throw requestError(error);
  }
}
