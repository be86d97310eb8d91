import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EpochMs } from '@lineage/domain';
import { DomainError } from '@lineage/domain';
import type { RawRecord, RecordOutcome, RecordRejection } from '@lineage/pipeline';
import { IngestionPipeline, StoreUnavailableError } from '@lineage/pipeline';
import { Clock } from './clock';

/** The CloudEvents `source` of every event the product writes about itself. */
export const PRODUCT_EVENT_SOURCE = 'nhi-lineage/api';

/** The event types the product writes: its keys' lifecycle and owners assigned by an admin. */
export type ProductEventType = 'iam.nhi.created' | 'iam.nhi.deleted' | 'iam.owner.assigned';

/** An event built and validated, not written yet. */
export interface PreparedEvent {
  readonly id: string;
  readonly time: EpochMs;
  readonly record: RawRecord;
}

/**
 * Writes the events the product authors itself (an API key created or revoked, an owner
 * assigned through the API) through the same ingestion pipeline as every other source, so they
 * are validated, deduplicated and timelined like any other event (source `nhi-lineage/api`,
 * a fresh UUID as id, the current time as event time).
 */
@Injectable()
export class ProductEventWriter {
  constructor(
    private readonly pipeline: IngestionPipeline,
    private readonly clock: Clock,
  ) {}

  /** Build the event and validate it without touching the store; BAD_USER_INPUT when invalid. */
  prepare(type: ProductEventType, subject: string, data: Readonly<Record<string, unknown>>): PreparedEvent {
    const time = this.clock.now();
    const event = {
      specversion: '1.0',
      id: randomUUID(),
      source: PRODUCT_EVENT_SOURCE,
      type,
      time: new Date(time).toISOString(),
      subject,
      data,
    };
    const record: RawRecord = { bytes: Buffer.from(JSON.stringify(event)), value: event, origin: 'api' };
    const decoded = this.pipeline.decode(record);
    if (decoded.rejected) throw asBadInput(decoded.rejected);
    return { id: event.id, time, record };
  }

  /** Ingest a prepared event; UNAVAILABLE when the store does not take it. */
  async commit(prepared: PreparedEvent): Promise<void> {
    let outcomes: readonly RecordOutcome[] | undefined;
    try {
      outcomes = (await this.pipeline.ingest([prepared.record])).outcomes[0];
    } catch (error) {
      if (error instanceof StoreUnavailableError)
        throw new DomainError('UNAVAILABLE', 'the graph store is unavailable; retry later');
      throw error;
    }
    const outcome = outcomes?.[0];
    if (!outcome) throw new Error(`the pipeline returned no outcome for event ${prepared.id}`);
    if (outcome.status === 'rejected') throw asBadInput(outcome);
  }

  async write(
    type: ProductEventType,
    subject: string,
    data: Readonly<Record<string, unknown>>,
  ): Promise<PreparedEvent> {
    const prepared = this.prepare(type, subject, data);
    await this.commit(prepared);
    return prepared;
  }
}

/** A rejection names an event field (`data.ownerId`); callers know it as an argument (`ownerId`). */
function asBadInput(rejection: RecordRejection): DomainError {
  const field = rejection.field?.replace(/^data\./, '');
  return new DomainError('BAD_USER_INPUT', rejection.reason.replace(/^data\./, ''), field);
}
