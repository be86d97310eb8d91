import type { INestApplicationContext } from '@nestjs/common';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { GraphStore } from '@lineage/domain';
import { GRAPH_STORE } from '@lineage/domain';
import { LineageConfig } from '@lineage/config';
import { ADMIN_KEY_FILE } from '@lineage/auth';
import { IngestionPipeline } from '@lineage/pipeline';
import type { DemoExamples } from '../../../../tools/demo/src/demo-examples';
import { DemoCandidates, pickDemoExamples } from '../../../../tools/demo/src/demo-examples';
import type { DemoLoad } from '../../../../tools/demo/src/demo-loader';
import { loadDemoEnterprise } from '../../../../tools/demo/src/demo-loader';
import type { GraphqlRequest } from '../../../../tools/demo/src/demo-queries';
import { curlCommand, exampleRequests, shellQuote } from '../../../../tools/demo/src/demo-queries';
import type { IngestCounts } from '../ingest/ingest-tally';
import { IngestTally } from '../ingest/ingest-tally';

/**
 * `nhi-lineage demo`: load the demo enterprise through the real pipeline (once: a second run
 * finds its checkpoint at the end), pick three example queries by asking the store, start the
 * server, and print the URL, where the admin key is, and the examples as curl commands.
 */

export interface DemoCommandOptions {
  readonly people: number;
  readonly seed: number;
}

export interface DemoReport {
  readonly people: number;
  readonly seed: number;
  readonly load: DemoLoad & IngestCounts;
  readonly examples: DemoExamples;
  readonly requests: readonly GraphqlRequest[];
  readonly url: string;
  readonly dataDir: string;
  /** A shell expression for the admin key (the key itself is never printed). */
  readonly adminKey: AdminKeyHint;
}

export type AdminKeyHint = { readonly kind: 'environment' } | { readonly kind: 'file'; readonly path: string };

/** Log a loading line every this many committed events. */
const LOAD_REPORT_EVERY = 20_000;

export async function prepareDemo(
  app: INestApplicationContext,
  options: DemoCommandOptions,
  log: (line: string) => void,
): Promise<DemoReport> {
  const config = app.get(LineageConfig);
  const store = app.get<string, GraphStore>(GRAPH_STORE);
  const candidates = new DemoCandidates();
  const tally = new IngestTally();
  let reported = 0;
  log(
    `demo: generating an enterprise of ${options.people} people (seed ${options.seed}) and loading it through the ingestion pipeline into ${config.LINEAGE_DATA_DIR}`,
  );
  const load = await loadDemoEnterprise(
    { pipeline: app.get(IngestionPipeline), checkpoints: store },
    { people: options.people, seed: options.seed, batchSize: config.LINEAGE_FILE_BATCH_SIZE },
    (event) => candidates.observe(event),
    (result, committed) => {
      tally.add(result);
      if (committed - reported >= LOAD_REPORT_EVERY) {
        reported = committed;
        log(`demo: ${committed} events loaded`);
      }
    },
  );
  if (load.alreadyLoaded === load.events) log(`demo: already loaded (${load.events} events), nothing to do`);
  else log(`demo: loaded ${load.events - load.alreadyLoaded} events (${tally.totals.rejected} rejected)`);

  const examples = await pickDemoExamples(store, candidates, Date.now());
  const dataDir = resolve(config.LINEAGE_DATA_DIR);
  return {
    people: options.people,
    seed: options.seed,
    load: { ...load, ...tally.totals },
    examples,
    requests: exampleRequests(examples),
    url: `http://localhost:${config.PORT}`,
    dataDir,
    adminKey: config.LINEAGE_ADMIN_KEY
      ? { kind: 'environment' }
      : { kind: 'file', path: join(dataDir, ADMIN_KEY_FILE) },
  };
}

/** The banner: the URL, where the admin key is, and the three examples. */
export function demoBanner(report: DemoReport, serving: boolean): string {
  const authorization =
    report.adminKey.kind === 'environment' ? '$LINEAGE_ADMIN_KEY' : `$(cat ${shellQuote(report.adminKey.path)})`;
  const keyLine =
    report.adminKey.kind === 'environment'
      ? 'Admin key: the value of LINEAGE_ADMIN_KEY'
      : existsSync(report.adminKey.path) || !serving
        ? `Admin key: in ${report.adminKey.path} (mode 0600; written by the server's first start)`
        : `Admin key: an admin key existed before this start; create another with: nhi-lineage keys create --role admin --owner person:you --expires 30d`;
  const lines = [
    '',
    `nhi-lineage demo: ${report.people} people, ${report.load.events} events (seed ${report.seed}), in ${report.dataDir}`,
    serving
      ? `GraphQL API and IDE: ${report.url}/graphql`
      : `Start the server with \`npm start\`; the API will be at ${report.url}/graphql`,
    keyLine,
    '',
    ...report.requests.flatMap((request, i) => [
      `# ${i + 1}. ${request.title}`,
      curlCommand(report.url, authorization, request),
      '',
    ]),
  ];
  return lines.join('\n');
}

/** Where the compiled server is, next to the compiled CLI. */
export const SERVER_MAIN = join(__dirname, '../../../server/src/main.js');

/**
 * Start the server as a child process (the demo's own store connection is closed by then), wait
 * until it answers `/health`, then call `ready`. Resolves with the server's exit code; SIGINT and
 * SIGTERM are passed on to it.
 */
export async function serveDemo(url: string, ready: () => void, log: (line: string) => void): Promise<number> {
  if (!existsSync(SERVER_MAIN))
    throw new Error(`the server is not built (${SERVER_MAIN} is missing): run npm run build`);
  const child = spawn(process.execPath, [SERVER_MAIN], { stdio: ['ignore', 'inherit', 'inherit'] });
  const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
  const onInt = forward('SIGINT');
  const onTerm = forward('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  const state = { exited: false };
  const exited = new Promise<number>((resolvePromise) =>
    child.on('exit', (code, signal) => {
      state.exited = true;
      resolvePromise(code ?? (signal ? 128 : 1));
    }),
  );
  try {
    const healthy = await waitForHealth(`${url}/health`, state);
    if (healthy) ready();
    else log('demo: the server stopped before it answered /health');
    return await exited;
  } finally {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
  }
}

async function waitForHealth(url: string, state: { readonly exited: boolean }): Promise<boolean> {
  while (!state.exited) {
    try {
      const response = await fetch(url);
      if (response.ok) return true;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolvePromise) => setTimeout(resolvePromise, 250));
  }
  return false;
}
