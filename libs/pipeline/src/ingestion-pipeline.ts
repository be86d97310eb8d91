import type { AcceptedEvent, BatchApplier, DeadLetter, FollowUp } from '@lineage/domain';
import type { CanonicalEvent, Decoded } from '@lineage/events';
import { SECRET_REASON, decodeNative, parseJson, redactSecrets, transformEvent, validateCanonical } from '@lineage/events';
import type { IngestOptions, IngestResult, RawRecord, RecordOutcome, RecordRejection } from './ingest-types';

/** The follow-ups an accepted event asks for (written with it, in its transaction). */
export type FollowUpProvider = (event: AcceptedEvent) => readonly FollowUp[];

/** Called after a batch has committed, with the events it accepted (never duplicates). */
export type CommitListener = (accepted: readonly AcceptedEvent[]) => void | Promise<void>;

export interface BatchReport {
  readonly durationMs: number;
  readonly outcomes: readonly RecordOutcome[];
}
export type BatchListener = (report: BatchReport) => void;

export interface RetryPolicy {
  /** Attempts before giving up; Infinity for a consumer that must never skip. */
  readonly attempts: number;
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, initialDelayMs: 100, maxDelayMs: 5_000 };

export class StoreUnavailableError extends Error {
  constructor(override readonly cause: unknown) {
    super(`the graph store did not accept the batch: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'StoreUnavailableError';
  }
}

interface Decoding {
  readonly events: { readonly event: AcceptedEvent }[];
  readonly rejected: RecordRejection | null;
  /** The parsed JSON, when parsing got that far. */
  readonly value?: unknown;
}

/**
 * The one pipeline behind every entry point: decode (JSON, native formats), validate, transform
 * to graph facts, and apply in one store transaction per batch. Invalid input never stops a
 * batch: it goes to the dead-letter store with its original bytes and a reason naming the field.
 * When the store fails, the whole batch is retried with backoff; nothing is acknowledged before
 * it has committed.
 */
export class IngestionPipeline {
  private readonly commitListeners: CommitListener[] = [];
  private readonly batchListeners: BatchListener[] = [];
  private readonly followUpProviders: FollowUpProvider[] = [];
  private inFlight = 0;
  private drained: (() => void)[] = [];

  constructor(
    private readonly store: BatchApplier,
    private readonly retry: RetryPolicy = DEFAULT_RETRY,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {}

  onCommitted(listener: CommitListener): void {
    this.commitListeners.push(listener);
  }

  /**
   * Work to do after commit that must survive a crash (an offboarding plan): the provider names
   * it per event, the store records it with the event, its consumer reads it back from the store.
   */
  addFollowUps(provider: FollowUpProvider): void {
    this.followUpProviders.push(provider);
  }

  onBatch(listener: BatchListener): void {
    this.batchListeners.push(listener);
  }

  /** Decode and validate one record without touching the store. */
  decode(record: RawRecord): Decoding {
    if (record.rejection) {
      return { events: [], rejected: { reason: record.rejection.reason, field: record.rejection.field, source: null, id: null, type: null } };
    }
    let value: unknown = record.value;
    if (value === undefined) {
      const parsed = parseJson(record.bytes);
      if (!parsed.ok) return { events: [], rejected: rejection(parsed) };
      value = parsed.value;
    }

    let candidates: unknown[] = [value];
    const native = decodeNative(value, record.headers ? { headers: record.headers } : undefined);
    if (native) {
      if (!native.ok) {
        return { value, events: [], rejected: { reason: `${native.format ?? 'native'}: ${native.reason}`, field: native.field, source: native.format, id: null, type: null } };
      }
      candidates = native.value.events;
    }

    const events: { event: AcceptedEvent }[] = [];
    for (const candidate of candidates) {
      const validated = validateCanonical(candidate);
      if (!validated.ok) return { value, events: [], rejected: rejection(validated) };
      events.push({ event: this.withFollowUps(transformEvent(validated.value)) });
    }
    return { events, rejected: null };
  }

  async ingest(records: readonly RawRecord[], options: IngestOptions = {}): Promise<IngestResult> {
    this.inFlight++;
    try {
      const started = performance.now();
      const accepted: AcceptedEvent[] = [];
      const deadLetters: DeadLetter[] = [];
      // Per record: the indexes of its events in `accepted`, or its rejection.
      const plan: (number[] | RecordOutcome)[] = [];
      const receivedAt = Date.now();
      for (const record of records) {
        const decoding = this.decode(record);
        if (decoding.rejected) {
          const rejected = decoding.rejected;
          const raw = deadLetterBytes(record, decoding.value, rejected.reason);
          deadLetters.push({
            raw,
            reason: rejected.reason,
            field: rejected.field,
            origin: record.origin,
            source: rejected.source,
            type: rejected.type,
            receivedAt,
          });
          plan.push({ status: 'rejected', ...rejected, raw });
          continue;
        }
        const indexes: number[] = [];
        for (const { event } of decoding.events) {
          indexes.push(accepted.length);
          accepted.push(event);
        }
        plan.push(indexes);
      }

      const batch = { events: accepted, deadLetters, ...(options.checkpoint ? { checkpoint: options.checkpoint } : {}) };
      const { outcomes } = await this.applyWithRetry(batch);

      const results = plan.map((entry): RecordOutcome[] =>
        Array.isArray(entry)
          ? entry.map((i) => {
              const event = accepted[i]!;
              return { status: outcomes[i]!, source: event.source, id: event.id, type: event.type };
            })
          : [entry],
      );
      const report: BatchReport = { durationMs: performance.now() - started, outcomes: results.flat() };
      for (const listener of this.batchListeners) listener(report);
      const fresh = accepted.filter((_, i) => outcomes[i] === 'accepted');
      if (fresh.length > 0) for (const listener of this.commitListeners) await listener(fresh);
      return { outcomes: results };
    } finally {
      this.inFlight--;
      if (this.inFlight === 0) for (const resolve of this.drained.splice(0)) resolve();
    }
  }

  private withFollowUps(event: AcceptedEvent): AcceptedEvent {
    if (this.followUpProviders.length === 0) return event;
    const followUps = this.followUpProviders.flatMap((provide) => provide(event));
    return followUps.length === 0 ? event : { ...event, followUps };
  }

  /** Resolves once no batch is in flight: graceful shutdown waits on it. */
  async drain(): Promise<void> {
    if (this.inFlight === 0) return;
    await new Promise<void>((resolve) => this.drained.push(resolve));
  }

  private async applyWithRetry(batch: Parameters<BatchApplier['applyBatch']>[0]) {
    let delay = this.retry.initialDelayMs;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.store.applyBatch(batch);
      } catch (error) {
        if (attempt >= this.retry.attempts) throw new StoreUnavailableError(error);
        await this.sleep(delay);
        delay = Math.min(delay * 2, this.retry.maxDelayMs);
      }
    }
  }
}

/**
 * The bytes a dead letter keeps: the original ones, except for an event refused because it
 * carries a secret, which is kept with every secret value replaced by `[REDACTED]`.
 */
function deadLetterBytes(record: RawRecord, value: unknown, reason: string): Buffer {
  if (!reason.endsWith(SECRET_REASON) || value === undefined) return record.bytes;
  return Buffer.from(JSON.stringify(redactSecrets(value).value), 'utf8');
}

function rejection(decoded: Extract<Decoded<unknown>, { ok: false }>): RecordRejection {
  return { reason: decoded.reason, field: decoded.field, source: decoded.source, id: null, type: decoded.type };
}

export type { CanonicalEvent };
