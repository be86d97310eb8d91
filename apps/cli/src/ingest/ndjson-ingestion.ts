import type { GraphWriter } from '@lineage/domain';
import type { IngestionPipeline } from '@lineage/pipeline';
import type { FilePosition } from './file-position';
import { decideResume, encodePosition } from './file-position';
import type { IngestSummary } from './ingest-tally';
import { IngestTally, eventsPerSecond } from './ingest-tally';
import { splitLines } from './line-splitter';
import type { ProgressReporter } from './progress-reporter';
import { batchRecords } from './record-batcher';

/**
 * Ingests an NDJSON input through the pipeline, batch by batch, each batch committing the input's
 * checkpoint in its own store transaction. Killed at any point, a run leaves the store holding
 * whole batches and a checkpoint just past the last of them; the next run resumes there.
 */

/** An NDJSON input: a file (resumable) or stdin (not). */
export interface NdjsonInput {
  /** As the user gave it (`-` for stdin). */
  readonly path: string;
  /** The name in dead-letter origins (`file:<name>:<line>`): a file's basename, or `stdin`. */
  readonly name: string;
  /** The checkpoint stream; null for an input that cannot be re-read (stdin). */
  readonly stream: string | null;
  /** Size in bytes, when known. */
  readonly size: number | null;
  /** The input's bytes from `offset` on. */
  open(offset: number): AsyncIterable<Buffer>;
  /** The byte at `offset - 1`, or null when there is none. */
  byteBefore(offset: number): number | null;
}

export interface NdjsonIngestionOptions {
  readonly batchSize: number;
  /** Ignore the checkpoint and read from the start (what was ingested already counts as duplicates). */
  readonly fromStart: boolean;
  readonly progress: ProgressReporter;
  /** Aborting stops the run after the batch in flight has committed. */
  readonly signal?: AbortSignal;
  /** Told when a stored checkpoint cannot be trusted and the run restarts from the beginning. */
  readonly onWarning?: (message: string) => void;
}

export interface NdjsonIngestionDeps {
  readonly pipeline: Pick<IngestionPipeline, 'ingest'>;
  readonly checkpoints: Pick<GraphWriter, 'checkpoint'>;
}

export async function ingestNdjson(
  input: NdjsonInput,
  deps: NdjsonIngestionDeps,
  options: NdjsonIngestionOptions,
): Promise<IngestSummary> {
  const started = performance.now();
  const stored = input.stream !== null && !options.fromStart ? await deps.checkpoints.checkpoint(input.stream) : null;
  const decision = decideResume({
    stored,
    fromStart: options.fromStart,
    fileSize: input.size ?? Number.MAX_SAFE_INTEGER,
    byteBefore: (offset) => input.byteBefore(offset),
  });
  if (!decision.resume && decision.reason)
    options.onWarning?.(`${decision.reason}; reading ${input.name} from the start`);

  const tally = new IngestTally();
  let position: FilePosition = decision.from;
  let interrupted = false;
  options.progress.start(input.size, position);
  try {
    const lines = splitLines(input.open(position.offset), { startOffset: position.offset });
    for await (const batch of batchRecords(lines, {
      batchSize: options.batchSize,
      start: position,
      name: input.name,
    })) {
      const checkpoint =
        input.stream !== null ? { stream: input.stream, position: encodePosition(batch.end) } : undefined;
      const result = await deps.pipeline.ingest(batch.records, checkpoint ? { checkpoint } : {});
      tally.add(result);
      position = batch.end;
      options.progress.committed(position, tally.totals);
      if (options.signal?.aborted) {
        interrupted = true;
        break;
      }
    }
  } finally {
    options.progress.stop();
  }

  const durationMs = Math.round(performance.now() - started);
  const totals = tally.totals;
  return {
    ...totals,
    stream: input.stream,
    resumedFrom: decision.resume ? decision.from : null,
    position,
    interrupted,
    durationMs,
    eventsPerSecond: eventsPerSecond(totals, durationMs),
  };
}
