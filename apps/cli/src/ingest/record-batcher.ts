import type { RawRecord } from '@lineage/pipeline';
import type { FileLine } from './line-splitter';
import type { FilePosition } from './file-position';

/**
 * Groups the lines of an NDJSON input into pipeline batches. Each batch carries the position just
 * past its last line, which the pipeline commits with it as the file's checkpoint: a restart
 * resumes at the first line of the first batch that did not commit.
 */

export interface RecordBatch {
  readonly records: readonly RawRecord[];
  /** Where the next batch starts: the checkpoint to commit with this one. */
  readonly end: FilePosition;
}

export interface BatchOptions {
  /** Records per batch (blank lines do not count). */
  readonly batchSize: number;
  /** Also close a batch once its records hold this many bytes, so memory stays bounded. */
  readonly maxBatchBytes?: number;
  /** Where `lines` starts in the file (a resumed run starts mid-file). */
  readonly start: FilePosition;
  /** The name in each record's origin: `file:<name>:<line>`. */
  readonly name: string;
}

/**
 * A batch's records, decoded, take about ten times their bytes of heap while the batch is in
 * flight, and V8 lets the heap grow to a few times what survived its last collection. 20,000
 * ordinary events are ~7 MB; a file that opens with role definitions carrying a thousand grants
 * each reached 24 MB in one batch, ~280 MB live and a 1 GB heap before the next full collection.
 * Capping the bytes splits only such batches.
 */
export const DEFAULT_MAX_BATCH_BYTES = 8 * 1024 * 1024;

/** A line of only spaces, tabs and carriage returns is skipped (but still moves the position). */
export function isBlank(bytes: Buffer): boolean {
  for (const byte of bytes) if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0d) return false;
  return true;
}

export async function* batchRecords(
  lines: AsyncIterable<FileLine>,
  options: BatchOptions,
): AsyncGenerator<RecordBatch> {
  if (!Number.isInteger(options.batchSize) || options.batchSize < 1)
    throw new RangeError(`batchSize: must be a positive integer, got ${options.batchSize}`);
  const maxBytes = options.maxBatchBytes ?? DEFAULT_MAX_BATCH_BYTES;
  let records: RawRecord[] = [];
  let bytes = 0;
  let lineNumber = options.start.line;
  let end = options.start;
  let emitted = options.start;

  for await (const line of lines) {
    lineNumber++;
    end = { offset: line.endOffset, line: lineNumber };
    if (isBlank(line.bytes)) continue;
    records.push({ bytes: line.bytes, origin: `file:${options.name}:${lineNumber}` });
    bytes += line.bytes.length;
    if (records.length >= options.batchSize || bytes >= maxBytes) {
      yield { records, end };
      emitted = end;
      records = [];
      bytes = 0;
    }
  }
  // The tail: the last records, or only blank lines that still move the checkpoint to the end.
  if (records.length > 0 || end.offset !== emitted.offset) yield { records, end };
}
