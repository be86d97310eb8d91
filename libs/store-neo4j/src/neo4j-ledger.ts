import { randomUUID } from 'node:crypto';
import type {
  PendingFollowUp,
  AcceptedEvent,
  DeadLetter,
  DeadLetterRecord,
  EpochMs,
  EventOutcome,
  IngestBatch,
  IngestionStatus,
  Page,
  PageRequest,
  SourceStatus,
} from '@lineage/domain';
import { compareIds, decodeCursor, followUpKey, pageOf } from '@lineage/domain';
import type { Neo4jSessions, QueryRunner } from './neo4j-session';
import { run } from './neo4j-session';
import { SEQUENCES, reserveSequence } from './neo4j-sequences';
import { readNullableNumber, readNullableString, readNumber, readString } from './neo4j-values';

/**
 * Ingestion bookkeeping: which events were seen (idempotency), each entity's timeline, counters
 * per source and type, dead letters and stream checkpoints. The writes run inside the batch's
 * transaction (see neo4j-batch-writer.ts); the reads back `ingestionStatus`, `deadLetters` and
 * `checkpoint`. None of these nodes carries `:Node`: they are not part of the lineage graph.
 */

/** Counter key for dead letters whose source or type could not be read (as the embedded store). */
export const UNKNOWN = '(unknown)';

// ---- writes ------------------------------------------------------------------------------------

/**
 * Record events by their idempotency key. MERGE on the (source, id) uniqueness constraint is
 * safe against concurrent writers (the second waits, then matches). A node this very attempt
 * created carries the attempt's random marker, which is how the query tells a new event from a
 * duplicate; the marker is removed again before the row is returned.
 */
export const RECORD_EVENTS = `
UNWIND $events AS e
MERGE (x:IngestedEvent {source: e.source, id: e.id})
ON CREATE SET x.type = e.type, x.time = e.time, x.subject = e.subject, x.summary = e.summary,
              x.receivedAt = $receivedAt, x.writeMarker = $marker
WITH e, x, coalesce(x.writeMarker = $marker, false) AS created
FOREACH (ignored IN CASE WHEN created THEN [1] ELSE [] END | REMOVE x.writeMarker)
RETURN e.index AS index, created`;

export const WRITE_TIMELINE = `
UNWIND $entries AS t
MERGE (e:TimelineEntry {entityId: t.entityId, source: t.source, eventId: t.eventId})
ON CREATE SET e.time = t.time, e.type = t.type, e.subject = t.subject, e.summary = t.summary`;

export const BUMP_COUNTERS = `
UNWIND $counters AS c
MERGE (k:IngestCounter {source: c.source, type: c.type})
ON CREATE SET k.accepted = 0, k.duplicates = 0, k.rejected = 0
SET k.accepted = k.accepted + c.accepted,
    k.duplicates = k.duplicates + c.duplicates,
    k.rejected = k.rejected + c.rejected,
    k.lastEventTime = CASE
      WHEN c.lastEventTime IS NULL THEN k.lastEventTime
      WHEN k.lastEventTime IS NULL OR c.lastEventTime > k.lastEventTime THEN c.lastEventTime
      ELSE k.lastEventTime
    END`;

export const WRITE_DEAD_LETTERS = `
UNWIND $letters AS d
CREATE (:DeadLetter {seq: d.seq, raw: d.raw, reason: d.reason, field: d.field, origin: d.origin,
                     source: d.source, type: d.type, receivedAt: d.receivedAt})`;

export const SAVE_CHECKPOINT = `
MERGE (c:Checkpoint {stream: $stream})
SET c.position = $position, c.updatedAt = $updatedAt`;

/** A follow-up keeps the number it was written with: the order its events came in, as the embedded store's rowid. */
export const WRITE_FOLLOW_UPS = `
UNWIND $rows AS f
MERGE (x:FollowUp {key: f.key})
ON CREATE SET x.kind = f.kind, x.payload = f.payload, x.createdAt = f.createdAt, x.seq = f.seq`;

/**
 * Oldest first: by the number written with it (the follow-ups of one batch share createdAt, and
 * their keys do not follow the events' order). One written before follow-ups were numbered has
 * none and comes first, by (createdAt, key) as it did then.
 */
export const PENDING_FOLLOW_UPS = `
MATCH (x:FollowUp {kind: $kind})
RETURN x.key AS key, x.kind AS kind, x.payload AS payload
ORDER BY coalesce(x.seq, 0), x.createdAt, x.key
LIMIT $limit`;

export const COMPLETE_FOLLOW_UPS = 'UNWIND $keys AS key MATCH (x:FollowUp {key: key}) DELETE x';

/**
 * The follow-ups of the batch's new events, in the batch's transaction, numbered in the events'
 * order from the `FollowUp` sequence (so concurrent batches get disjoint, ordered ranges).
 */
export async function writeFollowUps(tx: QueryRunner, accepted: readonly AcceptedEvent[], at: EpochMs): Promise<void> {
  const rows = accepted.flatMap((event) =>
    (event.followUps ?? []).map((f) => ({ key: followUpKey(f.kind, event.source, event.id), kind: f.kind, payload: f.payload, createdAt: at })),
  );
  if (rows.length === 0) return;
  const first = await reserveSequence(tx, SEQUENCES.followUp, rows.length);
  await run(tx, WRITE_FOLLOW_UPS, { rows: rows.map((row, i) => ({ ...row, seq: first + i })) });
}

/** Outcome of each event of the batch, in order: the first of two events with one key in a batch wins. */
export async function recordEvents(
  tx: QueryRunner,
  events: readonly AcceptedEvent[],
  receivedAt: EpochMs,
): Promise<EventOutcome[]> {
  const firstOfKey = new Map<string, number>();
  const rows: Record<string, unknown>[] = [];
  events.forEach((event, index) => {
    const key = `${event.source}\u0000${event.id}`;
    if (firstOfKey.has(key)) return;
    firstOfKey.set(key, index);
    rows.push({
      index,
      source: event.source,
      id: event.id,
      type: event.type,
      time: event.time,
      subject: event.subject,
      summary: event.summary,
    });
  });
  const created = new Set<number>();
  if (rows.length > 0) {
    // A fresh marker per attempt: a retried transaction starts again from nothing written.
    for (const record of await run(tx, RECORD_EVENTS, { events: rows, receivedAt, marker: randomUUID() })) {
      if (record.get('created') === true) created.add(readNumber(record.get('index'), 'event index'));
    }
  }
  return events.map((_, index) => (created.has(index) ? 'accepted' : 'duplicate'));
}

/** One timeline entry per accepted event and entity it names. */
export function timelineRows(accepted: readonly AcceptedEvent[]): Record<string, unknown>[] {
  return accepted.flatMap((event) =>
    [...new Set(event.entityIds)].map((entityId) => ({
      entityId,
      source: event.source,
      eventId: event.id,
      time: event.time,
      type: event.type,
      subject: event.subject,
      summary: event.summary,
    })),
  );
}

export interface CounterRow {
  readonly source: string;
  readonly type: string;
  accepted: number;
  duplicates: number;
  rejected: number;
  lastEventTime: EpochMs | null;
}

/** Counter increments of a batch, per source and type; lastEventTime is the newest accepted event. */
export function counterRows(batch: IngestBatch, outcomes: readonly EventOutcome[]): CounterRow[] {
  const counters = new Map<string, CounterRow>();
  const counter = (source: string, type: string): CounterRow => {
    const key = `${source}\u0000${type}`;
    let row = counters.get(key);
    if (!row) counters.set(key, (row = { source, type, accepted: 0, duplicates: 0, rejected: 0, lastEventTime: null }));
    return row;
  };
  batch.events.forEach((event, index) => {
    const row = counter(event.source, event.type);
    if (outcomes[index] === 'accepted') {
      row.accepted++;
      row.lastEventTime = Math.max(row.lastEventTime ?? event.time, event.time);
    } else {
      row.duplicates++;
    }
  });
  for (const letter of batch.deadLetters) counter(letter.source ?? UNKNOWN, letter.type ?? UNKNOWN).rejected++;
  // In key order, so that two batches lock the counters they share in the same order.
  return [...counters.values()].sort((a, b) => compareIds(a.source, b.source) || compareIds(a.type, b.type));
}

export async function writeTimeline(tx: QueryRunner, accepted: readonly AcceptedEvent[]): Promise<void> {
  const entries = timelineRows(accepted);
  if (entries.length > 0) await run(tx, WRITE_TIMELINE, { entries });
}

export async function bumpCounters(tx: QueryRunner, counters: readonly CounterRow[]): Promise<void> {
  if (counters.length > 0) await run(tx, BUMP_COUNTERS, { counters: counters.map((c) => ({ ...c })) });
}

/** Dead letters keep their original bytes, base64-encoded (a property cannot hold a Buffer as such). */
export async function writeDeadLetters(tx: QueryRunner, letters: readonly DeadLetter[]): Promise<void> {
  if (letters.length === 0) return;
  const first = await reserveSequence(tx, SEQUENCES.deadLetter, letters.length);
  await run(tx, WRITE_DEAD_LETTERS, {
    letters: letters.map((letter, i) => ({
      seq: first + i,
      raw: letter.raw.toString('base64'),
      reason: letter.reason,
      field: letter.field,
      origin: letter.origin,
      source: letter.source,
      type: letter.type,
      receivedAt: letter.receivedAt,
    })),
  });
}

export async function saveCheckpoint(
  tx: QueryRunner,
  checkpoint: { stream: string; position: string },
  at: EpochMs,
): Promise<void> {
  await run(tx, SAVE_CHECKPOINT, { stream: checkpoint.stream, position: checkpoint.position, updatedAt: at });
}

// ---- reads -------------------------------------------------------------------------------------

export const READ_COUNTERS = `
MATCH (c:IngestCounter)
RETURN c.source AS source, c.type AS type, c.accepted AS accepted, c.duplicates AS duplicates,
       c.rejected AS rejected, c.lastEventTime AS lastEventTime
ORDER BY source, type`;

export const COUNT_DEAD_LETTERS = 'MATCH (d:DeadLetter) RETURN count(d) AS n';

export const DEAD_LETTER_PAGE = `
MATCH (d:DeadLetter)
WHERE d.seq > $after
RETURN d.seq AS seq, d.raw AS raw, d.reason AS reason, d.field AS field, d.origin AS origin,
       d.source AS source, d.type AS type, d.receivedAt AS receivedAt
ORDER BY seq
LIMIT $limit`;

export const READ_CHECKPOINT = 'MATCH (c:Checkpoint {stream: $stream}) RETURN c.position AS position';

export class Neo4jLedger {
  constructor(private readonly sessions: Neo4jSessions) {}

  async status(): Promise<IngestionStatus> {
    return this.sessions.read(async (tx) => {
      const sources: SourceStatus[] = (await run(tx, READ_COUNTERS)).map((record) => ({
        source: readString(record.get('source'), 'counter source'),
        type: readString(record.get('type'), 'counter type'),
        accepted: readNumber(record.get('accepted'), 'accepted count'),
        duplicates: readNumber(record.get('duplicates'), 'duplicate count'),
        rejected: readNumber(record.get('rejected'), 'rejected count'),
        lastEventTime: readNullableNumber(record.get('lastEventTime'), 'lastEventTime'),
      }));
      return { sources, deadLettered: await countDeadLetters(tx) };
    });
  }

  async deadLetters(page: PageRequest): Promise<Page<DeadLetterRecord>> {
    const after = page.after ? Number(decodeCursor(page.after, 1)[0]) : 0;
    return this.sessions.read(async (tx) => {
      const rows = (await run(tx, DEAD_LETTER_PAGE, { after, limit: page.first + 1 })).map(
        (record): DeadLetterRecord => ({
          seq: readNumber(record.get('seq'), 'dead letter seq'),
          raw: Buffer.from(readString(record.get('raw'), 'dead letter raw'), 'base64'),
          reason: readString(record.get('reason'), 'dead letter reason'),
          field: readNullableString(record.get('field'), 'dead letter field'),
          origin: readString(record.get('origin'), 'dead letter origin'),
          source: readNullableString(record.get('source'), 'dead letter source'),
          type: readNullableString(record.get('type'), 'dead letter type'),
          receivedAt: readNumber(record.get('receivedAt'), 'dead letter receivedAt'),
        }),
      );
      return pageOf(rows, page.first, (letter) => [letter.seq], await countDeadLetters(tx));
    });
  }

  async pendingFollowUps(kind: string, limit: number): Promise<PendingFollowUp[]> {
    const records = await this.sessions.read((tx) => run(tx, PENDING_FOLLOW_UPS, { kind, limit }));
    return records.map((record) => ({
      key: readString(record.get('key'), 'follow-up key'),
      kind: readString(record.get('kind'), 'follow-up kind'),
      payload: readString(record.get('payload'), 'follow-up payload'),
    }));
  }

  async completeFollowUps(keys: readonly string[]): Promise<void> {
    if (keys.length > 0) await this.sessions.write((tx) => run(tx, COMPLETE_FOLLOW_UPS, { keys: [...keys] }));
  }

  async checkpoint(stream: string): Promise<string | null> {
    const records = await this.sessions.read((tx) => run(tx, READ_CHECKPOINT, { stream }));
    return readNullableString(records[0]?.get('position'), 'checkpoint position');
  }
}

async function countDeadLetters(tx: QueryRunner): Promise<number> {
  return readNumber((await run(tx, COUNT_DEAD_LETTERS))[0]?.get('n'), 'dead letter count');
}
