import type { GraphStore, OffboardingPlan } from '@lineage/domain';
import { EmbeddedGraphStore } from '@lineage/store-embedded';
import { plannedEventId } from './offboarding-planned-event';
import type { OffboardingPlannedEvent, PlanChannel } from './plan-channel';
import { PlanRefused } from './plan-channel';
import type { DeliveryPolicy, PlanPublished } from './plan-delivery-worker';
import { PlanDeliveryWorker, retryDelay } from './plan-delivery-worker';

const NOW = Date.parse('2025-06-01T00:00:00Z');
const POLICY: DeliveryPolicy = { initialDelayMs: 1_000, maxDelayMs: 60_000, batchSize: 10, pollIntervalMs: 1_000 };

function plan(triggeredBy: string, subjectId = 'person:e1'): OffboardingPlan {
  return {
    subjectId,
    subjectKind: 'Person',
    triggeredBy,
    triggerSource: 'hr',
    triggerType: 'hr.person.left',
    effectiveAt: NOW - 1_000,
    createdAt: NOW,
    actions: [],
    supersededAt: null,
  };
}

/** A channel that records what it was given and fails its first `failures` deliveries. */
class RecordingChannel implements PlanChannel {
  readonly attempts: OffboardingPlannedEvent[] = [];
  readonly delivered: OffboardingPlannedEvent[] = [];
  constructor(
    readonly name: string,
    private failures = 0,
  ) {}

  async deliver(event: OffboardingPlannedEvent): Promise<void> {
    this.attempts.push(event);
    if (this.failures > 0) {
      this.failures--;
      throw new Error(`${this.name} is down`);
    }
    this.delivered.push(event);
  }
}

let store: GraphStore;
beforeEach(() => {
  store = EmbeddedGraphStore.open({ dataDir: ':memory:' });
});
afterEach(async () => store.close());

describe('PlanDeliveryWorker', () => {
  it('delivers each stored plan once per channel, marks it delivered and reports it published', async () => {
    const kafka = new RecordingChannel('kafka');
    const webhook = new RecordingChannel('webhook');
    const published: PlanPublished[] = [];
    const worker = new PlanDeliveryWorker(store, [kafka, webhook], POLICY, () => NOW + 5);
    worker.onPublished((p) => published.push(p));
    await store.savePlan(plan('evt-1'), worker.channelNames);

    expect(await worker.deliverDue(NOW)).toEqual({ delivered: 2, failed: 0 });
    expect(kafka.delivered.map((e) => e.id)).toEqual([plannedEventId(plan('evt-1'))]);
    expect(webhook.delivered.map((e) => e.data.triggeredBy)).toEqual(['evt-1']);
    expect(published.map((p) => [p.channel, p.plan.triggeredBy, p.publishedAt, p.attempts])).toEqual([
      ['kafka', 'evt-1', NOW + 5, 1],
      ['webhook', 'evt-1', NOW + 5, 1],
    ]);

    // Delivered means done: a later run sends nothing again.
    expect(await worker.deliverDue(NOW + 3_600_000)).toEqual({ delivered: 0, failed: 0 });
    expect(kafka.attempts).toHaveLength(1);
    expect(await store.pendingDeliveries('kafka', NOW + 3_600_000, 10)).toEqual([]);
  });

  it('a failed delivery waits for its retry, with the delay doubling, then goes out once', async () => {
    const flaky = new RecordingChannel('webhook', 2);
    const published: PlanPublished[] = [];
    const worker = new PlanDeliveryWorker(store, [flaky], POLICY, () => NOW);
    worker.onPublished((p) => published.push(p));
    await store.savePlan(plan('evt-1'), ['webhook']);

    expect(await worker.deliverDue(NOW)).toEqual({ delivered: 0, failed: 1 });
    expect(await store.pendingDeliveries('webhook', NOW + 999, 10)).toEqual([]);
    expect((await store.pendingDeliveries('webhook', NOW + 1_000, 10)).map((d) => d.attempts)).toEqual([1]);

    // Not due yet: nothing is attempted.
    expect(await worker.deliverDue(NOW + 999)).toEqual({ delivered: 0, failed: 0 });
    expect(await worker.deliverDue(NOW + 1_000)).toEqual({ delivered: 0, failed: 1 });
    expect(await store.pendingDeliveries('webhook', NOW + 2_999, 10)).toEqual([]);
    expect((await store.pendingDeliveries('webhook', NOW + 3_000, 10)).map((d) => d.attempts)).toEqual([2]);

    expect(await worker.deliverDue(NOW + 3_000)).toEqual({ delivered: 1, failed: 0 });
    expect(flaky.attempts).toHaveLength(3);
    expect(flaky.delivered.map((e) => e.data.triggeredBy)).toEqual(['evt-1']);
    expect(published.map((p) => p.attempts)).toEqual([3]);
  });

  it('a channel that is down is not hammered: its other deliveries wait; other channels go on', async () => {
    const down = new RecordingChannel('webhook', 100);
    const kafka = new RecordingChannel('kafka');
    const worker = new PlanDeliveryWorker(store, [down, kafka], POLICY, () => NOW);
    for (const id of ['evt-1', 'evt-2', 'evt-3']) await store.savePlan(plan(id, `person:${id}`), ['webhook', 'kafka']);

    expect(await worker.deliverDue(NOW)).toEqual({ delivered: 3, failed: 1 });
    expect(down.attempts).toHaveLength(1);
    expect(kafka.delivered.map((e) => e.data.triggeredBy)).toEqual(['evt-1', 'evt-2', 'evt-3']);
  });

  it('a plan the channel refuses does not hold back the next ones: it alone waits for its retry', async () => {
    const refusing: PlanChannel & { delivered: string[]; attempts: string[] } = {
      name: 'kafka',
      delivered: [],
      attempts: [],
      async deliver(event) {
        this.attempts.push(event.data.triggeredBy);
        if (event.data.triggeredBy === 'evt-1') throw new PlanRefused('lineage.offboarding: MESSAGE_TOO_LARGE');
        this.delivered.push(event.data.triggeredBy);
      },
    };
    const logged: string[] = [];
    const worker = new PlanDeliveryWorker(store, [refusing], POLICY, () => NOW, (level, message) => logged.push(`${level}: ${message}`));
    await store.savePlan(plan('evt-1'), ['kafka']);
    await store.savePlan(plan('evt-2', 'person:e2'), ['kafka']);

    expect(await worker.deliverDue(NOW)).toEqual({ delivered: 1, failed: 1 });
    expect(refusing.delivered).toEqual(['evt-2']);
    expect(logged).toEqual(['error: plan refused by the channel; will retry']);

    // A plan saved a moment later goes out at once: the channel is not paused.
    await store.savePlan(plan('evt-3', 'person:e3'), ['kafka']);
    expect(await worker.deliverDue(NOW + 10)).toEqual({ delivered: 1, failed: 0 });
    expect(refusing.delivered).toEqual(['evt-2', 'evt-3']);
    // The refused one is tried again on its own backoff.
    expect(await worker.deliverDue(NOW + POLICY.initialDelayMs)).toEqual({ delivered: 0, failed: 1 });
    expect(refusing.attempts).toEqual(['evt-1', 'evt-2', 'evt-3', 'evt-1']);
  });

  it('survives a restart: a new worker on the same store delivers what the last one could not', async () => {
    await store.savePlan(plan('evt-1'), ['webhook']);
    const before = new PlanDeliveryWorker(store, [new RecordingChannel('webhook', 1)], POLICY, () => NOW);
    expect(await before.deliverDue(NOW)).toEqual({ delivered: 0, failed: 1 });

    const after = new RecordingChannel('webhook');
    expect(await new PlanDeliveryWorker(store, [after], POLICY, () => NOW + 60_000).deliverDue()).toEqual({
      delivered: 1,
      failed: 0,
    });
    expect(after.delivered.map((e) => e.data.triggeredBy)).toEqual(['evt-1']);
  });

  it("an operator's retry sends a channel's waiting deliveries now, not at their backed-off times", async () => {
    const webhook = new RecordingChannel('webhook', 1);
    const kafka = new RecordingChannel('kafka');
    let now = NOW;
    const worker = new PlanDeliveryWorker(store, [webhook, kafka], POLICY, () => now);
    for (const id of ['evt-1', 'evt-2']) await store.savePlan(plan(id, `person:${id}`), ['webhook', 'kafka']);
    expect(await worker.deliverDue(NOW)).toEqual({ delivered: 2, failed: 1 });

    // The receiver is back before the retry is due: the channel is paused and evt-1 waits until NOW + 1 s.
    now = NOW + 500;
    expect(await worker.deliverDue(now)).toEqual({ delivered: 0, failed: 0 });
    // evt-1 is moved to now; evt-2, due all along and held back only by the pause, is not counted.
    expect(await worker.retryNow(['webhook', 'kafka'])).toEqual([
      { channel: 'webhook', rescheduled: 1 },
      { channel: 'kafka', rescheduled: 0 },
    ]);
    await worker.idle();
    expect(webhook.delivered.map((e) => e.data.triggeredBy)).toEqual(['evt-1', 'evt-2']);
    expect(kafka.attempts).toHaveLength(2);
    expect(await store.deliveryOutbox()).toEqual([]);
  });

  it('kick never rejects: a store that fails is logged, and the next run starts afresh', async () => {
    const logged: string[] = [];
    let broken = true;
    const failing = {
      pendingDeliveries: async (...args: Parameters<GraphStore['pendingDeliveries']>) => {
        if (broken) throw new Error('database is locked');
        return store.pendingDeliveries(...args);
      },
      markDelivered: store.markDelivered.bind(store),
      markDeliveryFailed: store.markDeliveryFailed.bind(store),
      retryDeliveriesNow: store.retryDeliveriesNow.bind(store),
    };
    const channel = new RecordingChannel('kafka');
    const worker = new PlanDeliveryWorker(
      failing,
      [channel],
      POLICY,
      () => NOW,
      (_level, message, fields) => logged.push(`${message}: ${fields['error']}`),
    );
    await store.savePlan(plan('evt-1'), ['kafka']);

    await expect(worker.kick()).resolves.toBeUndefined();
    expect(logged).toEqual(['plan delivery run failed: database is locked']);
    broken = false;
    await worker.kick();
    expect(channel.delivered).toHaveLength(1);
  });

  it('retry delays double from the initial delay up to the cap', () => {
    expect([1, 2, 3, 4, 6, 7, 20].map((n) => retryDelay(POLICY, n))).toEqual([
      1_000, 2_000, 4_000, 8_000, 32_000, 60_000, 60_000,
    ]);
  });
});
