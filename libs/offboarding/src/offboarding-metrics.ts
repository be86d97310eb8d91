import type { OffboardingPlan, OffboardingTrigger } from '@lineage/domain';
import { Counter, Gauge, Histogram } from 'prom-client';
import type { Registry } from 'prom-client';
import type { DeliveryAttempt } from './plan-delivery-worker';

export const OFFBOARDING_PLANS_METRIC = 'lineage_offboarding_plans_total';
export const OFFBOARDING_PLAN_SECONDS_METRIC = 'lineage_offboarding_plan_seconds';
export const OFFBOARDING_DELIVERIES_METRIC = 'lineage_offboarding_deliveries_total';
export const OFFBOARDING_DELIVERY_SECONDS_METRIC = 'lineage_offboarding_delivery_seconds';
export const OFFBOARDING_RETRYING_METRIC = 'lineage_offboarding_deliveries_retrying';

/** Seconds; 1 is the product's promise (a leaver's plan published within a second), the tail is a channel that was down. */
const LATENCY_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800, 3600];

/**
 * Offboarding's Prometheus metrics, fed by the service's and the worker's listeners: plans
 * stored, the time from a leaver's event being accepted to its plan stored, each delivery
 * attempt's outcome per channel, the time from a plan stored to a channel accepting it, and the
 * deliveries whose last attempt failed. The two latencies together are the promise the product
 * makes ("a plan within a second"); the last is the alert: a delivery stays in it until the
 * channel takes it.
 */
export class OffboardingMetrics {
  private readonly plans: Counter<'subject_kind'>;
  private readonly planSeconds: Histogram;
  private readonly deliveries: Counter<'channel' | 'outcome'>;
  private readonly deliverySeconds: Histogram<'channel'>;
  /** Per channel, the deliveries whose last attempt in this process failed. */
  private readonly retrying = new Map<string, Set<number>>();

  constructor(registry: Registry) {
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
    const retrying = this.retrying;
    new Gauge({
      name: OFFBOARDING_RETRYING_METRIC,
      help: 'Offboarding plan deliveries whose last attempt failed or was refused, waiting for a retry, per channel.',
      labelNames: ['channel'],
      registers,
      collect() {
        this.reset();
        for (const [channel, ids] of retrying) this.set({ channel }, ids.size);
      },
    });
  }

  planned(plan: OffboardingPlan, trigger: OffboardingTrigger): void {
    this.plans.inc({ subject_kind: plan.subjectKind });
    if (trigger.acceptedAt !== undefined) this.planSeconds.observe(seconds(plan.createdAt - trigger.acceptedAt));
  }

  attempted(attempt: DeliveryAttempt): void {
    this.deliveries.inc({ channel: attempt.channel, outcome: attempt.outcome });
    let retrying = this.retrying.get(attempt.channel);
    if (!retrying) this.retrying.set(attempt.channel, (retrying = new Set()));
    if (attempt.outcome !== 'delivered') {
      retrying.add(attempt.deliveryId);
      return;
    }
    retrying.delete(attempt.deliveryId);
    this.deliverySeconds.observe({ channel: attempt.channel }, seconds(attempt.at - attempt.plan.createdAt));
  }
}

/** A clock that stepped back reads as no time, not a negative one. */
function seconds(ms: number): number {
  return Math.max(0, ms) / 1000;
}
