import type { E2eApp } from './support/e2e-app';
import { dataOf, errorCode, graphql } from './support/e2e-app';
import type { ServerWithLeaver } from './support/webhook-receiver';
import { eventually, serverWithLeaver } from './support/webhook-receiver';

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
let server: ServerWithLeaver;
let e2e: E2eApp;

const data = async <T>(query: string) => dataOf<T>(await graphql(e2e.url, e2e.adminKey, query));
const latestPlan = async () => (await data<{ offboardingPlan: Plan | null }>(`{ offboardingPlan(personId: "person:erin") { ${PLAN_FIELDS} } }`)).offboardingPlan;
const plans = async (filter: string) =>
  (await data<Plans>(`{ offboardingPlans(first: 10${filter}) { totalCount edges { node { ${PLAN_FIELDS} } } } }`)).offboardingPlans;

beforeAll(async () => {
  server = await serverWithLeaver(() => receiverStatus, HR, 'erin');
  e2e = server.e2e;
});

afterAll(async () => server?.close());

test('a plan the receiver turned away is RETRYING, with why, and listed as undelivered until it goes through', async () => {
  const refused = await eventually(latestPlan, (plan) => (plan?.deliveries[0]?.attempts ?? 0) >= 1);
  expect(refused).toMatchObject({ personId: 'person:erin', triggeredBy: 'hr-erin-left' });
  expect(refused!.deliveries).toEqual([
    { channel: 'webhook', status: 'RETRYING', attempts: 1, deliveredAt: null, nextAttemptAt: expect.any(String), lastError: 'webhook answered HTTP 503' },
  ]);
  expect(server.receiver.received()).toBeGreaterThanOrEqual(1);

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
