import Database from 'better-sqlite3';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EMBEDDED_DB_FILE, EmbeddedGraphStore } from '@lineage/store-embedded';
import { ROOT, dumpStore, ensureBuilt, runCli, summaryOf } from './cli-harness';

/**
 * The CLI as users run it (the compiled `nhi-lineage`, as a child process): ingesting stdin with
 * real fixtures, exit codes for bad usage and for a store that refuses writes, and key management.
 */

const CANONICAL = join(ROOT, 'tests/fixtures/canonical');

let work: string;
beforeAll(() => {
  ensureBuilt();
  work = mkdtempSync(join(tmpdir(), 'nhi-cli-'));
}, 600_000);
afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

let dirs = 0;
const freshDir = () => join(work, `data-${++dirs}`);

async function withStore<T>(dataDir: string, read: (store: EmbeddedGraphStore) => Promise<T>): Promise<T> {
  const store = EmbeddedGraphStore.open({ dataDir });
  try {
    return await read(store);
  } finally {
    await store.close();
  }
}

interface RejectedCase {
  readonly case: string;
  readonly expect: { reason: string; field: string | null };
  readonly raw?: string;
  readonly event?: unknown;
}

interface DeadLetterView {
  readonly origin: string;
  readonly reason: string;
  readonly field: string | null;
  /** The original bytes; for a secret, the event with the secret replaced (compared parsed). */
  readonly raw: unknown;
}

const isSecretReason = (reason: string): boolean => reason.includes('looks like a secret value');

/** The event with the value at `field` (`data.app.clientSecret`) replaced, as a secret's dead letter keeps it. */
function redacted(line: string, field: string): unknown {
  const event = JSON.parse(line) as Record<string, unknown>;
  const path = field.split('.');
  let node = event;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
  node[path[path.length - 1]!] = '[REDACTED]';
  return event;
}

describe('ingest from stdin', () => {
  it('ingests the canonical fixtures, dead-letters every bad line with its reason, field, origin and bytes (secrets redacted)', async () => {
    const valid = ['hr', 'vendor', 'iam', 'workload', 'ci', 'audit'].flatMap((family) =>
      readFileSync(join(CANONICAL, `${family}.ndjson`), 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== ''),
    );
    const rejected = readFileSync(join(CANONICAL, 'rejected.ndjson'), 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as RejectedCase)
      .map((c) => ({ ...c, line: c.raw ?? JSON.stringify(c.event) }))
      // One record per line: a case whose bytes hold a newline (or are blank) cannot be a line.
      .filter((c) => !c.line.includes('\n') && c.line.trim() !== '');
    // Bad lines after every few good ones, and a blank line in between that still counts for line numbers.
    const lines: string[] = [];
    const expectedDeadLetters: DeadLetterView[] = [];
    const addBad = (bad: (typeof rejected)[number]): void => {
      lines.push(bad.line);
      expectedDeadLetters.push({
        origin: `file:stdin:${lines.length}`,
        reason: bad.expect.reason,
        field: bad.expect.field,
        raw: isSecretReason(bad.expect.reason) ? redacted(bad.line, bad.expect.field!) : bad.line,
      });
    };
    valid.forEach((line, i) => {
      lines.push(line);
      const bad = rejected[i];
      if (bad) addBad(bad);
      if (i === 3) lines.push('');
    });
    rejected.slice(valid.length).forEach(addBad);
    expect(expectedDeadLetters.some((letter) => isSecretReason(letter.reason))).toBe(true);

    const dataDir = freshDir();
    const run = await runCli(['ingest', '-'], {
      env: { LINEAGE_DATA_DIR: dataDir, LINEAGE_FILE_BATCH_SIZE: '7' },
      stdin: `${lines.join('\n')}\n`,
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(summaryOf(run)).toMatchObject({
      file: '-',
      stream: null,
      records: valid.length + rejected.length,
      accepted: valid.length,
      duplicates: 0,
      rejected: rejected.length,
      resumedFrom: null,
    });

    await withStore(dataDir, async (store) => {
      const letters = await store.deadLetters({ first: 1000 });
      const stored = letters.items.map((l): DeadLetterView => {
        const raw = Buffer.from(l.raw).toString('utf8');
        return {
          origin: l.origin,
          reason: l.reason,
          field: l.field,
          raw: isSecretReason(l.reason) ? JSON.parse(raw) : raw,
        };
      });
      expect(stored).toEqual(expectedDeadLetters);
      // The graph holds what the fixtures describe, e.g. the person the first HR line defines.
      const first = JSON.parse(valid[0]!) as { data: { personId: string; email: string } };
      const person = await store.getNode(first.data.personId);
      expect(person).toMatchObject({
        kind: 'Person',
        placeholder: false,
        attributes: expect.objectContaining({ email: first.data.email }),
      });
      // stdin is never checkpointed.
      expect(store.db.prepare('SELECT count(*) AS n FROM checkpoints').get()).toEqual({ n: 0 });
    });
  }, 120_000);
});

describe('exit codes', () => {
  it('exits 2, naming the input, for a file that does not exist, and never opens the store', async () => {
    const dataDir = freshDir();
    const run = await runCli(['ingest', join(work, 'missing.ndjson')], { env: { LINEAGE_DATA_DIR: dataDir } });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('FILE: cannot read');
    expect(run.stdout).toBe('');
    expect(existsSync(dataDir)).toBe(false);
  });

  it('exits 2, naming the variable, for a bad setting', async () => {
    const file = join(work, 'one.ndjson');
    writeFileSync(file, readFileSync(join(CANONICAL, 'hr.ndjson')));
    const run = await runCli(['ingest', file], { env: { LINEAGE_DATA_DIR: freshDir(), LINEAGE_FILE_BATCH_SIZE: 'lots' } });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('LINEAGE_FILE_BATCH_SIZE');
  });

  it('exits non-zero when the store refuses the batch, and commits nothing of it', async () => {
    const file = join(work, 'locked.ndjson');
    writeFileSync(file, readFileSync(join(CANONICAL, 'hr.ndjson')));
    const dataDir = freshDir();
    // Another writer holds the database's write lock for as long as the CLI tries (with its retries).
    const blocker = EmbeddedGraphStore.open({ dataDir });
    blocker.db.prepare('BEGIN IMMEDIATE').run();
    let run;
    try {
      run = await runCli(['ingest', file], { env: { LINEAGE_DATA_DIR: dataDir } });
    } finally {
      blocker.db.prepare('ROLLBACK').run();
      await blocker.close();
    }
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('the graph store did not accept the batch');
    expect(run.stdout).toBe('');
    await withStore(dataDir, async (store) => {
      expect((await store.ingestionStatus()).sources).toEqual([]);
      expect(store.db.prepare('SELECT count(*) AS n FROM checkpoints').get()).toEqual({ n: 0 });
    });
  }, 180_000);
});

describe('keys', () => {
  it('create prints the key once on stdout, puts the key in the graph as an NHI owned by its owner; list and revoke', async () => {
    const dataDir = freshDir();
    const env = { LINEAGE_DATA_DIR: dataDir };
    const created = await runCli(
      [
        'keys',
        'create',
        '--role',
        'automation',
        '--owner',
        'person:e1001',
        '--expires',
        '30d',
        '--description',
        'ci pipeline',
      ],
      { env },
    );
    expect(created.code).toBe(0);
    const key = created.stdout.trim();
    expect(key).toMatch(/^nhil_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect(created.stdout).toBe(`${key}\n`);
    const id = key.slice(5, 21);
    const secret = key.slice(22);
    expect(created.stderr).toContain(id);
    expect(created.stderr).not.toContain(secret);

    const listed = await runCli(['keys', 'list', '--json'], { env });
    expect(listed.code).toBe(0);
    const keys = JSON.parse(listed.stdout) as Record<string, unknown>[];
    expect(keys).toEqual([
      expect.objectContaining({
        id,
        role: 'automation',
        ownerId: 'person:e1001',
        status: 'active',
        description: 'ci pipeline',
        revokedAt: null,
      }),
    ]);
    expect(listed.stdout).not.toContain(secret);
    expect(Object.keys(keys[0]!)).not.toContain('hash');
    const expiresAt = Date.parse(keys[0]!.expiresAt as string) - Date.parse(keys[0]!.createdAt as string);
    expect(Math.round(expiresAt / 86_400_000)).toBe(30);

    const nhiId = `nhi:nhi-lineage:api-key:${id}`;
    await withStore(dataDir, async (store) => {
      expect(await store.getNode(nhiId)).toMatchObject({
        kind: 'NHI',
        validTo: null,
        attributes: expect.objectContaining({ nhiKind: 'api_token', platform: 'nhi-lineage' }),
      });
      const lineage = await store.lineage(nhiId, Date.now());
      expect(lineage?.chain.map((step) => [step.from.id, step.relation, step.to.id])).toEqual([
        ['person:e1001', 'OWNS', nhiId],
      ]);
    });

    const revoked = await runCli(['keys', 'revoke', id], { env });
    expect(revoked.code).toBe(0);
    expect(JSON.parse(revoked.stdout)).toMatchObject({ id, status: 'revoked' });
    await withStore(dataDir, async (store) => {
      expect((await store.findApiKey(id))?.revokedAt).toEqual(expect.any(Number));
      expect((await store.getNode(nhiId))?.validTo).toEqual(expect.any(Number));
    });
    const missing = await runCli(['keys', 'revoke', '0123456789abcdef'], { env });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('0123456789abcdef not found');
  }, 120_000);

  it.each([
    [
      ['--role', 'root', '--owner', 'person:e1', '--expires', '90d'],
      '--role: must be one of analyst, responder, automation, admin',
    ],
    [['--role', 'analyst', '--owner', 'person:e1', '--expires', 'soon'], '--expires: must be a duration like 90d'],
    [['--role', 'analyst', '--owner', 'person:e1', '--expires', '0d'], '--expires: must be from 1 day'],
    [['--role', 'analyst', '--expires', '90d'], "required option '--owner <personId>' not specified"],
  ])('refuses %j with exit 2 and a message naming the option, creating nothing', async (args, message) => {
    const dataDir = freshDir();
    const run = await runCli(['keys', 'create', ...args], { env: { LINEAGE_DATA_DIR: dataDir } });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stdout).toBe('');
    expect(existsSync(dataDir)).toBe(false);
  });
});

describe('compact', () => {
  const pageSize = (dataDir: string): unknown => {
    const db = new Database(join(dataDir, EMBEDDED_DB_FILE), { readonly: true });
    try {
      return [db.pragma('page_size', { simple: true }), db.pragma('journal_mode', { simple: true })];
    } finally {
      db.close();
    }
  };

  it('rewrites a store an earlier build made with 4 KiB pages into 16 KiB ones, holding the same; refuses while the store is open elsewhere', async () => {
    const dataDir = freshDir();
    mkdirSync(dataDir, { recursive: true });
    const earlier = new Database(join(dataDir, EMBEDDED_DB_FILE));
    earlier.pragma('page_size = 4096');
    earlier.pragma('journal_mode = WAL');
    earlier.close();
    const events = ['hr', 'vendor', 'iam', 'workload', 'ci', 'audit'].map((family) => readFileSync(join(CANONICAL, `${family}.ndjson`), 'utf8')).join('');
    expect((await runCli(['ingest', '-'], { env: { LINEAGE_DATA_DIR: dataDir }, stdin: events })).code).toBe(0);
    const before = await dumpStore(dataDir);
    expect(before.nodes.length).toBeGreaterThan(20);
    expect(pageSize(dataDir)).toEqual([4096, 'wal']);

    // A server holding the store: compact changes nothing and says why.
    const server = new Database(join(dataDir, EMBEDDED_DB_FILE));
    server.prepare('SELECT count(*) FROM nodes').get();
    const refused = await runCli(['compact'], { env: { LINEAGE_DATA_DIR: dataDir } });
    server.close();
    expect([refused.code, refused.stdout]).toEqual([1, '']);
    expect(refused.stderr).toContain('the store is open in another process');
    expect(pageSize(dataDir)).toEqual([4096, 'wal']);

    const run = await runCli(['compact'], { env: { LINEAGE_DATA_DIR: dataDir } });
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as { before: { pageSize: number; bytes: number }; after: { pageSize: number; bytes: number } };
    expect([report.before.pageSize, report.after.pageSize]).toEqual([4096, 16_384]);
    expect(report.after.bytes).toBeGreaterThan(0);
    expect(pageSize(dataDir)).toEqual([16_384, 'wal']);
    expect(await dumpStore(dataDir)).toEqual(before);
  }, 120_000);

  it('exits 2 when there is no store to compact, or the store is Neo4j, and creates nothing', async () => {
    const dataDir = freshDir();
    const missing = await runCli(['compact'], { env: { LINEAGE_DATA_DIR: dataDir } });
    expect([missing.code, missing.stdout]).toEqual([2, '']);
    expect(missing.stderr).toContain(`no store in LINEAGE_DATA_DIR (${dataDir}): nothing to compact`);
    const neo4j = await runCli(['compact'], { env: { LINEAGE_DATA_DIR: dataDir, LINEAGE_STORE: 'neo4j', NEO4J_URI: 'bolt://127.0.0.1:9' } });
    expect(neo4j.code).toBe(2);
    expect(neo4j.stderr).toContain('compact rewrites the embedded store');
    expect(existsSync(dataDir)).toBe(false);
  });
});
