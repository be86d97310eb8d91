import type { NestMiddleware } from '@nestjs/common';
import { Injectable } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LineageConfig } from '@lineage/config';
import { IDE_CONTENT_SECURITY_POLICY, IDE_PAGE } from './graphiql-assets';

/**
 * `GET /graphql` from a browser (Accept: text/html, no `query` parameter) gets the IDE's page;
 * every other request passes on to Apollo. Apollo's own landing page is off: it loads from a CDN.
 */
@Injectable()
export class GraphiqlPageMiddleware implements NestMiddleware {
  constructor(private readonly config: LineageConfig) {}

  use(request: IncomingMessage, response: ServerResponse, next: () => void): void {
    if (!this.wantsPage(request)) {
      next();
      return;
    }
    response.statusCode = 200;
    response.setHeader('Content-Type', 'text/html; charset=utf-8');
    response.setHeader('Content-Security-Policy', IDE_CONTENT_SECURITY_POLICY);
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.setHeader('Referrer-Policy', 'no-referrer');
    response.end(IDE_PAGE);
  }

  private wantsPage(request: IncomingMessage): boolean {
    if (this.config.LINEAGE_GRAPHQL_IDE !== 'true' || request.method !== 'GET') return false;
    const accept = request.headers.accept ?? '';
    const query = new URL(request.url ?? '/', 'http://localhost').searchParams;
    return accept.includes('text/html') && !query.has('query');
  }
}
