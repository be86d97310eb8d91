import { createHmac } from 'node:crypto';
import type { IncomingHttpHeaders, Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { OffboardingPlan } from '@lineage/domain';
import { toPlannedEvent } from './offboarding-planned-event';
import { PlanRefused } from './plan-channel';
import { WebhookPlanChannel } from './webhook-plan-channel';

const SECRET = 'a-shared-webhook-secret-of-some-length';

interface Received {
  readonly method: string | undefined;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** A real receiver on 127.0.0.1: records each request and answers with the next scripted status. */
async function receiver(statuses: number[]): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ method: req.method, headers: req.headers, body: Buffer.concat(chunks) });
      const status = statuses.shift() ?? 200;
      res.writeHead(status, status === 302 ? { location: 'http://127.0.0.1:1/elsewhere' } : {});
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/offboarding`, received, server };
}

const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

const plan: OffboardingPlan = {
  subjectId: 'person:e1001',
  subjectKind: 'Person',
  triggeredBy: 'evt-left-1',
  triggerSource: 'hr/workday',
  triggerType: 'hr.person.left',
  effectiveAt: Date.parse('2025-06-01T00:00:00Z'),
  createdAt: Date.parse('2025-06-01T00:00:01Z'),
  actions: [
    { targetId: 'nhi:svc', action: 'REASSIGN', reason: 'r', suggestedOwnerId: 'person:boss', evidence: ['evt-left-1'] },
  ],
  supersededAt: null,
};

describe('WebhookPlanChannel', () => {
  it('POSTs the CloudEvent JSON with an HMAC-SHA256 signature of the exact body', async () => {
    const { url, received, server } = await receiver([204]);
    try {
      await new WebhookPlanChannel({ url, secret: SECRET }).deliver(toPlannedEvent(plan));
      expect(received).toHaveLength(1);
      const [request] = received;
      expect(request!.method).toBe('POST');
      expect(request!.headers['content-type']).toBe('application/cloudevents+json; charset=utf-8');
      const expected = `sha256=${createHmac('sha256', SECRET).update(request!.body).digest('hex')}`;
      expect(request!.headers['x-lineage-signature']).toBe(expected);
      const event = JSON.parse(request!.body.toString('utf8')) as Record<string, unknown>;
      expect(event).toMatchObject({
        specversion: '1.0',
        type: 'lineage.offboarding.planned',
        source: 'nhi-lineage',
        subject: 'person:e1001',
        time: '2025-06-01T00:00:01.000Z',
        data: plan,
      });
      // The id is derived from the trigger: the same plan always carries the same id.
      expect(event['id']).toBe(toPlannedEvent({ ...plan, createdAt: 0, actions: [] }).id);
      expect(event['id']).not.toBe(toPlannedEvent({ ...plan, triggeredBy: 'evt-left-2' }).id);
    } finally {
      await close(server);
    }
  });

  it.each([
    [503, 'webhook answered HTTP 503', false],
    [401, 'webhook answered HTTP 401', false],
    [400, 'webhook answered HTTP 400', true],
    [413, 'webhook answered HTTP 413', true],
    [302, 'webhook answered HTTP 302', false],
  ])('a %i answer is a failure (refusing this plan alone: %s)', async (status, message, refused) => {
    const { url, received, server } = await receiver([status]);
    try {
      const delivery = new WebhookPlanChannel({ url, secret: SECRET }).deliver(toPlannedEvent(plan));
      await expect(delivery).rejects.toThrow(message);
      // A refusal of the request itself lets the channel's other plans go on; any other failure holds them.
      expect(await delivery.catch((error: unknown) => error instanceof PlanRefused)).toBe(refused);
      // The redirect is not followed.
      expect(received).toHaveLength(1);
    } finally {
      await close(server);
    }
  });

  it('a receiver that is not there is a failure that names the network error, not the URL', async () => {
    const { url, server } = await receiver([]);
    await close(server);
    const failure = new WebhookPlanChannel({
      url: url.replace('127.0.0.1', 'user:pw@127.0.0.1'),
      secret: SECRET,
    }).deliver(toPlannedEvent(plan));
    await expect(failure).rejects.toThrow('webhook not reached: ECONNREFUSED');
    await expect(failure).rejects.not.toThrow('pw@');
  });

  it('turns credentials in the URL into Basic authentication (fetch will not send them in a URL)', async () => {
    const { url, received, server } = await receiver([200]);
    try {
      await new WebhookPlanChannel({
        url: url.replace('127.0.0.1', 'hook%20user:p%40ss@127.0.0.1'),
        secret: SECRET,
      }).deliver(toPlannedEvent(plan));
      expect(received[0]!.headers['authorization']).toBe(`Basic ${Buffer.from('hook user:p@ss').toString('base64')}`);
    } finally {
      await close(server);
    }
  });

  it('refuses a configuration it cannot use, naming the variable', () => {
    expect(() => new WebhookPlanChannel({ url: 'not a url', secret: SECRET })).toThrow(
      'LINEAGE_WEBHOOK_URL: is not a URL',
    );
    expect(() => new WebhookPlanChannel({ url: 'ftp://example.com/x', secret: SECRET })).toThrow(
      'LINEAGE_WEBHOOK_URL: must be an http or https URL',
    );
    expect(() => new WebhookPlanChannel({ url: 'https://example.com/x', secret: '' })).toThrow(
      'LINEAGE_WEBHOOK_SECRET: must not be empty',
    );
  });
});
