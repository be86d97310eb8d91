import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingHttpHeaders, Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { Global, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { GraphStore } from '@lineage/domain';
import { GRAPH_STORE } from '@lineage/domain';
import { LineageConfig, validateConfig } from '@lineage/config';
import type { OffboardingOptions, PlanPublished } from '@lineage/offboarding';
import {
  DEFAULT_DELIVERY_POLICY,
  OFFBOARDING_OPTIONS,
  OffboardingModule,
  OffboardingService,
  PLAN_FOLLOW_UP,
  PlanDeliveryWorker,
  offboardingFollowUps,
  offboardingTriggerOf,
  plannedEventId,
} from '@lineage/offboarding';
import { MetricsService, ObservabilityModule } from '@lineage/observability';
import type { RawRecord } from '@lineage/pipeline';
import { IngestionPipeline, PipelineModule } from '@lineage/pipeline';

/**
 * Offboarding end to end in-process: the real Nest modules (config, pipeline on an embedded
 * store, offboarding), CloudEvents through the real pipeline, and a real HTTP server on
 * 127.0.0.1 as the webhook receiver. Time is a test clock: the delivery loop's timer is set far
 * out, so every delivery run here is one the test asks for (as the timer would).
 */

const SECRET = 'integration-webhook-secret-0123456789';
const START = Date.parse('2025-06-01T12:00:00Z');

interface Request {
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  readonly status: number;
}

/** The webhook receiver: answers every request with `status`, records what it got. */
class Receiver {
  status = 200;
  readonly requests: Request[] = [];
  private server: Server | null = null;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        this.requests.push({ headers: req.headers, body: Buffer.concat(chunks), status: this.status });
        res.writeHead(this.status).end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/offboarding`;
  }

  get delivered(): Request[] {
    return this.requests.filter((r) => r.status >= 200 && r.status < 300);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

interface Harness {
  readonly app: INestApplicationContext;
  readonly pipeline: IngestionPipeline;
  readonly store: GraphStore;
  readonly service: OffboardingService;
  readonly worker: PlanDeliveryWorker;
  readonly published: PlanPublished[];
  /** The lines of `/metrics` that are offboarding's series (comments left out). */
  offboardingMetrics(): Promise<string[]>;
  /** The test clock: advance it to make a retry due. */
  now: number;
}

async function boot(webhookUrl: string): Promise<Harness> {
  const harness = { now: START } as Harness;
  const config = validateConfig({
    LINEAGE_DATA_DIR: ':memory:',
    LINEAGE_WEBHOOK_URL: webhookUrl,
    LINEAGE_WEBHOOK_SECRET: SECRET,
  });
  const options: OffboardingOptions = {
    delivery: { ...DEFAULT_DELIVERY_POLICY, pollIntervalMs: 24 * 3_600_000 },
    webhookTimeoutMs: 10_000,
    clock: () => harness.now,
  };

  @Global()
  @Module({
    providers: [
      { provide: LineageConfig, useValue: config },
      { provide: OFFBOARDING_OPTIONS, useValue: options },
    ],
    exports: [LineageConfig, OFFBOARDING_OPTIONS],
  })
  class TestSettingsModule {}

  @Module({ imports: [TestSettingsModule, PipelineModule, ObservabilityModule, OffboardingModule] })
  class TestAppModule {}

  const app = await NestFactory.createApplicationContext(TestAppModule, { logger: false });
  const published: PlanPublished[] = [];
  const service = app.get(OffboardingService);
  service.onPublished((p) => published.push(p));
  return Object.assign(harness, {
    app,
    pipeline: app.get(IngestionPipeline),
    store: app.get<GraphStore>(GRAPH_STORE),
    service,
    worker: app.get(PlanDeliveryWorker),
    published,
    offboardingMetrics: async () =>
      (await app.get(MetricsService).render()).split('\n').filter((line) => line.startsWith('lineage_offboarding_') && !/_bucket\{/.test(line)),
  });
}

let counter = 0;
function cloudEvent(type: string, time: string, data: Record<string, unknown>, id = `evt-${++counter}`): RawRecord {
  const event = { specversion: '1.0', id, source: 'hr/workday/test', type, time, data };
  return { bytes: Buffer.from(JSON.stringify(event), 'utf8'), origin: 'test' };
}

/** A small company: Bob manages Alice; Alice created a bot that ran recently. */
const company = (): RawRecord[] => [
  cloudEvent('hr.person.joined', '2025-01-02T09:00:00Z', { personId: 'person:bob', email: 'bob@example.com' }),
  cloudEvent('hr.person.joined', '2025-01-03T09:00:00Z', {
    personId: 'person:alice',
    email: 'alice@example.com',
    managerId: 'person:bob',
  }),
  cloudEvent('iam.nhi.created', '2025-02-01T10:00:00Z', {
    nhiId: 'nhi:alice-bot',
    kind: 'bot',
    createdBy: 'person:alice',
  }),
  cloudEvent('audit.credential.used', '2025-05-28T10:00:00Z', { nhiId: 'nhi:alice-bot', action: 'deploy' }),
];
const aliceLeft = () =>
  cloudEvent(
    'hr.person.left',
    '2025-06-01T11:00:00Z',
    { personId: 'person:alice', reason: 'resigned' },
    'evt-alice-left',
  );

function hmac(body: Buffer): string {
  return `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
}

describe('offboarding: leaver events become stored, signed, delivered plans', () => {
  const receiver = new Receiver();
  let h: Harness;

  beforeEach(async () => {
    receiver.status = 200;
    receiver.requests.length = 0;
    await receiver.start();
    h = await boot(receiver.url);
  });
  afterEach(async () => {
    await h.app.close();
    await receiver.stop();
  });

  it('a leaver event: exactly one plan stored and one signed webhook delivered', async () => {
    await h.pipeline.ingest([...company(), aliceLeft()]);
    await h.service.deliveriesSettled();

    const plans = await h.store.listPlans({ first: 10 });
    expect(plans.totalCount).toBe(1);
    const plan = plans.items[0]!;
    expect(plan).toMatchObject({
      subjectId: 'person:alice',
      subjectKind: 'Person',
      triggeredBy: 'evt-alice-left',
      triggerType: 'hr.person.left',
      supersededAt: null,
    });
    expect(plan.effectiveAt).toBe(Date.parse('2025-06-01T11:00:00Z'));
    expect(plan.actions.map((a) => [a.action, a.targetId, a.suggestedOwnerId])).toEqual([
      ['REASSIGN', 'nhi:alice-bot', 'person:bob'],
    ]);

    expect(receiver.requests).toHaveLength(1);
    const [request] = receiver.requests;
    expect(request!.headers['x-lineage-signature']).toBe(hmac(request!.body));
    const event = JSON.parse(request!.body.toString('utf8')) as {
      id: string;
      type: string;
      subject: string;
      data: unknown;
    };
    expect(event).toMatchObject({
      id: plannedEventId(plan),
      type: 'lineage.offboarding.planned',
      subject: 'person:alice',
      data: plan,
    });

    expect(await h.store.pendingDeliveries('webhook', START + 365 * 86_400_000, 10)).toEqual([]);
    expect(h.published.map((p) => [p.channel, p.plan.triggeredBy, p.attempts, p.publishedAt])).toEqual([
      ['webhook', 'evt-alice-left', 1, START],
    ]);
  });

  it('the receiver down at first: retried when due, and delivered once', async () => {
    receiver.status = 503;
    await h.pipeline.ingest([...company(), aliceLeft()]);
    await h.service.deliveriesSettled();
    expect(receiver.requests.map((r) => r.status)).toEqual([503]);
    expect(
      (await h.store.pendingDeliveries('webhook', START + 3_600_000, 10)).map((d) => [d.plan.triggeredBy, d.attempts]),
    ).toEqual([['evt-alice-left', 1]]);
    expect(h.published).toEqual([]);
    // What an operator sees: the plan stored, its delivery failed and waiting for its retry.
    expect(await h.offboardingMetrics()).toEqual([
      'lineage_offboarding_plans_total{subject_kind="Person"} 1',
      'lineage_offboarding_plan_seconds_sum 0',
      'lineage_offboarding_plan_seconds_count 1',
      'lineage_offboarding_deliveries_total{channel="webhook",outcome="failed"} 1',
      'lineage_offboarding_deliveries_pending{channel="webhook"} 1',
      'lineage_offboarding_deliveries_retrying{channel="webhook"} 1',
      'lineage_offboarding_oldest_pending_seconds{channel="webhook"} 0',
    ]);

    // Before the retry is due, a tick of the loop sends nothing.
    await h.worker.kick();
    expect(receiver.requests).toHaveLength(1);

    receiver.status = 200;
    h.now = START + 3_600_000;
    await h.worker.kick();
    expect(receiver.requests.map((r) => r.status)).toEqual([503, 200]);
    expect(receiver.delivered).toHaveLength(1);
    // The same bytes were signed and sent both times: the plan did not change between attempts.
    expect(receiver.requests[1]!.body.equals(receiver.requests[0]!.body)).toBe(true);
    expect(h.published.map((p) => [p.attempts, p.publishedAt])).toEqual([[2, START + 3_600_000]]);
    // Delivered an hour after the plan was stored; nothing waits any more.
    expect(await h.offboardingMetrics()).toEqual([
      'lineage_offboarding_plans_total{subject_kind="Person"} 1',
      'lineage_offboarding_plan_seconds_sum 0',
      'lineage_offboarding_plan_seconds_count 1',
      'lineage_offboarding_deliveries_total{channel="webhook",outcome="failed"} 1',
      'lineage_offboarding_deliveries_total{channel="webhook",outcome="delivered"} 1',
      'lineage_offboarding_delivery_seconds_sum{channel="webhook"} 3600',
      'lineage_offboarding_delivery_seconds_count{channel="webhook"} 1',
      'lineage_offboarding_deliveries_pending{channel="webhook"} 0',
      'lineage_offboarding_deliveries_retrying{channel="webhook"} 0',
      'lineage_offboarding_oldest_pending_seconds{channel="webhook"} 0',
    ]);

    await h.worker.kick();
    expect(receiver.requests).toHaveLength(2);
    expect((await h.store.listPlans({ first: 10 })).totalCount).toBe(1);
  });

  it('the same leaver event redelivered: no second plan, nothing published twice', async () => {
    await h.pipeline.ingest([...company(), aliceLeft()]);
    await h.service.deliveriesSettled();

    const again = await h.pipeline.ingest([aliceLeft()]);
    expect(again.outcomes.flat().map((o) => o.status)).toEqual(['duplicate']);
    // Even if another replica planned the same trigger again, the trigger has its plan.
    const decoded = h.pipeline.decode(aliceLeft()).events[0]!.event;
    expect(await h.service.plan(offboardingTriggerOf(decoded)!)).toBeNull();
    await h.service.onCommitted();
    await h.service.deliveriesSettled();

    expect((await h.store.listPlans({ first: 10 })).totalCount).toBe(1);
    expect(receiver.requests).toHaveLength(1);
    expect(h.published).toHaveLength(1);
  });

  it('a crash between the commit and the plan loses nothing: start-up makes the plan', async () => {
    // The leaver event commits with its follow-up, and the process dies before planning:
    // a pipeline that records follow-ups but has no offboarding listener behind it.
    const crashed = new IngestionPipeline(h.store);
    crashed.addFollowUps(offboardingFollowUps);
    await crashed.ingest([...company(), aliceLeft()]);
    expect((await h.store.listPlans({ first: 10 })).totalCount).toBe(0);
    expect(await h.store.pendingFollowUps(PLAN_FOLLOW_UP, 10)).toHaveLength(1);

    // What start-up does.
    await h.service.onApplicationBootstrap();
    await h.service.deliveriesSettled();
    expect((await h.store.listPlans({ first: 10 })).items.map((p) => p.subjectId)).toEqual(['person:alice']);
    expect(receiver.requests).toHaveLength(1);
    expect(await h.store.pendingFollowUps(PLAN_FOLLOW_UP, 10)).toEqual([]);

    // And again: nothing more to do.
    await h.service.onApplicationBootstrap();
    await h.service.deliveriesSettled();
    expect(receiver.requests).toHaveLength(1);
  });

  it('a follow-up whose plan cannot be stored stays pending while the others are done; the next run plans it', async () => {
    const bobLeft = cloudEvent('hr.person.left', '2025-06-01T11:30:00Z', { personId: 'person:bob', reason: 'resigned' }, 'evt-bob-left');
    // The store refuses the first plan (Alice's, the first leaver), once.
    jest.spyOn(h.store, 'savePlan').mockRejectedValueOnce(new Error('disk I/O error'));
    await h.pipeline.ingest([...company(), aliceLeft(), bobLeft]);
    await h.service.deliveriesSettled();
    expect((await h.store.listPlans({ first: 10 })).items.map((p) => p.subjectId)).toEqual(['person:bob']);
    const pending = await h.store.pendingFollowUps(PLAN_FOLLOW_UP, 10);
    expect(pending.map((f) => (JSON.parse(f.payload) as { subjectId: string }).subjectId)).toEqual(['person:alice']);

    await h.service.onCommitted();
    await h.service.deliveriesSettled();
    expect((await h.store.listPlans({ first: 10 })).items.map((p) => p.subjectId).sort()).toEqual(['person:alice', 'person:bob']);
    expect(await h.store.pendingFollowUps(PLAN_FOLLOW_UP, 10)).toEqual([]);
  });

  it('a person who joins again supersedes the open plan; other plans stand', async () => {
    await h.pipeline.ingest([
      ...company(),
      cloudEvent('hr.person.joined', '2025-01-04T09:00:00Z', {
        personId: 'person:carol',
        email: 'carol@example.com',
        managerId: 'person:bob',
      }),
      aliceLeft(),
      cloudEvent('hr.person.left', '2025-06-01T11:30:00Z', { personId: 'person:carol' }, 'evt-carol-left'),
    ]);
    await h.pipeline.ingest([
      cloudEvent('hr.person.joined', '2025-09-01T09:00:00Z', {
        personId: 'person:alice',
        email: 'alice@example.com',
        managerId: 'person:bob',
      }),
    ]);

    expect((await h.store.latestPlan('person:alice'))?.supersededAt).toBe(Date.parse('2025-09-01T09:00:00Z'));
    expect((await h.store.latestPlan('person:carol'))?.supersededAt).toBeNull();
  });

  it('a leave and a rejoin in one batch end with the plan superseded, whatever their order in it', async () => {
    await h.pipeline.ingest(company());
    await h.pipeline.ingest([
      cloudEvent('hr.person.joined', '2025-09-01T09:00:00Z', {
        personId: 'person:alice',
        email: 'alice@example.com',
        managerId: 'person:bob',
      }),
      aliceLeft(),
    ]);
    const plan = await h.store.latestPlan('person:alice');
    expect(plan?.triggeredBy).toBe('evt-alice-left');
    expect(plan?.supersededAt).toBe(Date.parse('2025-09-01T09:00:00Z'));
    // The plan was made as of the leaving time, not from the rejoined person's current state.
    expect(plan?.actions.map((a) => [a.action, a.targetId])).toEqual([['REASSIGN', 'nhi:alice-bot']]);
  });

  it('the canonical fixtures: one plan and one delivery per leaver and per ended vendor, nothing for other events', async () => {
    const fixtures = join(__dirname, '..', 'fixtures', 'canonical');
    const records = ['hr', 'vendor', 'iam', 'workload', 'ci', 'audit'].flatMap((file) =>
      readFileSync(join(fixtures, `${file}.ndjson`), 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line, i): RawRecord => ({ bytes: Buffer.from(line, 'utf8'), origin: `file:${file}.ndjson:${i + 1}` })),
    );
    await h.pipeline.ingest(records);
    await h.service.deliveriesSettled();

    const plans = (await h.store.listPlans({ first: 10 })).items;
    expect(plans.map((p) => [p.triggeredBy, p.subjectId, p.subjectKind]).sort()).toEqual([
      ['hr-left-1', 'person:e1001', 'Person'],
      ['hr-left-now', 'person:e1002', 'Person'],
      ['vendor-ended-1', 'vendor:acme-scanner', 'Vendor'],
    ]);
    // data.leftAt decides the leaving time, not the event time.
    expect(plans.find((p) => p.triggeredBy === 'hr-left-1')?.effectiveAt).toBe(Date.parse('2024-06-28T17:00:00+02:00'));
    const delivered = receiver.delivered.map((r) => (JSON.parse(r.body.toString('utf8')) as { id: string }).id).sort();
    expect(delivered).toEqual(plans.map((p) => plannedEventId(p)).sort());
    for (const request of receiver.delivered) expect(request.headers['x-lineage-signature']).toBe(hmac(request.body));
  });
});
