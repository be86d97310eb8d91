import { createHmac } from 'node:crypto';
import type { OffboardingPlannedEvent, PlanChannel } from './plan-channel';
import { PlanRefused } from './plan-channel';

/** The channel's name in the outbox. */
export const WEBHOOK_CHANNEL_NAME = 'webhook';

/** The header that carries the body's signature: `sha256=<hex HMAC-SHA256 of the exact body>`. */
export const SIGNATURE_HEADER = 'X-Lineage-Signature';
/** CloudEvents HTTP binding, structured content mode: the body is the whole event as JSON. */
export const WEBHOOK_CONTENT_TYPE = 'application/cloudevents+json; charset=utf-8';
export const DEFAULT_WEBHOOK_TIMEOUT_MS = 10_000;

/** `sha256=<hex>`: HMAC-SHA256 of the exact bytes sent, keyed with the shared secret. */
export function webhookSignature(body: string | Buffer, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export interface WebhookOptions {
  /** `LINEAGE_WEBHOOK_URL`. Never logged or put in an error: it may carry credentials. */
  readonly url: string;
  /** `LINEAGE_WEBHOOK_SECRET`. Never logged or stored. */
  readonly secret: string;
  readonly timeoutMs?: number;
}

/**
 * Answers that refuse the request itself (malformed, too large, unprocessable), not the receiver
 * being unavailable or the channel misconfigured (401, 403, 404 would refuse every plan alike).
 */
const PLAN_REFUSED_STATUSES: ReadonlySet<number> = new Set([400, 413, 422]);

export class WebhookDeliveryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookDeliveryError';
  }
}

/**
 * Delivers plans by POSTing the CloudEvent JSON to a URL, signed (SIGNATURE_HEADER). A 2xx answer
 * is a delivery; anything else — another status, a redirect, no answer within the timeout, a
 * network error — throws, and the outbox tries again later. 400, 413 and 422 refuse this plan
 * (`PlanRefused`): the receiver is up, and the channel's other plans go on.
 */
export class WebhookPlanChannel implements PlanChannel {
  readonly name = WEBHOOK_CHANNEL_NAME;
  private readonly url: string;
  /** `user:password@` in the URL becomes Basic authentication (fetch refuses URLs that carry credentials). */
  private readonly authorization: string | null;
  private readonly timeoutMs: number;

  constructor(private readonly options: WebhookOptions) {
    let url: URL;
    try {
      url = new URL(options.url);
    } catch {
      throw new Error('LINEAGE_WEBHOOK_URL: is not a URL');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new Error('LINEAGE_WEBHOOK_URL: must be an http or https URL');
    if (options.secret.length === 0) throw new Error('LINEAGE_WEBHOOK_SECRET: must not be empty');
    this.authorization =
      url.username || url.password
        ? `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`
        : null;
    url.username = '';
    url.password = '';
    this.url = url.toString();
    this.timeoutMs = options.timeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS;
  }

  async deliver(event: OffboardingPlannedEvent): Promise<void> {
    const body = JSON.stringify(event);
    let response: Response;
    try {
      response = await fetch(this.url, {
        method: 'POST',
        headers: {
          'content-type': WEBHOOK_CONTENT_TYPE,
          [SIGNATURE_HEADER]: webhookSignature(body, this.options.secret),
          'user-agent': 'nhi-lineage',
          ...(this.authorization ? { authorization: this.authorization } : {}),
        },
        body,
        // A redirect is not a delivery: following it would re-send the plan somewhere unconfigured.
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new WebhookDeliveryError(`webhook not reached: ${this.describe(error)}`);
    }
    // Read the answer to its end so the connection can be reused; its content is not used.
    await response.arrayBuffer().catch(() => undefined);
    if (PLAN_REFUSED_STATUSES.has(response.status)) throw new PlanRefused(`webhook answered HTTP ${response.status}`);
    if (response.status < 200 || response.status > 299)
      throw new WebhookDeliveryError(`webhook answered HTTP ${response.status}`);
  }

  /** What went wrong, without the URL (it may hold credentials). Errors may come from another realm: no instanceof. */
  private describe(error: unknown): string {
    const name = property(error, 'name');
    if (name === 'TimeoutError' || name === 'AbortError') return `no answer within ${this.timeoutMs} ms`;
    const cause = error !== null && typeof error === 'object' && 'cause' in error ? error.cause : undefined;
    return property(cause, 'code') ?? name ?? 'unknown error';
  }
}

function property(value: unknown, key: 'name' | 'code'): string | null {
  if (value === null || typeof value !== 'object' || !(key in value)) return null;
  const found = (value as Record<string, unknown>)[key];
  return typeof found === 'string' ? found : null;
}
