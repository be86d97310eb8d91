import type { EpochMs, OffboardingPlan, OffboardingTrigger, OutboxChannel } from '@lineage/domain';
import { Counter, Gauge, Histogram } from 'prom-client';
import type { Registry } from 'prom-client';
import type { DeliveryAttempt } from './plan-delivery-worker';

export const OFFBOARDING_PLANS_METRIC = 'lineage_offboarding_plans_total';
export const OFFBOARDING_PLAN_SECONDS_METRIC = 'lineage_offboarding_plan_seconds';
export const OFFBOARDING_DELIVERIES_METRIC = 'lineage_offboarding_deliveries_total';
export const OFFBOARDING_DELIVERY_SECONDS_METRIC = 'lineage_offboarding_delivery_seconds';
export const OFFBOARDING_PENDING_METRIC = 'lineage_offboarding_deliveries_pending';
export const OFFBOARDING_RETRYING_METRIC = 'lineage_offboarding_deliveries_retrying';
export const OFFBOARDING_OLDEST_PENDING_METRIC = 'lineage_offboarding_oldest_pending_seconds';

/** Seconds; 1 is the product's promise (a leaver's plan published within a second), the tail is a channel that was down. */
const LATENCY_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800, 3600];

/** Where the outbox gauges read from: the store's undelivered deliveries, the channels configured, and now. */
export interface OutboxSource {
  readonly outbox: () => Promise<OutboxChannel[]>;
  readonly channels: readonly string[];
  readonly clock: () => EpochMs;
  /** Told when the store could not be read for a scrape (the gauges then have no series). */
  readonly onError?: (error: unknown) => void;
}

/** One store read serves the three outbox gauges of a scrape: a read younger than this is reused. */
const OUTBOX_READ_TTL_MS = 1_000;

/**
 * Offboarding's Prometheus metrics. Fed by the service's and the worker's listeners: plans
 * stored, the time from a leaver's event being accepted to its plan stored, each delivery
 * attempt's outcome per channel, and the time from a plan stored to a channel accepting it. The
 * two latencies together are the promise the product makes ("a plan within a second"). Read from
 * the store at scrape time, so they hold across restarts and replicas: the outbox per channel
 * (deliveries not delivered, those with a failed attempt behind them, and the age of the oldest),
 * which is the alert.
 */
export class OffboardingMetrics {
  private readonly plans: Counter<'subject_kind'>;
  private readonly planSeconds: Histogram;
  private readonly deliveries: Counter<'channel' | 'outcome'>;
  private readonly deliverySeconds: Histogram<'channel'>;
  private outboxRead: { at: EpochMs; channels: Promise<OutboxChannel[] | null> } | null = null;

  constructor(
    registry: Registry,
    private readonly source: OutboxSource,
  ) {
    const registers = [registry];
    this.plans = new Counter({
      name: OFFBOARDING_PLANS_METRIC,
      help: 'Offboarding plans stored by this process, per subject kind (Person, Vendor).',
      labelNames: ['subject_kind'],
      registers,
    });
    this.planSeconds = new Histogram({
      name: OFFBOARDING_PLAN_SECONDS_METRIC,
      help: 'Time from a leaver or contract-end event being accepted by the pipeline to its offboarding plan being stored.',
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.deliveries = new Counter({
      name: OFFBOARDING_DELIVERIES_METRIC,
      help: 'Offboarding plan delivery attempts, per channel and outcome (delivered, failed, refused).',
      labelNames: ['channel', 'outcome'],
      registers,
    });
    this.deliverySeconds = new Histogram({
      name: OFFBOARDING_DELIVERY_SECONDS_METRIC,
      help: 'Time from an offboarding plan being stored to the channel accepting it, retries included.',
      labelNames: ['channel'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    const outboxGauge = (name: string, help: string, value: (entry: OutboxChannel, now: EpochMs) => number) => {
      const read = () => this.outbox();
      const { channels, clock } = this.source;
      new Gauge({
        name,
        help,
        labelNames: ['channel'],
        registers,
        async collect() {
          this.reset();
          const outbox = await read();
          if (!outbox) return;
          const now = clock();
          for (const channel of channels) this.set({ channel }, 0);
          for (const entry of outbox) this.set({ channel: entry.channel }, value(entry, now));
        },
      });
    };
    outboxGauge(OFFBOARDING_PENDING_METRIC, 'Offboarding plan deliveries not delivered yet (the outbox), per channel.', (entry) => entry.pending);
    outboxGauge(
      OFFBOARDING_RETRYING_METRIC,
      'Offboarding plan deliveries not delivered yet that have failed or been refused at least once, per channel.',
      (entry) => entry.retrying,
    );
    outboxGauge(
      OFFBOARDING_OLDEST_PENDING_METRIC,
      'Age of the oldest offboarding plan not delivered yet on a channel, in seconds (0 when none waits).',
      (entry, now) => seconds(now - entry.oldestCreatedAt),
    );
  }

  /** The store's outbox, read at most once per scrape; null when it could not be read. */
  private outbox(): Promise<OutboxChannel[] | null> {
    const now = this.source.clock();
    if (!this.outboxRead || now - this.outboxRead.at >= OUTBOX_READ_TTL_MS || now < this.outboxRead.at) {
      const channels = this.source.outbox().catch((error: unknown) => {
        this.source.onError?.(error);
        return null;
      });
      this.outboxRead = { at: now, channels };
    }
    return this.outboxRead.channels;
  }

  planned(plan: OffboardingPlan, trigger: OffboardingTrigger): void {
    this.plans.inc({ subject_kind: plan.subjectKind });
    if (trigger.acceptedAt !== undefined) this.planSeconds.observe(seconds(plan.createdAt - trigger.acceptedAt));
  }

  attempted(attempt: DeliveryAttempt): void {
    this.deliveries.inc({ channel: attempt.channel, outcome: attempt.outcome });
    if (attempt.outcome === 'delivered') this.deliverySeconds.observe({ channel: attempt.channel }, seconds(attempt.at - attempt.plan.createdAt));
  }
}

/** A clock that stepped back reads as no time, not a negative one. */
function seconds(ms: number): number {
  return Math.max(0, ms) / 1000;
}
