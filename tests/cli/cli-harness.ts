import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { EmbeddedGraphStore } from '@lineage/store-embedded';

/** Runs the compiled CLI as a child process, the way users run it. */

export const ROOT = resolve(__dirname, '../..');
export const CLI_MAIN = join(ROOT, 'dist/apps/cli/src/main.js');

/** The newest modification time of the production sources the CLI is built from. */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts'))
      newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * Written when a build these tests started has finished. Not `main.js`'s own time: the compiler
 * writes it before the build is done (path aliases are rewritten after), so a worker that saw it
 * fresh could run the CLI half built; and an incremental build that changes nothing leaves it old.
 */
const BUILD_STAMP = join(ROOT, 'dist', '.cli-test-build.stamp');

function isStale(): boolean {
  const built = existsSync(CLI_MAIN) && existsSync(BUILD_STAMP) ? statSync(BUILD_STAMP).mtimeMs : 0;
  return built < Math.max(...['apps', 'libs', 'tools'].map((dir) => newestSource(join(ROOT, dir))));
}

const BUILD_LOCK = join(ROOT, 'dist', '.cli-test-build.lock');
/** A lock left by a killed test run is taken over after this long. */
const STALE_LOCK_MS = 15 * 60_000;

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * `npm run build` when dist's CLI is missing or older than any source it is built from. Test
 * files run in parallel workers: a lock directory makes one build while the others wait for it.
 */
export function ensureBuilt(): void {
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  for (;;) {
    if (!isStale()) return;
    try {
      mkdirSync(BUILD_LOCK);
    } catch {
      const lock = statSync(BUILD_LOCK, { throwIfNoEntry: false });
      if (lock && Date.now() - lock.mtimeMs > STALE_LOCK_MS) rmSync(BUILD_LOCK, { recursive: true, force: true });
      else sleepSync(500);
      continue;
    }
    try {
      if (isStale()) {
        // Dated when the build began: a source saved while it ran is newer, so the next check builds again.
        const started = new Date();
        execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
        writeFileSync(BUILD_STAMP, `${started.toISOString()}\n`);
        utimesSync(BUILD_STAMP, started, started);
      }
      return;
    } finally {
      rmSync(BUILD_LOCK, { recursive: true, force: true });
    }
  }
}

export interface CliRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliOptions {
  readonly env?: Record<string, string>;
  readonly stdin?: string | Buffer;
  /** Called with each complete stderr line as it arrives; may kill the child. */
  readonly onStderrLine?: (line: string, kill: (signal: NodeJS.Signals) => void) => void;
}

/** The environment a CLI child gets: the test's PATH, nothing of the developer's lineage settings. */
export function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'test' };
  return { ...base, ...extra };
}

export function runCli(args: readonly string[], options: CliOptions = {}): Promise<CliRun> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [CLI_MAIN, ...args], {
      cwd: ROOT,
      env: cliEnv(options.env),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let pending = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      stderr += text;
      if (!options.onStderrLine) return;
      pending += text;
      let newline: number;
      while ((newline = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, newline);
        pending = pending.slice(newline + 1);
        options.onStderrLine(line, (signal) => child.kill(signal));
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolvePromise({ code, signal, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });
}

/** The last line of stdout, parsed: the ingest summary. */
export function summaryOf(run: CliRun): Record<string, unknown> {
  const lines = run.stdout.trim().split('\n');
  try {
    return JSON.parse(lines[lines.length - 1] ?? '') as Record<string, unknown>;
  } catch {
    throw new Error(
      `no JSON summary on stdout (exit ${run.code}, signal ${run.signal}):\n${run.stdout}\n--- stderr ---\n${run.stderr}`,
    );
  }
}

/**
 * Everything a store holds, in a canonical order, without what depends on when it was received
 * (receive times, sequence numbers, checkpoint update times). Two stores that went
 * through the same events, however they were interrupted, dump the same.
 */
export interface StoreDump {
  readonly nodes: unknown[];
  readonly relationships: unknown[];
  readonly events: unknown[];
  readonly timeline: unknown[];
  readonly counters: unknown[];
  readonly deadLetters: unknown[];
  readonly checkpoints: unknown[];
}

export async function dumpStore(dataDir: string): Promise<StoreDump> {
  const store = EmbeddedGraphStore.open({ dataDir });
  try {
    const all = (sql: string) => store.db.prepare(sql).all();
    return {
      nodes: all('SELECT * FROM nodes ORDER BY id'),
      relationships: all('SELECT * FROM relationships ORDER BY src, type, dst, valid_from'),
      events: all('SELECT source, id, type, time, subject, summary FROM events ORDER BY source, id'),
      // Timeline rows point at events by sequence number: compare what they point at.
      timeline: all(
        `SELECT t.entity_id, t.time, e.source, e.id
         FROM (SELECT * FROM entity_events UNION ALL SELECT * FROM entity_events_recent) t JOIN events e ON e.seq = t.seq
         ORDER BY t.entity_id, t.time, e.source, e.id`,
      ),
      counters: all('SELECT * FROM ingest_counters ORDER BY source, type'),
      deadLetters: all('SELECT origin, source, type, reason, field, hex(raw) AS raw FROM dead_letters ORDER BY origin'),
      checkpoints: all('SELECT stream, position FROM checkpoints ORDER BY stream'),
    };
  } finally {
    await store.close();
  }
}
