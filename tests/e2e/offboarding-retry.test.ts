import type { E2eApp } from './support/e2e-app';
import { dataOf, errorCode, graphql, startE2eApp } from './support/e2e-app';
import type { ServerWithLeaver } from './support/webhook-receiver';
import { eventually, serverWithLeaver } from './support/webhook-receiver';

/**
 * An operator's retry, on the real server with a real webhook receiver: the receiver answers 503
 * until the plan's delivery has backed off (1 s, 2 s, then 4 s), comes back, and
 * `retryPlanDeliveries` sends the plan at once, before the time its next attempt was set for.
 */

const HR = 'hr/workday/e2e-retry';

interface Delivery {
  status: string;
  attempts: number;
  deliveredAt: string | null;
  nextAttemptAt: string | null;
}

let receiverStatus = 503;
let server: ServerWithLeaver;
let e2e: E2eApp;

const latestDelivery = async (): Promise<Delivery | undefined> =>
  dataOf<{ offboardingPlan: { deliveries: Delivery[] } | null }>(
    await graphql(e2e.url, e2e.adminKey, '{ offboardingPlan(personId: "person:erin") { deliveries { status attempts deliveredAt nextAttemptAt } } }'),
  ).offboardingPlan?.deliveries[0];

beforeAll(async () => {
  server = await serverWithLeaver(() => receiverStatus, HR, 'erin');
  e2e = server.e2e;
});

afterAll(async () => server?.close());

test('a retry sends a plan that was backing off now, not at its next attempt', async () => {
  const waiting = await eventually(latestDelivery, (delivery) => (delivery?.attempts ?? 0) >= 3, 50);
  expect(waiting).toMatchObject({ status: 'RETRYING', attempts: 3, deliveredAt: null });
  const nextAttemptAt = Date.parse(waiting!.nextAttemptAt!);

  receiverStatus = 200;
  const retried = await graphql(e2e.url, e2e.adminKey, 'mutation { retryPlanDeliveries { channel rescheduled } }');
  expect(dataOf(retried)).toEqual({ retryPlanDeliveries: [{ channel: 'webhook', rescheduled: 1 }] });

  const delivered = await eventually(latestDelivery, (delivery) => delivery?.status === 'DELIVERED');
  expect(delivered).toMatchObject({ status: 'DELIVERED', attempts: 4, nextAttemptAt: null });
  expect(Date.parse(delivered!.deliveredAt!)).toBeLessThan(nextAttemptAt);

  // Nothing is waiting any more: a second retry moves nothing.
  expect(dataOf(await graphql(e2e.url, e2e.adminKey, 'mutation { retryPlanDeliveries(channel: "webhook") { rescheduled } }'))).toEqual({
    retryPlanDeliveries: [{ rescheduled: 0 }],
  });
});

test('a channel that is not configured is BAD_USER_INPUT, naming the channels that are', async () => {
  const answer = await graphql(e2e.url, e2e.adminKey, 'mutation { retryPlanDeliveries(channel: "kafka") { rescheduled } }');
  expect(errorCode(answer)).toBe('BAD_USER_INPUT');
  expect(answer.body.errors?.[0]?.message).toBe('channel: is not a configured plan channel; configured: webhook');
});

test('with no plan channel configured, a retry has nothing to do, and naming a channel is BAD_USER_INPUT', async () => {
  const bare = await startE2eApp();
  try {
    expect(dataOf(await graphql(bare.url, bare.adminKey, 'mutation { retryPlanDeliveries { channel } }'))).toEqual({ retryPlanDeliveries: [] });
    const answer = await graphql(bare.url, bare.adminKey, 'mutation { retryPlanDeliveries(channel: "webhook") { channel } }');
    expect(errorCode(answer)).toBe('BAD_USER_INPUT');
    expect(answer.body.errors?.[0]?.message).toBe('channel: is not a configured plan channel; none is (LINEAGE_WEBHOOK_URL, KAFKA_BROKERS)');
  } finally {
    await bare.close();
  }
});
