import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AcceptedEvent, GraphStore, IngestBatch } from '@lineage/domain';
import { findSecret, redactSecrets } from '@lineage/events';
import { IngestionPipeline, StoreUnavailableError } from '@lineage/pipeline';
import type { RawRecord } from '@lineage/pipeline';
import { EmbeddedGraphStore } from '@lineage/store-embedded';

const FIXTURES = join(__dirname, '..', 'fixtures', 'canonical');
const VALID_FILES = ['hr', 'vendor', 'iam', 'workload', 'ci', 'audit'];

function lines(file: string): string[] {
  return readFileSync(join(FIXTURES, `${file}.ndjson`), 'utf8').split('\n').filter((l) => l.trim() !== '');
}
const record = (text: string, origin: string): RawRecord => ({ bytes: Buffer.from(text, 'utf8'), origin });
const validRecords = () => VALID_FILES.flatMap((file) => lines(file).map((line, i) => record(line, `file:${file}.ndjson:${i + 1}`)));
const rejectedCases = () =>
  lines('rejected').map((line) => {
    const c = JSON.parse(line) as { case: string; expect: { reason: string; field: string | null }; raw?: string; event?: unknown };
    // Parsing cases carry the bytes as received; validation cases the event, sent as JSON.
    return { case: c.case, expect: { reason: c.expect.reason, field: c.expect.field }, raw: c.raw ?? JSON.stringify(c.event) };
  });

/** The real store, failing its first `failures` writes: how a store outage looks to the pipeline. */
class FlakyStore {
  attempts = 0;
  constructor(
    readonly store: GraphStore,
    private failures: number,
  ) {}
  async applyBatch(batch: IngestBatch) {
    this.attempts++;
    if (this.failures > 0) {
      this.failures--;
      throw new Error('database is locked');
    }
    return this.store.applyBatch(batch);
  }
  checkpoint(stream: string) {
    return this.store.checkpoint(stream);
  }
}

describe('ingestion pipeline on the embedded store', () => {
  let store: EmbeddedGraphStore;
  let pipeline: IngestionPipeline;
  beforeEach(() => {
    store = EmbeddedGraphStore.open({ dataDir: ':memory:' });
    pipeline = new IngestionPipeline(store, { attempts: 3, initialDelayMs: 1, maxDelayMs: 2 });
  });
  afterEach(async () => store.close());

  it('accepts every valid fixture, then counts a replay as duplicates and changes nothing', async () => {
    const records = validRecords();
    const first = await pipeline.ingest(records);
    expect(first.outcomes.flat().map((o) => o.status)).toEqual(records.map(() => 'accepted'));
    const nodes = await store.getNodes(['person:e1001', 'nhi:aws:arn:aws:iam::123456789012:role/deployer']);
    const status = await store.ingestionStatus();
    expect(status.sources.reduce((n, s) => n + s.accepted, 0)).toBe(records.length);

    const replay = await pipeline.ingest(records);
    expect(replay.outcomes.flat().every((o) => o.status === 'duplicate')).toBe(true);
    expect(await store.getNodes(['person:e1001', 'nhi:aws:arn:aws:iam::123456789012:role/deployer'])).toEqual(nodes);
    const after = await store.ingestionStatus();
    expect(after.sources.reduce((n, s) => n + s.accepted, 0)).toBe(records.length);
    expect(after.sources.reduce((n, s) => n + s.duplicates, 0)).toBe(records.length);
  });

  it('dead-letters every bad record with its bytes and a reason naming the field, and keeps going', async () => {
    const cases = rejectedCases();
    const good = validRecords().slice(0, 3);
    const records = [...good, ...cases.map((c, i) => record(c.raw, `file:rejected.ndjson:${i + 1}`))];
    const result = await pipeline.ingest(records);
    const outcomes = result.outcomes.map((o) => o[0]!);
    expect(outcomes.slice(0, 3).map((o) => o.status)).toEqual(['accepted', 'accepted', 'accepted']);
    cases.forEach((c, i) => {
      const outcome = outcomes[3 + i]!;
      expect({ case: c.case, status: outcome.status }).toEqual({ case: c.case, status: 'rejected' });
      if (outcome.status === 'rejected') expect({ case: c.case, reason: outcome.reason, field: outcome.field }).toEqual({ case: c.case, ...c.expect });
    });
    const letters = await store.deadLetters({ first: 500 });
    expect(letters.totalCount).toBe(cases.length);
    // Original bytes, except that a secret is never kept: those events are stored redacted.
    const secretCases = cases.filter((c) => c.expect.reason.endsWith('never the secret'));
    expect(secretCases.length).toBeGreaterThan(0);
    expect(letters.items.map((l) => Buffer.from(l.raw).toString('utf8'))).toEqual(
      cases.map((c) => (secretCases.includes(c) ? JSON.stringify(redactSecrets(JSON.parse(c.raw)).value) : c.raw)),
    );
    for (const c of secretCases) {
      const stored = Buffer.from(letters.items[cases.indexOf(c)]!.raw).toString('utf8');
      expect(findSecret(JSON.parse(stored))).toBeNull();
      expect(stored).toContain('[REDACTED]');
    }
    expect(letters.items.map((l) => l.reason)).toEqual(cases.map((c) => c.expect.reason));
    expect((await store.ingestionStatus()).deadLettered).toBe(cases.length);
  });

  it('retries the whole batch when the store fails, and applies it exactly once', async () => {
    const flaky = new FlakyStore(store, 2);
    const retrying = new IngestionPipeline(flaky, { attempts: 3, initialDelayMs: 1, maxDelayMs: 2 });
    const records = validRecords();
    const result = await retrying.ingest(records);
    expect(flaky.attempts).toBe(3);
    expect(result.outcomes.flat().every((o) => o.status === 'accepted')).toBe(true);
    const status = await store.ingestionStatus();
    expect(status.sources.reduce((n, s) => n + s.accepted, 0)).toBe(records.length);
    expect(status.sources.reduce((n, s) => n + s.duplicates, 0)).toBe(0);
  });

  it('gives up with StoreUnavailableError after the policy, having written nothing', async () => {
    const down = new FlakyStore(store, 10);
    const failing = new IngestionPipeline(down, { attempts: 3, initialDelayMs: 1, maxDelayMs: 2 });
    await expect(failing.ingest(validRecords())).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(down.attempts).toBe(3);
    expect((await store.ingestionStatus()).sources).toEqual([]);
  });

  it('tells commit listeners about newly accepted events only, after the commit', async () => {
    const seen: AcceptedEvent[][] = [];
    pipeline.onCommitted(async (events) => {
      // The events are already in the store when listeners hear of them.
      for (const e of events) expect((await store.timeline(e.entityIds[0]!, null, null, { first: 500 })).items.map((i) => i.eventId)).toContain(e.id);
      seen.push([...events]);
    });
    const records = validRecords().slice(0, 5);
    await pipeline.ingest(records);
    await pipeline.ingest(records);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.map((e) => e.id)).toHaveLength(5);
  });

  it('keeps a checkpoint in the same transaction as the batch', async () => {
    await pipeline.ingest(validRecords().slice(0, 2), { checkpoint: { stream: 'file:a', position: '42' } });
    expect(await store.checkpoint('file:a')).toBe('42');
  });
});
