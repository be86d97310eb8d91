import type { NestMiddleware } from '@nestjs/common';
import { Injectable } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import type { AuthenticatedRequest } from '@lineage/auth';
import { JsonLogger } from '../json-logger';

/**
 * One log line per request when it finishes: method, path (without the query string, which
 * may hold a GraphQL document), status, duration, and the caller's key id and role. Never a
 * header, a body or a key.
 */
@Injectable()
export class RequestLoggingMiddleware implements NestMiddleware {
  constructor(private readonly logger: JsonLogger) {}

  use(request: AuthenticatedRequest, response: ServerResponse, next: () => void): void {
    const started = performance.now();
    response.on('finish', () => {
      const path = (request.originalUrl ?? request.url ?? '').split('?')[0];
      const line = {
        msg: 'request',
        method: request.method,
        path,
        status: response.statusCode,
        durationMs: Math.round((performance.now() - started) * 10) / 10,
        keyId: request.principal?.keyId ?? null,
        role: request.principal?.role ?? null,
      };
      // Probes every few seconds would drown the rest.
      if (path === '/health') this.logger.debug(line, 'http');
      else this.logger.log(line, 'http');
    });
    next();
  }
}

declare module 'node:http' {
  interface IncomingMessage {
    /** Set by Express: the URL before any mount point was stripped. */
    originalUrl?: string;
  }
}
