import type { IncomingHttpHeaders } from 'node:http';
import { MAX_EVENT_BYTES } from '@lineage/events';

/**
 * The CloudEvents HTTP binding's three content modes, told apart by the request's headers:
 * binary (the attributes in `ce-*` headers, the body is `data`), batch
 * (`application/cloudevents-batch+json`: a JSON array of events) and structured
 * (`application/cloudevents+json`; plain `application/json` too, which is also how native
 * webhooks such as GitHub's arrive).
 */
export type ContentMode = 'binary' | 'batch' | 'structured';

/** A batch is a list of events, each at most MAX_EVENT_BYTES; 10 MiB bounds the list. */
export const MAX_BATCH_BYTES = 10 * 1024 * 1024;
export const MAX_BATCH_EVENTS = 10_000;
export { MAX_EVENT_BYTES };

/** Headers a native decoder reads beside a webhook body. Others (Authorization, X-Gitlab-Token…) never reach the pipeline. */
const FORWARDED_HEADERS = [
  'x-github-event',
  'x-github-delivery',
  'x-github-hook-installation-target-id',
  'x-github-hook-installation-target-type',
  'x-gitlab-event',
  'x-gitlab-event-uuid',
  'idempotency-key',
  'date',
] as const;

function mediaType(headers: IncomingHttpHeaders): string {
  return (headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

/** The content mode of a request, or null when its Content-Type is none the binding allows. */
export function contentModeOf(headers: IncomingHttpHeaders): ContentMode | null {
  if (headers['ce-specversion'] !== undefined) return 'binary';
  const type = mediaType(headers);
  if (type === 'application/cloudevents-batch+json') return 'batch';
  if (type === 'application/cloudevents+json' || type === 'application/json') return 'structured';
  return null;
}

export function bodyLimitOf(mode: ContentMode): number {
  return mode === 'batch' ? MAX_BATCH_BYTES : MAX_EVENT_BYTES;
}

export function forwardedHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const forwarded: Record<string, string> = {};
  for (const name of FORWARDED_HEADERS) {
    const value = headers[name];
    if (typeof value === 'string') forwarded[name] = value;
  }
  return forwarded;
}
