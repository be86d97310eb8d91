import type { GraphStore, OffboardingPlan } from '@lineage/domain';
import { describeEachStore } from './conformance-stores';
import { t } from './graph-script';

const NOW = t('2025-06-01T12:00:00Z');

function plan(triggeredBy: string, subjectId: string, createdAt: number, effectiveAt = createdAt - 60_000): OffboardingPlan {
  return {
    subjectId,
    subjectKind: 'Person',
    triggeredBy,
    triggerSource: 'hr/workday',
    triggerType: 'hr.person.left',
    effectiveAt,
    createdAt,
    actions: [{ action: 'REASSIGN', targetId: 'nhi:bot', reason: 'owner left', suggestedOwnerId: 'person:boss', evidence: ['evt-1'] }],
    supersededAt: null,
  };
}

/**
 * The offboarding outbox: plans stored once per trigger with one delivery per channel, deliveries
 * due in order, marked delivered or failed with their retry, supersession by a rejoin, and the
 * outbox's depth that `/metrics` reads. The delivery worker is built on these; they must agree.
 */
describeEachStore('the offboarding outbox', (open) => {
  let store: GraphStore;
  beforeEach(async () => {
    store = await open();
  });
  afterEach(async () => store.close());

  it('stores a plan once per trigger, with a delivery per channel, due in order', async () => {
    expect(await store.savePlan(plan('evt-a', 'person:a', NOW), ['kafka', 'webhook'])).toBe(true);
    expect(await store.savePlan(plan('evt-a', 'person:a', NOW + 5), ['kafka', 'webhook'])).toBe(false);
    expect(await store.savePlan(plan('evt-b', 'person:b', NOW + 10), ['webhook'])).toBe(true);

    const due = await store.pendingDeliveries('webhook', NOW + 10, 10);
    expect(due.map((d) => [d.channel, d.plan.triggeredBy, d.attempts])).toEqual([
      ['webhook', 'evt-a', 0],
      ['webhook', 'evt-b', 0],
    ]);
    expect(due[0]!.plan).toEqual(plan('evt-a', 'person:a', NOW));
    expect((await store.pendingDeliveries('kafka', NOW, 10)).map((d) => d.plan.triggeredBy)).toEqual(['evt-a']);
    expect(await store.pendingDeliveries('webhook', NOW + 10, 1)).toHaveLength(1);
    expect((await store.listPlans({ first: 10 })).totalCount).toBe(2);
  });

  it('a failed delivery waits for its retry; a delivered one is done', async () => {
    await store.savePlan(plan('evt-a', 'person:a', NOW), ['webhook']);
    const [delivery] = await store.pendingDeliveries('webhook', NOW, 10);
    await store.markDeliveryFailed(delivery!.deliveryId, 'HTTP 503', NOW + 1_000);
    expect(await store.pendingDeliveries('webhook', NOW + 999, 10)).toEqual([]);
    const [retry] = await store.pendingDeliveries('webhook', NOW + 1_000, 10);
    expect([retry!.deliveryId, retry!.attempts]).toEqual([delivery!.deliveryId, 1]);
    await store.markDelivered(retry!.deliveryId, NOW + 1_000);
    expect(await store.pendingDeliveries('webhook', NOW + 86_400_000, 10)).toEqual([]);
  });

  it("a retry makes a channel's deliveries waiting for a later attempt due now, and leaves the rest", async () => {
    await store.savePlan(plan('evt-a', 'person:a', NOW), ['kafka', 'webhook']);
    await store.savePlan(plan('evt-b', 'person:b', NOW + 10), ['webhook']);
    await store.savePlan(plan('evt-c', 'person:c', NOW + 20), ['webhook']);
    const [a, b, c] = await store.pendingDeliveries('webhook', NOW + 20, 10);
    await store.markDeliveryFailed(a!.deliveryId, 'HTTP 503', NOW + 60_000);
    await store.markDeliveryFailed(b!.deliveryId, 'HTTP 503', NOW + 300_000);
    await store.markDelivered(c!.deliveryId, NOW + 30);
    const [kafka] = await store.pendingDeliveries('kafka', NOW, 10);
    await store.markDeliveryFailed(kafka!.deliveryId, 'broker down', NOW + 60_000);

    expect(await store.retryDeliveriesNow('webhook', NOW + 40)).toBe(2);
    expect((await store.pendingDeliveries('webhook', NOW + 40, 10)).map((d) => [d.plan.triggeredBy, d.attempts])).toEqual([
      ['evt-a', 1],
      ['evt-b', 1],
    ]);
    // Already due: nothing to move. The other channel, and what was delivered, are untouched.
    expect(await store.retryDeliveriesNow('webhook', NOW + 40)).toBe(0);
    expect(await store.pendingDeliveries('kafka', NOW + 59_999, 10)).toEqual([]);
    const states = await store.planDeliveries([c!.plan]);
    expect(states.map((s) => [s.channel, s.deliveredAt, s.nextAttemptAt])).toEqual([['webhook', NOW + 30, null]]);
  });

  it('the outbox per channel: undelivered, of those retrying, and the oldest plan stored', async () => {
    expect(await store.deliveryOutbox()).toEqual([]);
    await store.savePlan(plan('evt-a', 'person:a', NOW), ['kafka', 'webhook']);
    await store.savePlan(plan('evt-b', 'person:b', NOW + 500), ['kafka', 'webhook']);
    await store.savePlan(plan('evt-c', 'person:c', NOW + 900), ['webhook']);
    const webhook = await store.pendingDeliveries('webhook', NOW + 900, 10);
    await store.markDelivered(webhook[0]!.deliveryId, NOW + 1_000);
    await store.markDeliveryFailed(webhook[1]!.deliveryId, 'HTTP 413', NOW + 300_000);
    const kafka = await store.pendingDeliveries('kafka', NOW + 900, 10);
    await store.markDeliveryFailed(kafka[0]!.deliveryId, 'broker down', NOW + 2_000);
    await store.markDeliveryFailed(kafka[0]!.deliveryId, 'broker down', NOW + 4_000);

    expect(await store.deliveryOutbox()).toEqual([
      { channel: 'kafka', pending: 2, retrying: 1, oldestCreatedAt: NOW },
      { channel: 'webhook', pending: 2, retrying: 1, oldestCreatedAt: NOW + 500 },
    ]);

    for (const delivery of [...(await store.pendingDeliveries('kafka', NOW + 86_400_000, 10)), ...(await store.pendingDeliveries('webhook', NOW + 86_400_000, 10))]) {
      await store.markDelivered(delivery.deliveryId, NOW + 86_400_000);
    }
    expect(await store.deliveryOutbox()).toEqual([]);
  });

  it("where each plan's deliveries stand, and the plans with one still to make", async () => {
    await store.savePlan(plan('evt-a', 'person:a', NOW), ['webhook', 'kafka']);
    await store.savePlan(plan('evt-b', 'person:b', NOW + 500), ['webhook']);
    await store.savePlan(plan('evt-c', 'person:c', NOW + 900), ['webhook']);
    const webhook = await store.pendingDeliveries('webhook', NOW + 900, 10);
    await store.markDeliveryFailed(webhook[0]!.deliveryId, 'webhook answered HTTP 503', NOW + 1_000);
    await store.markDelivered(webhook[1]!.deliveryId, NOW + 600);
    const [kafka] = await store.pendingDeliveries('kafka', NOW, 10);
    await store.markDelivered(kafka!.deliveryId, NOW + 20);

    const key = (triggeredBy: string) => ({ triggerSource: 'hr/workday', triggeredBy });
    // In (trigger, channel) order whatever the order asked, each plan once.
    expect(await store.planDeliveries([key('evt-b'), key('evt-a'), key('evt-b')])).toEqual([
      { ...key('evt-a'), channel: 'kafka', attempts: 1, deliveredAt: NOW + 20, nextAttemptAt: null, lastError: null },
      { ...key('evt-a'), channel: 'webhook', attempts: 1, deliveredAt: null, nextAttemptAt: NOW + 1_000, lastError: 'webhook answered HTTP 503' },
      { ...key('evt-b'), channel: 'webhook', attempts: 1, deliveredAt: NOW + 600, nextAttemptAt: null, lastError: null },
    ]);
    expect(await store.planDeliveries([key('evt-c')])).toEqual([
      { ...key('evt-c'), channel: 'webhook', attempts: 0, deliveredAt: null, nextAttemptAt: NOW + 900, lastError: null },
    ]);
    expect(await store.planDeliveries([key('evt-unknown')])).toEqual([]);
    expect(await store.planDeliveries([])).toEqual([]);

    // Newest first, every plan or only the undelivered ones, paged with the same cursors.
    expect((await store.listPlans({ first: 10 })).items.map((p) => p.triggeredBy)).toEqual(['evt-c', 'evt-b', 'evt-a']);
    const first = await store.listPlans({ first: 1 }, { undelivered: true });
    expect([first.items.map((p) => p.triggeredBy), first.totalCount, first.hasNextPage]).toEqual([['evt-c'], 2, true]);
    const second = await store.listPlans({ first: 1, after: first.endCursor }, { undelivered: true });
    expect([second.items.map((p) => p.triggeredBy), second.hasNextPage]).toEqual([['evt-a'], false]);

    // Delivered everywhere, a plan leaves the undelivered list, and the outbox with it.
    const [retry] = await store.pendingDeliveries('webhook', NOW + 1_000, 10);
    await store.markDelivered(retry!.deliveryId, NOW + 1_000);
    expect((await store.listPlans({ first: 10 }, { undelivered: true })).items.map((p) => p.triggeredBy)).toEqual(['evt-c']);
    expect(await store.deliveryOutbox()).toEqual([{ channel: 'webhook', pending: 1, retrying: 0, oldestCreatedAt: NOW + 900 }]);
    expect((await store.listPlans({ first: 10 }, { undelivered: false })).totalCount).toBe(3);
  });

  it('a rejoin supersedes the plans from before it; the latest plan is by leaving time', async () => {
    await store.savePlan(plan('evt-left-1', 'person:a', NOW, NOW - 86_400_000), ['webhook']);
    await store.savePlan(plan('evt-left-2', 'person:a', NOW + 1, NOW - 3_600_000), ['webhook']);
    expect((await store.latestPlan('person:a'))?.triggeredBy).toBe('evt-left-2');
    expect(await store.supersedePlans('person:a', NOW - 7_200_000)).toBe(1);
    expect(await store.supersedePlans('person:a', NOW)).toBe(1);
    expect(await store.supersedePlans('person:a', NOW)).toBe(0);
    expect((await store.latestPlan('person:a'))?.supersededAt).toBe(NOW);
    expect(await store.latestPlan('person:nobody')).toBeNull();
  });
});
