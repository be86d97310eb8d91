import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { E2eApp } from './support/e2e-app';
import { dataOf, errorCode, graphql, postEvent, startE2eApp } from './support/e2e-app';

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
let receiver: Server;
let e2e: E2eApp;

const latestDelivery = async (): Promise<Delivery | undefined> =>
  dataOf<{ offboardingPlan: { deliveries: Delivery[] } | null }>(
    await graphql(e2e.url, e2e.adminKey, '{ offboardingPlan(personId: "person:erin") { deliveries { status attempts deliveredAt nextAttemptAt } } }'),
  ).offboardingPlan?.deliveries[0];

/** Asks until `done` holds of the answer (the delivery loop runs on its own timer), for at most 15 s. */
async function eventually<T>(ask: () => Promise<T>, done: (answer: T) => boolean): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const answer = await ask();
    if (done(answer) || Date.now() > deadline) return answer;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(async () => {
  receiver = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(receiverStatus).end());
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/offboarding`;
  e2e = await startE2eApp({ env: { LINEAGE_WEBHOOK_URL: url, LINEAGE_WEBHOOK_SECRET: 'e2e-webhook-secret-0123456789abcdef' } });
  const joined = { specversion: '1.0', id: 'hr-erin', source: HR, type: 'hr.person.joined', time: '2024-01-02T09:00:00Z', data: { personId: 'person:erin', email: 'erin@acme.example' } };
  const left = { specversion: '1.0', id: 'hr-erin-left', source: HR, type: 'hr.person.left', time: '2024-06-01T17:00:00Z', data: { personId: 'person:erin' } };
  for (const event of [joined, left]) expect((await postEvent(e2e.url, e2e.adminKey, event)).status).toBe(202);
});

afterAll(async () => {
  await e2e?.close();
  await new Promise<void>((resolve) => receiver?.close(() => resolve()));
});

test('a retry sends a plan that was backing off now, not at its next attempt', async () => {
  const waiting = await eventually(latestDelivery, (delivery) => (delivery?.attempts ?? 0) >= 3);
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
