import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { E2eApp } from './support/e2e-app';
import { dataOf, errorCode, graphql, postEvent, startE2eApp } from './support/e2e-app';

/**
 * Where a plan's deliveries stand, over GraphQL, on the real server with a real webhook receiver:
 * what an operator asks when `lineage_offboarding_oldest_pending_seconds` alerts. The receiver
 * first answers 503, then 200; the server's own delivery loop (1 s poll, 1 s first retry) does
 * the rest, and the test waits for what it reports.
 */

const HR = 'hr/workday/e2e';
const PLAN_FIELDS = 'personId triggeredBy deliveries { channel status attempts deliveredAt nextAttemptAt lastError }';

interface Delivery {
  channel: string;
  status: string;
  attempts: number;
  deliveredAt: string | null;
  nextAttemptAt: string | null;
  lastError: string | null;
}
interface Plan {
  personId: string;
  triggeredBy: string;
  deliveries: Delivery[];
}
interface Plans {
  offboardingPlans: { totalCount: number; edges: { node: Plan }[] };
}

let receiverStatus = 503;
let received = 0;
let receiver: Server;
let e2e: E2eApp;

const data = async <T>(query: string) => dataOf<T>(await graphql(e2e.url, e2e.adminKey, query));
const latestPlan = async () => (await data<{ offboardingPlan: Plan | null }>(`{ offboardingPlan(personId: "person:erin") { ${PLAN_FIELDS} } }`)).offboardingPlan;
const plans = async (filter: string) =>
  (await data<Plans>(`{ offboardingPlans(first: 10${filter}) { totalCount edges { node { ${PLAN_FIELDS} } } } }`)).offboardingPlans;

/** Asks until `done` holds of the answer (the delivery loop runs on its own timer), for at most 15 s. */
async function eventually<T>(ask: () => Promise<T>, done: (answer: T) => boolean): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const answer = await ask();
    if (done(answer) || Date.now() > deadline) return answer;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

beforeAll(async () => {
  receiver = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received++;
      res.writeHead(receiverStatus).end();
    });
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

test('a plan the receiver turned away is RETRYING, with why, and listed as undelivered until it goes through', async () => {
  const refused = await eventually(latestPlan, (plan) => (plan?.deliveries[0]?.attempts ?? 0) >= 1);
  expect(refused).toMatchObject({ personId: 'person:erin', triggeredBy: 'hr-erin-left' });
  expect(refused!.deliveries).toEqual([
    { channel: 'webhook', status: 'RETRYING', attempts: 1, deliveredAt: null, nextAttemptAt: expect.any(String), lastError: 'webhook answered HTTP 503' },
  ]);
  expect(received).toBeGreaterThanOrEqual(1);

  const undelivered = await plans(', undelivered: true');
  expect(undelivered.totalCount).toBe(1);
  expect(undelivered.edges.map((edge) => [edge.node.personId, edge.node.deliveries.map((d) => d.status)])).toEqual([['person:erin', ['RETRYING']]]);

  receiverStatus = 200;
  const delivered = await eventually(latestPlan, (plan) => plan?.deliveries[0]?.status === 'DELIVERED');
  const [delivery] = delivered!.deliveries;
  expect(delivery).toEqual({ channel: 'webhook', status: 'DELIVERED', attempts: expect.any(Number), deliveredAt: expect.any(String), nextAttemptAt: null, lastError: null });
  expect(delivery!.attempts).toBeGreaterThanOrEqual(2);
  expect(Date.parse(delivery!.deliveredAt!)).not.toBeNaN();

  expect(await plans(', undelivered: true')).toEqual({ totalCount: 0, edges: [] });
  const every = await plans('');
  expect([every.totalCount, every.edges[0]?.node.deliveries[0]?.status]).toEqual([1, 'DELIVERED']);
});

test('undelivered must be a Boolean', async () => {
  const answer = await graphql(e2e.url, e2e.adminKey, '{ offboardingPlans(undelivered: "yes") { totalCount } }');
  expect(answer.body.data ?? null).toBeNull();
  expect(errorCode(answer)).toBe('GRAPHQL_VALIDATION_FAILED');
  expect(answer.body.errors?.[0]?.message).toMatch(/Boolean/);
});
