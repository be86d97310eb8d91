/**
 * What the ingestion pipeline takes and returns. Every entry point (Kafka, HTTP, files) turns
 * its input into `RawRecord`s and hands them over; the pipeline decodes, validates, transforms,
 * dead-letters what is bad and applies the rest in one store transaction per batch.
 */
export interface RawRecord {
  /** The original bytes, kept verbatim in the dead-letter store when the record is bad. */
  readonly bytes: Buffer;
  /** Where it came from: `http`, `file:<name>:<line>`, `kafka:<topic>/<partition>/<offset>`. */
  readonly origin: string;
  /**
   * Already-decoded JSON value, when the transport had to parse to split a batch (HTTP batch
   * mode). The pipeline then skips parsing `bytes` again.
   */
  readonly value?: unknown;
  /** Transport headers that help decoding (e.g. `x-github-event` for GitHub webhooks). */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * Set when the transport itself could not read the record (unusable CloudEvents headers, a
   * batch that is not an array): the pipeline dead-letters the bytes with this reason.
   */
  readonly rejection?: { readonly reason: string; readonly field: string | null };
}

/** Why a record was refused, and what is known of it. */
export interface RecordRejection {
  readonly reason: string;
  readonly field: string | null;
  readonly source: string | null;
  readonly id: string | null;
  readonly type: string | null;
}

export type RecordOutcome =
  | { readonly status: 'accepted' | 'duplicate'; readonly source: string; readonly id: string; readonly type: string }
  | (RecordRejection & {
      readonly status: 'rejected';
      /** The bytes the dead-letter store keeps: the original ones, or the event redacted when it carried a secret. */
      readonly raw: Buffer;
    });

/** A native record may yield several events: each record has one outcome per event (at least one). */
export interface IngestResult {
  readonly outcomes: readonly (readonly RecordOutcome[])[];
}

export interface IngestOptions {
  /** Stored in the same transaction as the batch (a file's byte offset, for resuming). */
  readonly checkpoint?: { readonly stream: string; readonly position: string };
}

export interface OutcomeCounts {
  readonly accepted: number;
  readonly duplicates: number;
  readonly rejected: number;
}

/** How many events of a result were accepted, duplicates or rejected. */
export function countOutcomes(result: IngestResult): OutcomeCounts {
  const counts = { accepted: 0, duplicates: 0, rejected: 0 };
  for (const outcomes of result.outcomes) {
    for (const outcome of outcomes) {
      switch (outcome.status) {
        case 'accepted':
          counts.accepted++;
          break;
        case 'duplicate':
          counts.duplicates++;
          break;
        case 'rejected':
          counts.rejected++;
          break;
      }
    }
  }
  return counts;
}
