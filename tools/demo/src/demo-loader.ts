import type { GraphWriter } from '@lineage/domain';
import type { IngestionPipeline, IngestResult, RawRecord } from '@lineage/pipeline';
import type { CanonicalEventLike } from '../../bench/src/generator';
import { generateEnterprise } from '../../bench/src/generator';

/**
 * Loads the demo enterprise through the real ingestion pipeline, as NDJSON bytes exactly like a
 * file would bring them. The generator is deterministic, so "how far we got" is a count of
 * events: it is the checkpoint of the stream `demo:enterprise:people=P:seed=S`, committed with
 * each batch. A second `demo` run finds the checkpoint at the end and loads nothing; an
 * interrupted one resumes.
 */

export interface DemoOptions {
  readonly people: number;
  readonly seed: number;
  readonly batchSize: number;
}

export interface DemoLoad {
  readonly stream: string;
  /** Events the generator yielded (all of them, loaded now or before). */
  readonly events: number;
  /** Events skipped because an earlier run had committed them. */
  readonly alreadyLoaded: number;
}

export function demoStream(options: Pick<DemoOptions, 'people' | 'seed'>): string {
  return `demo:enterprise:people=${options.people}:seed=${options.seed}`;
}

/** The stored checkpoint: how many of the generator's events have committed. */
export function decodeDemoPosition(text: string | null): number {
  if (text === null) return 0;
  const parsed = /^\{"events":(\d+)\}$/.exec(text);
  return parsed ? Number(parsed[1]) : 0;
}

export function encodeDemoPosition(events: number): string {
  return JSON.stringify({ events });
}

export interface DemoLoaderDeps {
  readonly pipeline: Pick<IngestionPipeline, 'ingest'>;
  readonly checkpoints: Pick<GraphWriter, 'checkpoint'>;
}

/**
 * Generate and ingest. `observe` sees every generated event, loaded now or not, so the caller
 * can collect candidate ids for its examples without reading the whole store back; `onBatch`
 * gets each committed batch's result and how many events have committed so far.
 */
export async function loadDemoEnterprise(
  deps: DemoLoaderDeps,
  options: DemoOptions,
  observe: (event: CanonicalEventLike) => void,
  onBatch: (result: IngestResult, committed: number) => void = () => undefined,
): Promise<DemoLoad> {
  const stream = demoStream(options);
  const committed = decodeDemoPosition(await deps.checkpoints.checkpoint(stream));
  let index = 0;
  let batch: RawRecord[] = [];

  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const result = await deps.pipeline.ingest(batch, { checkpoint: { stream, position: encodeDemoPosition(index) } });
    batch = [];
    onBatch(result, index);
  };

  for (const event of generateEnterprise({ people: options.people, seed: options.seed })) {
    observe(event);
    index++;
    if (index <= committed) continue;
    batch.push({ bytes: Buffer.from(JSON.stringify(event)), origin: `demo:${index}` });
    if (batch.length >= options.batchSize) await flush();
  }
  await flush();
  return { stream, events: index, alreadyLoaded: Math.min(committed, index) };
}
