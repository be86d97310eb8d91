import type { INestApplication, Type } from '@nestjs/common';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { LineageConfig } from '@lineage/config';
import { GRAPH_STORE } from '@lineage/domain';
import type { GraphStore } from '@lineage/domain';
import { JsonLogger } from '../json-logger';

/**
 * Create an HTTP app the way every entry point (and every end-to-end test) does: JSON logs,
 * no global body parser (each route reads its own body, with its own limit), graceful
 * shutdown on SIGTERM/SIGINT, and errors thrown rather than aborting the process.
 */
export async function createHttpApp(rootModule: Type<unknown>): Promise<INestApplication> {
  const app = await NestFactory.create(rootModule, {
    bodyParser: false,
    bufferLogs: true,
    abortOnError: false,
    forceCloseConnections: true,
  });
  app.useLogger(app.get(JsonLogger));
  app.enableShutdownHooks();
  // No framework banner in responses.
  (app.getHttpAdapter().getInstance() as { disable(setting: string): void }).disable('x-powered-by');
  return app;
}

/** The start-up line: where the app listens, on which store, and where the admin key is. */
export async function announceStartup(app: INestApplication, name: string, adminKey?: string): Promise<void> {
  const url = (await app.getUrl())
    .replace('[::1]', 'localhost')
    .replace('127.0.0.1', 'localhost')
    .replace('[::]', 'localhost');
  const store = app.get<GraphStore>(GRAPH_STORE).kind;
  const key = adminKey === undefined ? '' : `; admin key: ${adminKey}`;
  new Logger('Startup').log({
    msg: `nhi-lineage ${name} listening on ${url} (store: ${store})${key}`,
    url,
    graphql: `${url}/graphql`,
    store,
    ...(adminKey === undefined ? {} : { adminKey }),
  });
}

/**
 * What every `main.ts` does: create the app, listen on PORT, say where; on a start-up failure,
 * log it (one JSON line) and exit with status 1.
 */
export async function startApp(
  rootModule: Type<unknown>,
  name: string,
  adminKey?: (app: INestApplication) => string,
): Promise<INestApplication | null> {
  try {
    const app = await createHttpApp(rootModule);
    await app.listen(app.get(LineageConfig).PORT);
    await announceStartup(app, name, adminKey?.(app));
    return app;
  } catch (error) {
    new JsonLogger('error').error(
      { msg: `nhi-lineage ${name} failed to start`, reason: error instanceof Error ? error.message : String(error) },
      'Startup',
    );
    process.exit(1);
  }
}
