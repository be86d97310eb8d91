import type { IncomingMessage, ServerResponse } from 'node:http';
import { validateConfig } from '@lineage/config';
import { GraphiqlIdeController } from './graphiql-ide.controller';
import { IDE_PAGE, ideAsset } from './graphiql-assets';
import { GraphiqlPageMiddleware } from './graphiql-page.middleware';

function response() {
  const headers: Record<string, string> = {};
  let body: unknown;
  const res = {
    statusCode: 0,
    headersSent: false,
    setHeader: (name: string, value: string) => (headers[name.toLowerCase()] = value),
    end: (chunk?: unknown) => (body = chunk),
  };
  return { res: res as unknown as ServerResponse, headers, status: () => res.statusCode, body: () => body };
}

const get = (url: string, accept: string) =>
  ({ method: 'GET', url, headers: { accept } }) as unknown as IncomingMessage;

describe('the GraphQL IDE switch (LINEAGE_GRAPHQL_IDE)', () => {
  test('on: a browser GET of /graphql gets the page; API clients and GET queries pass through to Apollo', () => {
    const middleware = new GraphiqlPageMiddleware(validateConfig({}));
    const page = response();
    const next = jest.fn();
    middleware.use(get('/graphql', 'text/html,*/*'), page.res, next);
    expect(next).not.toHaveBeenCalled();
    expect(page.body()).toBe(IDE_PAGE);
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    for (const request of [get('/graphql', 'application/json'), get('/graphql?query=%7B__typename%7D', 'text/html')]) {
      const passed = jest.fn();
      middleware.use(request, response().res, passed);
      expect(passed).toHaveBeenCalledTimes(1);
    }
  });

  test('off: no page and no assets', () => {
    const config = validateConfig({ LINEAGE_GRAPHQL_IDE: 'false' });
    const next = jest.fn();
    new GraphiqlPageMiddleware(config).use(get('/graphql', 'text/html'), response().res, next);
    expect(next).toHaveBeenCalledTimes(1);
    const asset = response();
    new GraphiqlIdeController(config).asset('graphiql.min.js', asset.res);
    expect(asset.status()).toBe(404);
    expect(ideAsset('graphiql.min.js')).not.toBeNull();
  });
});
