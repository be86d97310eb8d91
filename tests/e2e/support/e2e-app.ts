import type { INestApplication } from '@nestjs/common';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHttpApp } from '@lineage/observability';
import { ServerModule } from '../../../apps/server/src/server.module';

/**
 * The real server app (the module `npm start` runs) on an embedded store in a temporary
 * directory, listening on a free port, spoken to over real HTTP. One per test file.
 */
export interface E2eApp {
  readonly app: INestApplication;
  readonly url: string;
  readonly dataDir: string;
  /** The admin key the first start wrote to `<data dir>/admin.key`. */
  readonly adminKey: string;
  close(): Promise<void>;
}

export interface HttpAnswer<T = unknown> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
  readonly text: string;
}

export interface GraphqlBody {
  readonly data?: Record<string, unknown> | null;
  readonly errors?: readonly {
    message: string;
    path?: readonly (string | number)[];
    extensions?: Record<string, unknown>;
  }[];
}

/** Settings the app reads; everything else keeps its default. */
const MANAGED_ENV = [
  'LINEAGE_DATA_DIR',
  'LINEAGE_STORE',
  'LOG_LEVEL',
  'PORT',
  'KAFKA_BROKERS',
  'LINEAGE_ADMIN_KEY',
  'LINEAGE_GRAPHQL_IDE',
  'LINEAGE_WEBHOOK_URL',
  'LINEAGE_WEBHOOK_SECRET',
];

export interface E2eOptions {
  /** Extra settings (LINEAGE_ADMIN_KEY, LOG_LEVEL…). */
  readonly env?: Record<string, string>;
  /** Start on an existing data directory (a restart); it is then left in place on close. */
  readonly dataDir?: string;
}

export async function startE2eApp(options: E2eOptions = {}): Promise<E2eApp> {
  const env = options.env ?? {};
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'nhi-lineage-e2e-'));
  const saved = Object.fromEntries(MANAGED_ENV.map((name) => [name, process.env[name]]));
  for (const name of MANAGED_ENV) delete process.env[name];
  Object.assign(process.env, { LINEAGE_DATA_DIR: dataDir, LINEAGE_STORE: 'embedded', LOG_LEVEL: 'error', ...env });
  let app: INestApplication;
  try {
    app = await createHttpApp(ServerModule);
    await app.listen(0, '127.0.0.1');
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const adminKey = env['LINEAGE_ADMIN_KEY'] ?? readFileSync(join(dataDir, 'admin.key'), 'utf8').trim();
  return {
    app,
    url,
    dataDir,
    adminKey,
    async close() {
      await app.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function request<T = unknown>(
  base: string,
  method: string,
  path: string,
  options: { key?: string | null; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<HttpAnswer<T>> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.key) headers['authorization'] = `Bearer ${options.key}`;
  const response = await fetch(`${base}${path}`, {
    method,
    headers,
    ...(options.body !== undefined ? { body: options.body } : {}),
  });
  const text = await response.text();
  let body: unknown = text;
  if ((response.headers.get('content-type') ?? '').includes('json') && text !== '') body = JSON.parse(text);
  return { status: response.status, headers: response.headers, body: body as T, text };
}

/** POST /graphql with a key (or none). */
export async function graphql(
  base: string,
  key: string | null,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<HttpAnswer<GraphqlBody>> {
  return request<GraphqlBody>(base, 'POST', '/graphql', {
    key,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
}

/** The data of a GraphQL answer that must have succeeded; fails the test with the errors otherwise. */
export function dataOf<T = Record<string, unknown>>(answer: HttpAnswer<GraphqlBody>): T {
  if (answer.body.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(answer.body.errors)}`);
  if (!answer.body.data) throw new Error(`no data (HTTP ${answer.status}): ${answer.text}`);
  return answer.body.data as T;
}

/** The code of a GraphQL answer's first error. */
export function errorCode(answer: HttpAnswer<GraphqlBody>): unknown {
  return answer.body.errors?.[0]?.extensions?.['code'];
}

/** POST /events in structured mode, batch mode, or binary mode. */
export function postEvent(
  base: string,
  key: string | null,
  event: unknown,
): Promise<HttpAnswer<Record<string, unknown>>> {
  return request(base, 'POST', '/events', {
    key,
    headers: { 'content-type': 'application/cloudevents+json' },
    body: JSON.stringify(event),
  });
}

export function postBatch(
  base: string,
  key: string | null,
  events: readonly unknown[],
): Promise<HttpAnswer<Record<string, unknown>>> {
  return request(base, 'POST', '/events', {
    key,
    headers: { 'content-type': 'application/cloudevents-batch+json' },
    body: JSON.stringify(events),
  });
}
