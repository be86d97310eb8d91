import type { IngestResult } from '@lineage/pipeline';
import { countOutcomes } from '@lineage/pipeline';
import type { FilePosition } from './file-position';

/**
 * The counts an ingestion reports. `records` counts non-blank lines read in this run; the other
 * three count events: a native record (a CloudTrail entry, a webhook) may yield several events,
 * and a rejected record counts once (it is one dead letter).
 */
export interface IngestCounts {
  readonly records: number;
  readonly accepted: number;
  readonly duplicates: number;
  readonly rejected: number;
}

export interface IngestSummary extends IngestCounts {
  /** The checkpoint stream (null for stdin, which is never checkpointed). */
  readonly stream: string | null;
  /** Where this run started when it resumed after a committed checkpoint; null when it read from the start. */
  readonly resumedFrom: FilePosition | null;
  /** Where it stopped: the end of the input, or the last committed batch when interrupted. */
  readonly position: FilePosition;
  /** True when a signal stopped the run after its batch in flight committed. */
  readonly interrupted: boolean;
  readonly durationMs: number;
  /** Accepted plus duplicate events per second of wall time. */
  readonly eventsPerSecond: number;
}

export class IngestTally {
  private counts = { records: 0, accepted: 0, duplicates: 0, rejected: 0 };

  add(result: IngestResult): IngestCounts {
    const batch = { records: result.outcomes.length, ...countOutcomes(result) };
    this.counts = {
      records: this.counts.records + batch.records,
      accepted: this.counts.accepted + batch.accepted,
      duplicates: this.counts.duplicates + batch.duplicates,
      rejected: this.counts.rejected + batch.rejected,
    };
    return batch;
  }

  get totals(): IngestCounts {
    return { ...this.counts };
  }
}

export function eventsPerSecond(counts: IngestCounts, durationMs: number): number {
  const events = counts.accepted + counts.duplicates;
  return durationMs > 0 ? Math.round((events * 1000) / durationMs) : 0;
}
