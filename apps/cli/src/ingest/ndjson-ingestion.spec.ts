import type { IngestOptions, IngestResult, RawRecord, RecordOutcome } from '@lineage/pipeline';
import { decodePosition } from './file-position';
import type { NdjsonInput } from './ndjson-ingestion';
import { ingestNdjson } from './ndjson-ingestion';
import type { ProgressReporter } from './progress-reporter';

/**
 * The resume logic end to end, without the store: a fake pipeline that commits a batch and its
 * checkpoint together (or, "crashing", neither), the way the store transaction does.
 */
class FakeCommittingPipeline {
  readonly checkpoints = new Map<string, string>();
  /** Every record origin ever committed, in commit order. */
  readonly committed: string[] = [];
  readonly seen = new Set<string>();
  crashAfterBatches = Infinity;
  private batches = 0;

  async ingest(records: readonly RawRecord[], options: IngestOptions = {}): Promise<IngestResult> {
    if (this.batches++ >= this.crashAfterBatches) throw new Error('killed');
    const outcomes = records.map((record): RecordOutcome[] => {
      const text = record.bytes.toString();
      if (!text.startsWith('{'))
        return [
          {
            status: 'rejected',
            reason: 'not JSON',
            field: null,
            source: null,
            id: null,
            type: null,
            raw: record.bytes,
          },
        ];
      const fresh = !this.seen.has(text);
      this.seen.add(text);
      return [{ status: fresh ? 'accepted' : 'duplicate', source: 's', id: text, type: 't' }];
    });
    this.committed.push(...records.map((r) => r.origin));
    if (options.checkpoint) this.checkpoints.set(options.checkpoint.stream, options.checkpoint.position);
    return { outcomes };
  }

  async checkpoint(stream: string): Promise<string | null> {
    return this.checkpoints.get(stream) ?? null;
  }
}

function memoryInput(text: string, stream: string | null = 'file:/tmp/e.ndjson#sha256:x'): NdjsonInput {
  const data = Buffer.from(text);
  return {
    path: 'e.ndjson',
    name: 'e.ndjson',
    stream,
    size: data.length,
    async *open(offset: number) {
      // Small chunks, so lines straddle chunk boundaries.
      for (let at = offset; at < data.length; at += 7) yield data.subarray(at, Math.min(at + 7, data.length));
    },
    byteBefore: (offset) => (offset > 0 ? (data[offset - 1] ?? null) : null),
  };
}

const progress = (): ProgressReporter & { positions: number[] } => {
  const positions: number[] = [];
  return { positions, start: () => undefined, committed: (p) => void positions.push(p.offset), stop: () => undefined };
};

const lines = Array.from({ length: 23 }, (_, i) => (i % 10 === 9 ? `bad line ${i + 1}` : `{"n":${i + 1}}`));
const file = `${lines.join('\n')}\n`;

describe('ingestNdjson', () => {
  it('ingests every line once, counting accepted and rejected records', async () => {
    const pipeline = new FakeCommittingPipeline();
    const summary = await ingestNdjson(
      memoryInput(file),
      { pipeline, checkpoints: pipeline },
      { batchSize: 5, fromStart: false, progress: progress() },
    );
    expect(summary).toMatchObject({
      records: 23,
      accepted: 21,
      duplicates: 0,
      rejected: 2,
      resumedFrom: null,
      interrupted: false,
    });
    expect(summary.position).toEqual({ offset: file.length, line: 23 });
    expect(pipeline.committed).toEqual(lines.map((_, i) => `file:e.ndjson:${i + 1}`));
  });

  it('after a crash mid-run, resumes after the last committed batch: no line lost, none applied twice', async () => {
    const pipeline = new FakeCommittingPipeline();
    pipeline.crashAfterBatches = 2;
    const options = { batchSize: 5, fromStart: false, progress: progress() };
    await expect(ingestNdjson(memoryInput(file), { pipeline, checkpoints: pipeline }, options)).rejects.toThrow(
      'killed',
    );
    expect(pipeline.committed).toHaveLength(10);

    pipeline.crashAfterBatches = Infinity;
    const resumed = await ingestNdjson(memoryInput(file), { pipeline, checkpoints: pipeline }, options);
    expect(resumed.resumedFrom).toEqual({ offset: Buffer.byteLength(lines.slice(0, 10).join('\n')) + 1, line: 10 });
    expect(resumed).toMatchObject({ records: 13, accepted: 12, duplicates: 0, rejected: 1 });
    expect(pipeline.committed).toEqual(lines.map((_, i) => `file:e.ndjson:${i + 1}`));

    const again = await ingestNdjson(memoryInput(file), { pipeline, checkpoints: pipeline }, options);
    expect(again).toMatchObject({ records: 0, accepted: 0, resumedFrom: { offset: file.length, line: 23 } });
  });

  it('--from-start reads everything again, where the events are duplicates', async () => {
    const pipeline = new FakeCommittingPipeline();
    const deps = { pipeline, checkpoints: pipeline };
    await ingestNdjson(memoryInput(file), deps, { batchSize: 5, fromStart: false, progress: progress() });
    const replay = await ingestNdjson(memoryInput(file), deps, { batchSize: 5, fromStart: true, progress: progress() });
    expect(replay).toMatchObject({ records: 23, accepted: 0, duplicates: 21, rejected: 2, resumedFrom: null });
  });

  it('commits each batch with the position after its last line, and reports progress at those positions', async () => {
    const pipeline = new FakeCommittingPipeline();
    const seenPositions: string[] = [];
    const recording = {
      ...pipeline,
      ingest: async (records: readonly RawRecord[], options?: IngestOptions) => {
        seenPositions.push(options?.checkpoint?.position ?? 'none');
        return pipeline.ingest(records, options);
      },
    };
    const reporter = progress();
    await ingestNdjson(
      memoryInput(file),
      { pipeline: recording, checkpoints: pipeline },
      { batchSize: 3, fromStart: false, progress: reporter },
    );
    const offsets = seenPositions.map((p) => decodePosition(p)!.offset);
    expect(offsets).toEqual(reporter.positions);
    for (const offset of offsets) expect(file[offset - 1]).toBe('\n');
    expect(offsets[offsets.length - 1]).toBe(file.length);
  });

  it('stops after the batch in flight when aborted, with every batch read committed', async () => {
    const pipeline = new FakeCommittingPipeline();
    const controller = new AbortController();
    const reporter: ProgressReporter = {
      start: () => undefined,
      committed: () => controller.abort(),
      stop: () => undefined,
    };
    const summary = await ingestNdjson(
      memoryInput(file),
      { pipeline, checkpoints: pipeline },
      { batchSize: 5, fromStart: false, progress: reporter, signal: controller.signal },
    );
    expect(summary).toMatchObject({ interrupted: true, records: 5, position: { line: 5 } });
    expect(decodePosition(pipeline.checkpoints.get('file:/tmp/e.ndjson#sha256:x')!)).toEqual(summary.position);
  });

  it('never checkpoints stdin', async () => {
    const pipeline = new FakeCommittingPipeline();
    const summary = await ingestNdjson(
      memoryInput(file, null),
      { pipeline, checkpoints: pipeline },
      { batchSize: 5, fromStart: false, progress: progress() },
    );
    expect(summary.records).toBe(23);
    expect(pipeline.checkpoints.size).toBe(0);
  });

  it('warns and reads from the start when the stored checkpoint does not fit the file', async () => {
    const pipeline = new FakeCommittingPipeline();
    pipeline.checkpoints.set('file:/tmp/e.ndjson#sha256:x', JSON.stringify({ offset: 3, line: 0 }));
    const warnings: string[] = [];
    const summary = await ingestNdjson(
      memoryInput(file),
      { pipeline, checkpoints: pipeline },
      { batchSize: 5, fromStart: false, progress: progress(), onWarning: (m) => warnings.push(m) },
    );
    expect(summary.records).toBe(23);
    expect(warnings).toEqual([expect.stringContaining('not at a line boundary')]);
  });
});
