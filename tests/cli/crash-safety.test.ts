import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FixtureCounts } from './crash-fixture';
import { writeEnterpriseFixture } from './crash-fixture';
import { dumpStore, ensureBuilt, runCli, summaryOf } from './cli-harness';

/**
 * Crash safety (issue 3): SIGKILL `nhi-lineage ingest` in the middle of a large file, restart it,
 * and the store ends up exactly as after a clean run: the same graph, the same ledger, the same
 * counts and dead letters. Then a plain re-run finds nothing new.
 */

const EVENTS = 60_000;
/** Small batches: many commits, so the kill lands with most of the file still to go. */
const BATCH_SIZE = '500';

let work: string;
let file: string;
let fixture: FixtureCounts;

beforeAll(() => {
  ensureBuilt();
  work = mkdtempSync(join(tmpdir(), 'nhi-cli-crash-'));
  file = join(work, 'enterprise.ndjson');
  fixture = writeEnterpriseFixture(file, EVENTS);
}, 600_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

const ingest = (dataDir: string, ...extra: string[]) =>
  runCli(['ingest', file, ...extra], { env: { LINEAGE_DATA_DIR: dataDir, LINEAGE_FILE_BATCH_SIZE: BATCH_SIZE } });

it('a run killed with SIGKILL mid-file and restarted leaves the same graph and counts as a clean run', async () => {
  const cleanDir = join(work, 'clean');
  const crashDir = join(work, 'crash');

  // The clean run and the killed run are independent: run them side by side.
  let committedBeforeKill: { offset: number; line: number } | null = null;
  const [clean, killed] = await Promise.all([
    ingest(cleanDir),
    // Kill as soon as a batch has committed (the progress line comes after the commit).
    runCli(['ingest', file, '--progress', 'json'], {
      env: { LINEAGE_DATA_DIR: crashDir, LINEAGE_FILE_BATCH_SIZE: BATCH_SIZE },
      onStderrLine: (line, kill) => {
        if (committedBeforeKill || !line.startsWith('{"committed"')) return;
        committedBeforeKill = (JSON.parse(line) as { committed: { offset: number; line: number } }).committed;
        kill('SIGKILL');
      },
    }),
  ]);
  expect(clean.code).toBe(0);
  const cleanSummary = summaryOf(clean);
  expect(cleanSummary).toMatchObject({
    records: fixture.events + fixture.duplicates + fixture.invalid,
    accepted: fixture.events,
    duplicates: fixture.duplicates,
    rejected: fixture.invalid,
    resumedFrom: null,
  });
  expect(killed.signal).toBe('SIGKILL');
  expect(killed.stdout).toBe('');
  expect(committedBeforeKill).not.toBeNull();

  const restarted = await ingest(crashDir);
  expect(restarted.code).toBe(0);
  const resumed = summaryOf(restarted);
  const resumedFrom = resumed.resumedFrom as { offset: number; line: number };
  // It resumed at or after the batch we saw commit, before the end: the kill really was mid-file.
  expect(resumedFrom.offset).toBeGreaterThanOrEqual(committedBeforeKill!.offset);
  expect(resumedFrom.offset).toBeLessThan(fixture.bytes);
  expect(resumed.position).toEqual(cleanSummary.position);
  // Nothing the killed run committed was read again: the only duplicates are the file's own.
  expect(resumed.duplicates as number).toBeLessThanOrEqual(fixture.duplicates);
  expect(resumed.records as number).toBeLessThan(cleanSummary.records as number);

  const [cleanDump, crashDump] = await Promise.all([dumpStore(cleanDir), dumpStore(crashDir)]);
  expect(cleanDump.nodes.length).toBeGreaterThan(10_000);
  expect(cleanDump.relationships.length).toBeGreaterThan(10_000);
  expect(cleanDump.events).toHaveLength(fixture.events);
  expect(cleanDump.deadLetters).toHaveLength(fixture.invalid);
  // Compare piece by piece, so a failure says which part differs.
  expect(crashDump.nodes).toEqual(cleanDump.nodes);
  expect(crashDump.relationships).toEqual(cleanDump.relationships);
  expect(crashDump.events).toEqual(cleanDump.events);
  expect(crashDump.timeline).toEqual(cleanDump.timeline);
  expect(crashDump.counters).toEqual(cleanDump.counters);
  expect(crashDump.deadLetters).toEqual(cleanDump.deadLetters);
  expect(crashDump.checkpoints).toEqual(cleanDump.checkpoints);

  // The counters the store keeps add up to what the clean run reported.
  const totals = (cleanDump.counters as { accepted: number; duplicates: number; rejected: number }[]).reduce(
    (sum, row) => ({
      accepted: sum.accepted + row.accepted,
      duplicates: sum.duplicates + row.duplicates,
      rejected: sum.rejected + row.rejected,
    }),
    { accepted: 0, duplicates: 0, rejected: 0 },
  );
  expect(totals).toEqual({
    accepted: cleanSummary.accepted,
    duplicates: cleanSummary.duplicates,
    rejected: cleanSummary.rejected,
  });

  // A plain second run resumes at the end and finds nothing new.
  const again = await ingest(crashDir);
  expect(again.code).toBe(0);
  expect(summaryOf(again)).toMatchObject({
    records: 0,
    accepted: 0,
    duplicates: 0,
    rejected: 0,
    resumedFrom: cleanSummary.position,
  });
  expect(await dumpStore(crashDir)).toEqual(crashDump);
}, 900_000);
