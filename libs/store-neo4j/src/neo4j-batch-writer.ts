import type { BatchOutcome, IngestBatch } from '@lineage/domain';
import { writeFacts } from './neo4j-graph-writes';
import {
  bumpCounters,
  counterRows,
  recordEvents,
  saveCheckpoint,
  writeDeadLetters,
  writeFollowUps,
  writeTimeline,
} from './neo4j-ledger';
import type { Neo4jSessions, QueryRunner } from './neo4j-session';

/**
 * One ingest batch, one managed write transaction: idempotency records, the graph changes of the
 * accepted events, their timeline entries and follow-ups, the counters, the dead letters and the stream
 * checkpoint commit together or not at all. `executeWrite` retries the whole work function on a
 * transient error, and the function keeps nothing outside the transaction, so a retry starts
 * from what the database holds.
 */
export async function applyBatch(sessions: Neo4jSessions, batch: IngestBatch): Promise<BatchOutcome> {
  return sessions.write((tx) => writeBatch(tx, batch));
}

export async function writeBatch(tx: QueryRunner, batch: IngestBatch): Promise<BatchOutcome> {
  const receivedAt = Date.now();
  const outcomes = await recordEvents(tx, batch.events, receivedAt);
  const accepted = batch.events.filter((_, index) => outcomes[index] === 'accepted');
  const facts = accepted.flatMap((event) => event.facts);
  if (facts.length > 0) await writeFacts(tx, facts);
  await writeTimeline(tx, accepted);
  await writeFollowUps(tx, accepted, receivedAt);
  await bumpCounters(tx, counterRows(batch, outcomes));
  await writeDeadLetters(tx, batch.deadLetters);
  if (batch.checkpoint) await saveCheckpoint(tx, batch.checkpoint, receivedAt);
  return { outcomes };
}
