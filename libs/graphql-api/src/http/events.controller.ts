import { Controller, Post, Req, Res } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import type { AuthenticatedRequest } from '@lineage/auth';
import { Roles } from '@lineage/auth';
import { fromHttpBinary } from '@lineage/events';
import type { RawRecord, RecordOutcome } from '@lineage/pipeline';
import { IngestionPipeline } from '@lineage/pipeline';
import type { HttpErrorBody } from '@lineage/observability';
import { BodyTooLargeError, readBody, sendJson } from '@lineage/observability';
import type { ContentMode } from './cloudevents-http';
import { MAX_BATCH_EVENTS, bodyLimitOf, contentModeOf, forwardedHeaders } from './cloudevents-http';

const ORIGIN = 'http';

/** One entry of a batch answer. A native record that yields several events has several, with the same index. */
export interface BatchResult {
  readonly index: number;
  readonly status: RecordOutcome['status'];
  readonly id: string | null;
  readonly source: string | null;
  readonly type: string | null;
  readonly reason?: string;
  readonly field?: string | null;
}

/**
 * `POST /events` (automation or admin), per the CloudEvents HTTP binding. It reads the body
 * within the mode's limit, turns it into records and hands them to the ingestion pipeline,
 * which validates, dead-letters and applies them; it decides nothing about events itself.
 *  - structured / single: 202 `{ status, id, source }` when accepted or a duplicate; 400
 *    `{ error, reason, field }` when rejected (it is dead-lettered).
 *  - batch: 200 `{ results: [{ index, status, id, source, reason?, field? }], accepted, duplicates, rejected }`.
 *  - too large: 413; unknown content type: 415; store unavailable: 503 (nothing applied).
 */
@Controller('events')
export class EventsController {
  constructor(private readonly pipeline: IngestionPipeline) {}

  @Post()
  @Roles('automation')
  async post(@Req() request: AuthenticatedRequest, @Res() response: ServerResponse): Promise<void> {
    const encoding = request.headers['content-encoding'];
    if (encoding !== undefined && encoding.toLowerCase() !== 'identity') {
      request.resume();
      return fail(
        response,
        415,
        'content-encoding',
        `Content-Encoding ${encoding} is not supported; send the body uncompressed`,
      );
    }
    const mode = contentModeOf(request.headers);
    if (!mode) {
      request.resume();
      return fail(
        response,
        415,
        'content-type',
        'Content-Type must be application/cloudevents+json, application/cloudevents-batch+json or application/json, or the event attributes must travel as ce-* headers (binary mode)',
      );
    }

    let body: Buffer;
    try {
      body = await readBody(request, bodyLimitOf(mode));
    } catch (error) {
      if (error instanceof BodyTooLargeError) return fail(response, 413, 'body', `${mode} mode: ${error.message}`);
      throw error;
    }

    if (mode === 'batch') return this.postBatch(body, response);
    const record = this.singleRecord(mode, request, body);
    const outcomes = (await this.pipeline.ingest([record])).outcomes[0] ?? [];
    const rejected = outcomes.find((outcome) => outcome.status === 'rejected');
    if (rejected && rejected.status === 'rejected') return fail(response, 400, rejected.field, rejected.reason);
    const first = outcomes[0];
    if (!first || first.status === 'rejected') throw new Error('the pipeline returned no outcome for the event');
    // A native record may carry several events; the first one answers, the rest are listed.
    sendJson(response, 202, {
      status: first.status,
      id: first.id,
      source: first.source,
      ...(outcomes.length > 1
        ? { events: outcomes.map(({ status, id, source, type }) => ({ status, id, source, type })) }
        : {}),
    });
  }

  private singleRecord(
    mode: Exclude<ContentMode, 'batch'>,
    request: AuthenticatedRequest,
    body: Buffer,
  ): RawRecord {
    if (mode === 'structured') return { bytes: body, origin: ORIGIN, headers: forwardedHeaders(request.headers) };
    const decoded = fromHttpBinary(request.headers, body);
    if (!decoded.ok) {
      // The headers themselves are unusable: the pipeline dead-letters the body with this reason.
      return { bytes: body, origin: ORIGIN, rejection: { reason: decoded.reason, field: decoded.field } };
    }
    return { bytes: Buffer.from(JSON.stringify(decoded.value)), value: decoded.value, origin: ORIGIN };
  }

  private async postBatch(body: Buffer, response: ServerResponse): Promise<void> {
    let parsed: unknown;
    try {
      // Not `parseJson`: that one bounds a single event, and a batch is larger.
      parsed = JSON.parse(body.toString('utf8').replace(/^\uFEFF/, '')) as unknown;
    } catch {
      // Not JSON at all: one record, so the pipeline dead-letters the bytes with its own reason.
      const outcome = (await this.pipeline.ingest([{ bytes: body, origin: ORIGIN }])).outcomes[0]?.[0];
      return fail(
        response,
        400,
        'body',
        outcome?.status === 'rejected' ? outcome.reason : 'the batch is not valid JSON',
      );
    }
    if (!Array.isArray(parsed)) {
      const reason = 'a batch (application/cloudevents-batch+json) must be a JSON array of events';
      // Kept like any bad input: dead-lettered with its bytes.
      await this.pipeline.ingest([{ bytes: body, origin: ORIGIN, rejection: { reason, field: 'body' } }]);
      return fail(response, 400, 'body', reason);
    }
    const items: unknown[] = parsed;
    if (items.length > MAX_BATCH_EVENTS)
      return fail(
        response,
        413,
        'body',
        `a batch holds at most ${MAX_BATCH_EVENTS} events; this one has ${items.length}`,
      );

    // Each element keeps its own bytes, so a rejected one is dead-lettered as itself.
    const records: RawRecord[] = items.map((value) => ({
      bytes: Buffer.from(JSON.stringify(value) ?? 'null'),
      value,
      origin: ORIGIN,
    }));
    const { outcomes } = await this.pipeline.ingest(records);
    const results: BatchResult[] = outcomes.flatMap((recordOutcomes, index) =>
      recordOutcomes.map((outcome) => batchResult(index, outcome)),
    );
    const count = (status: RecordOutcome['status']) => results.filter((result) => result.status === status).length;
    sendJson(response, 200, {
      results,
      accepted: count('accepted'),
      duplicates: count('duplicate'),
      rejected: count('rejected'),
    });
  }
}

function batchResult(index: number, outcome: RecordOutcome): BatchResult {
  if (outcome.status === 'rejected') {
    return {
      index,
      status: outcome.status,
      id: outcome.id,
      source: outcome.source,
      type: outcome.type,
      reason: outcome.reason,
      field: outcome.field,
    };
  }
  return { index, status: outcome.status, id: outcome.id, source: outcome.source, type: outcome.type };
}

function fail(response: ServerResponse, status: number, field: string | null, reason: string): void {
  const body: HttpErrorBody = {
    error: status === 400 ? 'BAD_USER_INPUT' : status === 413 ? 'PAYLOAD_TOO_LARGE' : 'UNSUPPORTED_MEDIA_TYPE',
    reason,
    field,
  };
  sendJson(response, status, body);
}
