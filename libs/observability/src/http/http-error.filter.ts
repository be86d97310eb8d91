import type { ArgumentsHost, ExceptionFilter } from '@nestjs/common';
import { Catch } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import type { DomainErrorCode } from '@lineage/domain';
import { DomainError } from '@lineage/domain';
import { StoreUnavailableError } from '@lineage/pipeline';
import { asDomainError } from '../errors/domain-error-classifier';
import { sendJson } from './send-json';

/** How long a client should wait before retrying when the store is unavailable. */
const RETRY_AFTER_SECONDS = 5;

/** The HTTP status for each domain error code (the GraphQL transport has its own mapping). */
export function httpStatusOf(code: DomainErrorCode): number {
  switch (code) {
    case 'BAD_USER_INPUT':
      return 400;
    case 'UNAUTHENTICATED':
      return 401;
    case 'FORBIDDEN':
      return 403;
    case 'NOT_FOUND':
      return 404;
    case 'CONFLICT':
      return 409;
    case 'UNAVAILABLE':
      return 503;
  }
}

/** The JSON body of every HTTP error this product sends: `{ error, reason, field }`. */
export interface HttpErrorBody {
  readonly error: string;
  readonly reason: string;
  readonly field: string | null;
}

/**
 * Domain errors raised on HTTP routes (by the access guard, the events controller, the store)
 * become `{ error: <code>, reason, field }` with the matching status. On other transports the
 * error passes through to their own mapping (GraphQL's `formatError`).
 */
@Catch(DomainError, StoreUnavailableError)
export class HttpErrorFilter implements ExceptionFilter {
  catch(exception: DomainError | StoreUnavailableError, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const error = asDomainError(exception)!;
    const response = host.switchToHttp().getResponse<ServerResponse>();
    const status = httpStatusOf(error.code);
    if (status === 401) response.setHeader('WWW-Authenticate', 'Bearer');
    if (status === 503) response.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    const body: HttpErrorBody = { error: error.code, reason: error.message, field: error.field ?? null };
    sendJson(response, status, body);
  }
}
