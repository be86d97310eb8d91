import type { GraphStore, OffboardingPlan, OffboardingTrigger } from '@lineage/domain';
import { EmbeddedGraphStore } from '@lineage/store-embedded';
import { Registry } from 'prom-client';
import { OffboardingMetrics } from './offboarding-metrics';
import type { OffboardingPlannedEvent, PlanChannel } from './plan-channel';
import { PlanRefused } from './plan-channel';
import { PlanDeliveryWorker } from './plan-delivery-worker';
import type { OutboxSource } from './offboarding-metrics';

const NOW = Date.parse('2025-06-01T00:00:00Z');
const POLICY = { initialDelayMs: 1_000, maxDelayMs: 60_000, batchSize: 10, pollIntervalMs: 1_000 };

function plan(triggeredBy: string, createdAt = NOW): OffboardingPlan {
  return {
    subjectId: `person:${triggeredBy}`,
    subjectKind: 'Person',
    triggeredBy,
    triggerSource: 'hr',
    triggerType: 'hr.person.left',
    effectiveAt: NOW - 60_000,
    createdAt,
    actions: [],
    supersededAt: null,
  };
}

function trigger(of: OffboardingPlan, acceptedAt?: number): OffboardingTrigger {
  return {
    subjectId: of.subjectId,
    subjectKind: of.subjectKind,
    eventId: of.triggeredBy,
    eventSource: of.triggerSource,
    eventType: of.triggerType,
    effectiveAt: of.effectiveAt,
    ...(acceptedAt === undefined ? {} : { acceptedAt }),
  };
}

/** A webhook that refuses the plans of `refused` (as an HTTP 413 would) and is down while `down`. */
class Channel implements PlanChannel {
  readonly name = 'webhook';
  down = false;
  constructor(private readonly refused: ReadonlySet<string>) {}

  async deliver(event: OffboardingPlannedEvent): Promise<void> {
    if (this.down) throw new Error('connect ECONNREFUSED');
    if (this.refused.has(event.data.triggeredBy)) throw new PlanRefused('webhook answered HTTP 413');
  }
}

/** The outbox as the module wires it: the store's, with `kafka` and `webhook` configured. */
function outboxOf(clock: () => number): OutboxSource {
  return { outbox: () => store.deliveryOutbox(), channels: ['kafka', 'webhook'], clock };
}

/** Metrics on a registry of their own, fed by a worker on the test's store; `now` is the clock of both. */
function harness(refused: readonly string[] = []) {
  const h = { now: NOW, registry: new Registry(), channel: new Channel(new Set(refused)) };
  const metrics = new OffboardingMetrics(h.registry, outboxOf(() => h.now));
  const worker = new PlanDeliveryWorker(store, [h.channel], POLICY, () => h.now);
  worker.onAttempt((attempt) => metrics.attempted(attempt));
  return Object.assign(h, { metrics, worker, deliverDue: () => worker.deliverDue(h.now), series: () => series(h.registry) });
}

async function series(registry: Registry): Promise<string[]> {
  return (await registry.metrics()).split('\n').filter((line) => line.startsWith('lineage_offboarding_') && !line.includes('_bucket{'));
}

let store: GraphStore;
beforeEach(() => {
  store = EmbeddedGraphStore.open({ dataDir: ':memory:' });
});
afterEach(async () => store.close());

describe('OffboardingMetrics', () => {
  it('counts plans, times them from the leaver event, and counts each delivery attempt by outcome', async () => {
    const h = harness(['evt-too-large']);

    const ok = plan('evt-ok');
    const tooLarge = plan('evt-too-large');
    for (const [p, acceptedAt] of [[ok, NOW - 250], [tooLarge, NOW - 750]] as const) {
      await store.savePlan(p, ['webhook']);
      h.metrics.planned(p, trigger(p, acceptedAt));
    }
    // A trigger recorded by an older release has no acceptance time: counted, not timed.
    h.metrics.planned(plan('evt-old', NOW), trigger(plan('evt-old')));

    h.now = NOW + 2_000;
    await h.deliverDue();
    expect(await h.series()).toEqual([
      'lineage_offboarding_plans_total{subject_kind="Person"} 3',
      'lineage_offboarding_plan_seconds_sum 1',
      'lineage_offboarding_plan_seconds_count 2',
      'lineage_offboarding_deliveries_total{channel="webhook",outcome="delivered"} 1',
      'lineage_offboarding_deliveries_total{channel="webhook",outcome="refused"} 1',
      'lineage_offboarding_delivery_seconds_sum{channel="webhook"} 2',
      'lineage_offboarding_delivery_seconds_count{channel="webhook"} 1',
      // The outbox, from the store: the refused plan waits, stored 2 s ago; the other channel configured has none.
      'lineage_offboarding_deliveries_pending{channel="kafka"} 0',
      'lineage_offboarding_deliveries_pending{channel="webhook"} 1',
      'lineage_offboarding_deliveries_retrying{channel="kafka"} 0',
      'lineage_offboarding_deliveries_retrying{channel="webhook"} 1',
      'lineage_offboarding_oldest_pending_seconds{channel="kafka"} 0',
      'lineage_offboarding_oldest_pending_seconds{channel="webhook"} 2',
    ]);

    // The channel down when the refused plan's retry is due: still one delivery waiting, not two.
    h.channel.down = true;
    h.now = NOW + 60_000;
    await h.deliverDue();
    const later = await h.series();
    expect(later).toContain('lineage_offboarding_deliveries_total{channel="webhook",outcome="failed"} 1');
    expect(later).toContain('lineage_offboarding_deliveries_retrying{channel="webhook"} 1');
    expect(later).toContain('lineage_offboarding_oldest_pending_seconds{channel="webhook"} 60');
  });

  it('a delivery taken after failing leaves the outbox; its latency counts from the plan, retries included', async () => {
    const h = harness();
    await store.savePlan(plan('evt-1'), ['webhook']);

    h.channel.down = true;
    await h.deliverDue();
    expect(await h.series()).toContain('lineage_offboarding_deliveries_retrying{channel="webhook"} 1');

    h.channel.down = false;
    h.now = NOW + 90_000;
    await h.deliverDue();
    const after = await h.series();
    expect(after).toContain('lineage_offboarding_deliveries_pending{channel="webhook"} 0');
    expect(after).toContain('lineage_offboarding_deliveries_retrying{channel="webhook"} 0');
    expect(after).toContain('lineage_offboarding_oldest_pending_seconds{channel="webhook"} 0');
    expect(after).toContain('lineage_offboarding_delivery_seconds_sum{channel="webhook"} 90');
    // 90 s falls in the bucket up to 300 s and not in the one up to 60 s.
    const buckets = (await h.registry.metrics()).split('\n').filter((line) => line.startsWith('lineage_offboarding_delivery_seconds_bucket'));
    expect(buckets).toContain('lineage_offboarding_delivery_seconds_bucket{le="60",channel="webhook"} 0');
    expect(buckets).toContain('lineage_offboarding_delivery_seconds_bucket{le="300",channel="webhook"} 1');
  });

  it('the outbox is the store\'s: a delivery another process took is not waiting here either', async () => {
    const h = harness();
    await store.savePlan(plan('evt-1'), ['webhook']);
    h.channel.down = true;
    await h.deliverDue();
    expect(await h.series()).toContain('lineage_offboarding_deliveries_retrying{channel="webhook"} 1');

    // A replica on the same store delivers it when the retry is due.
    h.now = NOW + 5_000;
    await new PlanDeliveryWorker(store, [new Channel(new Set())], POLICY, () => h.now).deliverDue(h.now);
    const after = await h.series();
    expect(after).toContain('lineage_offboarding_deliveries_retrying{channel="webhook"} 0');
    expect(after).toContain('lineage_offboarding_deliveries_pending{channel="webhook"} 0');
  });

  it('a store that cannot be read leaves the outbox gauges without series, says so, and /metrics still answers', async () => {
    const registry = new Registry();
    const errors: unknown[] = [];
    const metrics = new OffboardingMetrics(registry, {
      outbox: () => Promise.reject(new Error('Neo4j is unavailable')),
      channels: ['webhook'],
      clock: () => NOW,
      onError: (error) => errors.push(error),
    });
    metrics.planned(plan('evt-1'), trigger(plan('evt-1'), NOW));
    expect(await series(registry)).toEqual([
      'lineage_offboarding_plans_total{subject_kind="Person"} 1',
      'lineage_offboarding_plan_seconds_sum 0',
      'lineage_offboarding_plan_seconds_count 1',
    ]);
    // One read for the three gauges of a scrape.
    expect(errors.map((e) => (e as Error).message)).toEqual(['Neo4j is unavailable']);
  });
});
