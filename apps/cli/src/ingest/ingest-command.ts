import type { INestApplicationContext } from '@nestjs/common';
import type { GraphStore } from '@lineage/domain';
import { GRAPH_STORE } from '@lineage/domain';
import { LineageConfig } from '@lineage/config';
import { IngestionPipeline } from '@lineage/pipeline';
import type { IngestSummary } from './ingest-tally';
import type { NdjsonInput } from './ndjson-ingestion';
import { ingestNdjson } from './ndjson-ingestion';
import type { ProgressMode } from './progress-reporter';
import { progressReporter } from './progress-reporter';

export interface IngestCommandOptions {
  readonly fromStart: boolean;
  readonly progress: ProgressMode;
  /** Overrides LINEAGE_FILE_BATCH_SIZE. */
  readonly batchSize?: number;
}

/**
 * The `ingest FILE` transport: stream the input through the pipeline and return the summary.
 * The input is opened (`openNdjsonInput`) before the context, so a bad path never opens the store.
 */
export async function runIngestCommand(
  app: INestApplicationContext,
  input: NdjsonInput,
  options: IngestCommandOptions,
  signal: AbortSignal,
  warn: (message: string) => void,
): Promise<IngestSummary & { readonly file: string }> {
  const config = app.get(LineageConfig);
  const summary = await ingestNdjson(
    input,
    { pipeline: app.get(IngestionPipeline), checkpoints: app.get<string, GraphStore>(GRAPH_STORE) },
    {
      batchSize: options.batchSize ?? config.LINEAGE_FILE_BATCH_SIZE,
      fromStart: options.fromStart,
      progress: progressReporter(options.progress, input.size),
      signal,
      onWarning: warn,
    },
  );
  return { file: input.path, ...summary };
}
