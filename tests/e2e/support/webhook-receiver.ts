import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { E2eApp } from './e2e-app';
import { postEvent, startE2eApp } from './e2e-app';

/** A local webhook receiver for offboarding plans: it answers every request with `status()`. */
export interface WebhookReceiver {
  /** The server settings that point its webhook here. */
  readonly env: Record<string, string>;
  /** Requests received so far. */
  received(): number;
  close(): Promise<void>;
}

export async function startWebhookReceiver(status: () => number): Promise<WebhookReceiver> {
  let received = 0;
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received++;
      res.writeHead(status()).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/offboarding`;
  return {
    env: { LINEAGE_WEBHOOK_URL: url, LINEAGE_WEBHOOK_SECRET: 'e2e-webhook-secret-0123456789abcdef' },
    received: () => received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** `person:<name>` joins, then leaves (event `hr-<name>-left`, the plan's trigger), as the HR source `source` says. */
export function joinedThenLeft(source: string, name: string): object[] {
  const personId = `person:${name}`;
  return [
    { specversion: '1.0', id: `hr-${name}`, source, type: 'hr.person.joined', time: '2024-01-02T09:00:00Z', data: { personId, email: `${name}@acme.example` } },
    { specversion: '1.0', id: `hr-${name}-left`, source, type: 'hr.person.left', time: '2024-06-01T17:00:00Z', data: { personId } },
  ];
}

/** The real server, its webhook pointed at a receiver answering `status()`, once `person:<name>` joined and left. */
export interface ServerWithLeaver {
  readonly e2e: E2eApp;
  readonly receiver: WebhookReceiver;
  close(): Promise<void>;
}

export async function serverWithLeaver(status: () => number, source: string, name: string): Promise<ServerWithLeaver> {
  const receiver = await startWebhookReceiver(status);
  const e2e = await startE2eApp({ env: receiver.env });
  for (const event of joinedThenLeft(source, name)) {
    const answer = await postEvent(e2e.url, e2e.adminKey, event);
    if (answer.status !== 202) throw new Error(`POST /events answered ${answer.status}`);
  }
  return {
    e2e,
    receiver,
    async close() {
      await e2e.close();
      await receiver.close();
    },
  };
}

/** Asks until `done` holds of the answer (the delivery loop runs on its own timer), for at most 15 s. */
export async function eventually<T>(ask: () => Promise<T>, done: (answer: T) => boolean, everyMs = 100): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const answer = await ask();
    if (done(answer) || Date.now() > deadline) return answer;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
