import { Injectable } from '@nestjs/common';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { BatchReport, RecordOutcome } from '@lineage/pipeline';
import { IngestionPipeline } from '@lineage/pipeline';
import { registerKafkaMetrics } from '@lineage/kafka';

/** This product's metric names start with this (Kafka's consumer lag is `lineage_consumer_lag`). */
export const METRIC_PREFIX = 'lineage_';

/**
 * Label values come from event envelopes, which anyone with an automation key writes. Past
 * these many distinct values a label reads `other`, so a noisy producer cannot grow the
 * registry without bound.
 */
const MAX_SOURCES = 200;
const MAX_TYPES = 100;
const MAX_LABEL_LENGTH = 128;
const UNKNOWN = '(unknown)';
const OTHER = 'other';

type Outcome = RecordOutcome['status'];

/**
 * Prometheus metrics on a registry of our own (not prom-client's global one): ingestion
 * counters per source, type and outcome fed from the pipeline's batch reports, batch latency,
 * dead letters, Kafka consumer lag, and Node's default process metrics. Other modules may add
 * their own metrics to `registry`.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  private readonly events: Counter<'source' | 'type' | 'outcome'>;
  private readonly deadLettered: Counter;
  private readonly batchDuration: Histogram;
  private readonly sources = new BoundedLabel(MAX_SOURCES);
  private readonly types = new BoundedLabel(MAX_TYPES);

  constructor(pipeline: IngestionPipeline) {
    const registers = [this.registry];
    // Node's process metrics keep their standard names (process_cpu_seconds_total, nodejs_heap_size_used_bytes…).
    collectDefaultMetrics({ register: this.registry });
    // Consumer lag per topic and partition; without Kafka the gauge has no series.
    registerKafkaMetrics(this.registry);
    this.events = new Counter({
      name: `${METRIC_PREFIX}events_total`,
      help: 'Events seen by the ingestion pipeline, per CloudEvents source, type and outcome (accepted, duplicate, rejected).',
      labelNames: ['source', 'type', 'outcome'],
      registers,
    });
    this.deadLettered = new Counter({
      name: `${METRIC_PREFIX}dead_lettered_total`,
      help: 'Records written to the dead-letter store by this process.',
      registers,
    });
    this.batchDuration = new Histogram({
      name: `${METRIC_PREFIX}ingest_batch_duration_seconds`,
      help: 'Time to decode, validate, transform and commit one ingestion batch.',
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    pipeline.onBatch((report) => this.recordBatch(report));
  }

  recordBatch(report: BatchReport): void {
    this.batchDuration.observe(report.durationMs / 1000);
    const counts = new Map<string, { source: string; type: string; outcome: Outcome; n: number }>();
    for (const outcome of report.outcomes) {
      const source = this.sources.value(outcome.source);
      const type = this.types.value(outcome.type);
      const key = `${source}\u0000${type}\u0000${outcome.status}`;
      const entry = counts.get(key) ?? { source, type, outcome: outcome.status, n: 0 };
      entry.n++;
      counts.set(key, entry);
      if (outcome.status === 'rejected') this.deadLettered.inc();
    }
    for (const { source, type, outcome, n } of counts.values()) this.events.inc({ source, type, outcome }, n);
  }

  /** The Prometheus text exposition of every metric on the registry. */
  async render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

/** Remembers up to `max` distinct label values; the rest map to `other`. */
class BoundedLabel {
  private readonly seen = new Set<string>();

  constructor(private readonly max: number) {}

  value(raw: string | null): string {
    const value = raw === null || raw === '' ? UNKNOWN : raw.slice(0, MAX_LABEL_LENGTH);
    if (this.seen.has(value)) return value;
    if (this.seen.size >= this.max) return OTHER;
    this.seen.add(value);
    return value;
  }
}
