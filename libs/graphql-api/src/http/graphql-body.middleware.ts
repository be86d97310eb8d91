import type { NestMiddleware } from '@nestjs/common';
import { Injectable } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyTooLargeError, readBody, sendJson } from '@lineage/observability';

/** A GraphQL request is a document and its variables: one MiB is plenty. */
export const MAX_GRAPHQL_BODY_BYTES = 1024 * 1024;

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;.*)?$/i;

/**
 * Parses `POST /graphql` JSON bodies for Apollo (the apps run without a global body parser).
 * Other content types are left unparsed, and Apollo refuses them (its CSRF protection too).
 */
@Injectable()
export class GraphqlBodyMiddleware implements NestMiddleware {
  async use(
    request: IncomingMessage & { body?: unknown },
    response: ServerResponse,
    next: (error?: unknown) => void,
  ): Promise<void> {
    if (!JSON_TYPE.test(request.headers['content-type'] ?? '')) {
      next();
      return;
    }
    let bytes: Buffer;
    try {
      bytes = await readBody(request, MAX_GRAPHQL_BODY_BYTES);
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        sendJson(response, 413, { errors: [{ message: error.message, extensions: { code: 'PAYLOAD_TOO_LARGE' } }] });
        return;
      }
      next(error);
      return;
    }
    try {
      request.body = bytes.length === 0 ? {} : (JSON.parse(bytes.toString('utf8')) as unknown);
    } catch {
      sendJson(response, 400, {
        errors: [{ message: 'the request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }],
      });
      return;
    }
    next();
  }
}
