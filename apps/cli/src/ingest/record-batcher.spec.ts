import type { FileLine } from './line-splitter';
import { splitLines } from './line-splitter';
import type { RecordBatch } from './record-batcher';
import { batchRecords, isBlank } from './record-batcher';

async function* once(data: string): AsyncGenerator<Buffer> {
  yield Buffer.from(data);
}

async function batchesOf(
  data: string,
  batchSize: number,
  start = { offset: 0, line: 0 },
  maxBatchBytes?: number,
): Promise<RecordBatch[]> {
  const lines: AsyncIterable<FileLine> = splitLines(once(data.slice(start.offset)), { startOffset: start.offset });
  const out: RecordBatch[] = [];
  for await (const batch of batchRecords(lines, {
    batchSize,
    start,
    name: 'events.ndjson',
    ...(maxBatchBytes ? { maxBatchBytes } : {}),
  })) {
    out.push(batch);
  }
  return out;
}

describe('batchRecords', () => {
  // Lines 1..7: two blank lines (3 and 6) that are skipped but still counted for origins.
  const file = 'r1\nr2\n\nr4\nr5\n  \nr7\n';

  it('batches non-blank lines, numbering origins by file line, and ends each batch at the byte after its last line', async () => {
    const batches = await batchesOf(file, 2);
    expect(batches.map((b) => b.records.map((r) => r.origin))).toEqual([
      ['file:events.ndjson:1', 'file:events.ndjson:2'],
      ['file:events.ndjson:4', 'file:events.ndjson:5'],
      ['file:events.ndjson:7'],
    ]);
    expect(batches.map((b) => b.records.map((r) => r.bytes.toString()))).toEqual([['r1', 'r2'], ['r4', 'r5'], ['r7']]);
    expect(batches.map((b) => b.end)).toEqual([
      { offset: 6, line: 2 },
      { offset: 13, line: 5 },
      { offset: file.length, line: 7 },
    ]);
  });

  it('resuming at a batch end yields exactly the records after it, with the same origins', async () => {
    const all = await batchesOf(file, 2);
    const resumed = await batchesOf(file, 2, all[0]!.end);
    const origins = (batches: RecordBatch[]) => batches.flatMap((b) => b.records.map((r) => r.origin));
    expect(origins(resumed)).toEqual(origins(all).slice(2));
    expect(resumed[resumed.length - 1]!.end).toEqual(all[all.length - 1]!.end);
  });

  it('moves the checkpoint over trailing blank lines with an empty last batch', async () => {
    const batches = await batchesOf('r1\nr2\n\n\n', 2);
    expect(batches.map((b) => [b.records.length, b.end])).toEqual([
      [2, { offset: 6, line: 2 }],
      [0, { offset: 8, line: 4 }],
    ]);
  });

  it('yields nothing when resumed at the end', async () => {
    expect(await batchesOf(file, 2, { offset: file.length, line: 7 })).toEqual([]);
  });

  it('closes a batch early once it holds maxBatchBytes', async () => {
    const batches = await batchesOf('aaaa\nbbbb\ncccc\n', 100, undefined, 8);
    expect(batches.map((b) => b.records.length)).toEqual([2, 1]);
  });

  it('rejects a batch size that is not a positive integer', async () => {
    await expect(batchesOf(file, 0)).rejects.toThrow('batchSize');
  });

  it('treats spaces, tabs and carriage returns as blank, anything else as a record', () => {
    expect(isBlank(Buffer.from(' \t\r'))).toBe(true);
    expect(isBlank(Buffer.alloc(0))).toBe(true);
    expect(isBlank(Buffer.from(' x'))).toBe(false);
  });
});
