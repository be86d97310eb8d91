import type { LoggerService } from '@nestjs/common';
import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLFormattedError } from 'graphql';
import { GraphQLError } from 'graphql';
import type { DomainError, DomainErrorCode } from '@lineage/domain';
import { asDomainError, httpStatusOf } from '@lineage/observability';

/**
 * The GraphQL side of error codes, in one place: every domain error code maps to the
 * `extensions.code` clients see. Internal errors are logged and answered without detail.
 */
export function graphqlCodeOf(code: DomainErrorCode): string {
  switch (code) {
    case 'NOT_FOUND':
      return 'NOT_FOUND';
    case 'BAD_USER_INPUT':
      return 'BAD_USER_INPUT';
    case 'UNAUTHENTICATED':
      return 'UNAUTHENTICATED';
    case 'FORBIDDEN':
      return 'FORBIDDEN';
    case 'CONFLICT':
      return 'CONFLICT';
    case 'UNAVAILABLE':
      return 'SERVICE_UNAVAILABLE';
  }
}

function extensionsOf(error: DomainError): Record<string, unknown> {
  return { code: graphqlCodeOf(error.code), ...(error.field ? { field: error.field } : {}) };
}

/**
 * A domain error raised before execution (in the context factory: a missing key) as a GraphQL
 * error whose HTTP status Apollo uses (401 with `WWW-Authenticate`, 503).
 */
export function requestError(error: unknown): unknown {
  const domain = asDomainError(error);
  if (!domain) return error;
  const status = httpStatusOf(domain.code);
  const headers = new Map<string, string>(status === 401 ? [['www-authenticate', 'Bearer']] : []);
  return new GraphQLError(domain.message, { extensions: { ...extensionsOf(domain), http: { status, headers } } });
}

/** Apollo's `formatError`: domain errors get their code; internal errors lose their detail. */
export function createErrorFormatter(logger: LoggerService) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const domain = asDomainError(unwrapResolverError(error));
    const base = {
      message: formatted.message,
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      ...(formatted.path ? { path: formatted.path } : {}),
    };
    if (domain) return { ...base, message: domain.message, extensions: extensionsOf(domain) };
    const code = formatted.extensions?.['code'];
    if (code === undefined || code === 'INTERNAL_SERVER_ERROR') {
      const original = unwrapResolverError(error);
      logger.error(
        {
          msg: 'GraphQL internal error',
          error: original instanceof Error ? original.name : 'unknown',
          reason: original instanceof Error ? original.message : String(original),
          path: formatted.path,
        },
        original instanceof Error ? original.stack : undefined,
        'GraphQL',
      );
      return { ...base, message: 'internal error', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
    }
    // Parse, validation and limit errors keep their message and extensions, never a stack trace.
    const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
    return { ...base, extensions };
  };
}
