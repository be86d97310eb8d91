import type Database from 'better-sqlite3';
import type { BatchOutcome, EpochMs, EventOutcome, GraphFact, GraphRelationship, IngestBatch, LoadedState, NodeState, RelationKind } from '@lineage/domain';
import { applyFacts, compareIds, followUpKey, intervalKeyString, nodeChangeFrom, personLeftAt, relKeyString, relationshipChangeFrom, stateRequest } from '@lineage/domain';
import type { LeftAtChange, SqliteDepartures } from './sqlite-departures';
import { SHARED_WORKLOAD_SUBJECT, WORKLOAD_EDGE_TYPES, edgesIntoTable, edgesIntoWhere, statementPerType } from './sqlite-migrations';
import {
  NODE_COLUMNS,
  NODE_WIDTH,
  RELATIONSHIP_COLUMNS,
  RELATIONSHIP_WIDTH,
  columnList,
  fromNodeState,
  fromRelationship,
  nodeStateAt,
  placeholders,
  relationshipColumns,
  relationshipOf,
} from './sqlite-rows';
import type { TimelineRow } from './sqlite-timeline';
import { TimelineLevels } from './sqlite-timeline';
import { ChunkedInsert } from './sqlite-chunked-insert';

const UNKNOWN = '(unknown)';
/** Node ids a read of the batch's nodes takes at once. */
const NODE_READ_CHUNK = 500;
/** The leading columns of a relationship row that are its interval's key: type, src, dst, valid_from. */
const RELATIONSHIP_KEY_WIDTH = 4;

/** A column list without its first `count` columns: what an update sets, its key left for the WHERE. */
function columnsAfter(columns: string, count: number): string {
  return columns.split(', ').slice(count).join(', ');
}

/**
 * Applies ingest batches to the embedded store: one transaction per batch holding the
 * idempotency records, the graph changes, the timeline, the counters, the dead letters and the
 * stream checkpoint, so that a crash leaves either all of a batch or none of it.
 */
export class SqliteWriter {
  private readonly insertEvent: Database.Statement;
  private readonly timeline: TimelineLevels;
  private readonly selectNodes: Database.Statement;
  private readonly selectKey: Database.Statement;
  private readonly selectFrom: Database.Statement;
  private readonly selectTo: (type: RelationKind) => Database.Statement;
  private readonly insertNode: Database.Statement;
  private readonly updateNode: Database.Statement;
  private readonly updateNodeOfSameKind: Database.Statement;
  private readonly deleteKey: Database.Statement;
  private readonly insertRelationships: ChunkedInsert;
  private readonly updateRelationship: Database.Statement;
  private readonly noteSharedSubject: Database.Statement;
  private readonly bumpCounter: Database.Statement;
  private readonly insertDeadLetter: Database.Statement;
  private readonly upsertCheckpoint: Database.Statement;
  private readonly insertFollowUp: Database.Statement;
  private readonly run: Database.Transaction<(batch: IngestBatch) => BatchOutcome>;

  constructor(
    private readonly db: Database.Database,
    private readonly departures: SqliteDepartures,
    timelineRecentRows?: number,
  ) {
    this.insertEvent = db.prepare(
      'INSERT OR IGNORE INTO events (source, id, type, time, subject, summary, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.timeline = new TimelineLevels(db, timelineRecentRows);
    // A list of ids joined to the table (as the reads do): one statement for many seeks.
    this.selectNodes = db.prepare(`SELECT ${columnList(NODE_COLUMNS, 'n')} FROM json_each(?) j CROSS JOIN nodes n ON n.id = j.value`).raw();
    this.selectKey = db.prepare(`SELECT ${RELATIONSHIP_COLUMNS} FROM relationships WHERE src = ? AND type = ? AND dst = ?`).raw();
    this.selectFrom = db.prepare(`SELECT ${RELATIONSHIP_COLUMNS} FROM relationships WHERE src = ? AND type = ?`).raw();
    this.selectTo = statementPerType((type) =>
      db.prepare(`SELECT ${relationshipColumns('r')} FROM ${edgesIntoTable(type, 'r')} WHERE r.dst = ? AND ${edgesIntoWhere(type, 'r')}`).raw(),
    );
    this.insertNode = db.prepare(`INSERT INTO nodes (${NODE_COLUMNS}) VALUES ${placeholders(NODE_WIDTH)}`);
    // Bound as the row without its id, then the id.
    this.updateNode = db.prepare(`UPDATE nodes SET (${columnsAfter(NODE_COLUMNS, 1)}) = ${placeholders(NODE_WIDTH - 1)} WHERE id = ?`);
    // Without the kind, which nodes_by_kind holds: SQLite rewrites an index entry whenever an
    // UPDATE sets one of its columns, even to the value it had, and a node's kind rarely changes.
    this.updateNodeOfSameKind = db.prepare(`UPDATE nodes SET (${columnsAfter(NODE_COLUMNS, 2)}) = ${placeholders(NODE_WIDTH - 2)} WHERE id = ?`);
    this.deleteKey = db.prepare('DELETE FROM relationships WHERE src = ? AND type = ? AND dst = ?');
    this.insertRelationships = new ChunkedInsert(db, `INSERT INTO relationships (${RELATIONSHIP_COLUMNS})`, RELATIONSHIP_WIDTH, 32);
    // Only columns outside every index: an interval confirmed again rewrites one row, not four B-trees.
    // Bound as the row's columns after its key, then its key.
    this.updateRelationship = db.prepare(`
      UPDATE relationships SET (${columnsAfter(RELATIONSHIP_COLUMNS, RELATIONSHIP_KEY_WIDTH)}) = ${placeholders(RELATIONSHIP_WIDTH - RELATIONSHIP_KEY_WIDTH)}
      WHERE type = ? AND src = ? AND dst = ? AND valid_from = ?`);
    this.noteSharedSubject = db.prepare(SHARED_WORKLOAD_SUBJECT);
    this.bumpCounter = db.prepare(`
      INSERT INTO ingest_counters (source, type, accepted, duplicates, rejected, last_event_time)
      VALUES (@source, @type, @accepted, @duplicates, @rejected, @lastEventTime)
      ON CONFLICT (source, type) DO UPDATE SET
        accepted = accepted + excluded.accepted,
        duplicates = duplicates + excluded.duplicates,
        rejected = rejected + excluded.rejected,
        last_event_time = max(coalesce(last_event_time, excluded.last_event_time), coalesce(excluded.last_event_time, last_event_time))`);
    this.insertDeadLetter = db.prepare(
      'INSERT INTO dead_letters (received_at, origin, source, type, reason, field, raw) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.upsertCheckpoint = db.prepare(
      'INSERT INTO checkpoints (stream, position, updated_at) VALUES (?, ?, ?) ON CONFLICT (stream) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at',
    );
    this.insertFollowUp = db.prepare('INSERT OR IGNORE INTO follow_ups (key, kind, payload) VALUES (?, ?, ?)');
    this.run = db.transaction((batch: IngestBatch) => this.applyInTransaction(batch));
  }

  apply(batch: IngestBatch): BatchOutcome {
    // BEGIN IMMEDIATE: take the write lock up front so a concurrent writer fails fast, not mid-batch.
    return this.run.immediate(batch);
  }

  private applyInTransaction(batch: IngestBatch): BatchOutcome {
    const receivedAt = Date.now();
    const counters = new Map<string, { source: string; type: string; accepted: number; duplicates: number; rejected: number; lastEventTime: number | null }>();
    const counter = (source: string, type: string) => {
      const key = `${source}\u0000${type}`;
      let entry = counters.get(key);
      if (!entry) counters.set(key, (entry = { source, type, accepted: 0, duplicates: 0, rejected: 0, lastEventTime: null }));
      return entry;
    };

    const outcomes: EventOutcome[] = [];
    const facts: GraphFact[] = [];
    const timeline: TimelineRow[] = [];
    for (const event of batch.events) {
      const inserted = this.insertEvent.run(event.source, event.id, event.type, event.time, event.subject, event.summary, receivedAt);
      const fresh = inserted.changes === 1;
      const entry = counter(event.source, event.type);
      if (!fresh) {
        outcomes.push('duplicate');
        entry.duplicates++;
        continue;
      }
      outcomes.push('accepted');
      entry.accepted++;
      entry.lastEventTime = Math.max(entry.lastEventTime ?? event.time, event.time);
      for (const entityId of event.entityIds) timeline.push([entityId, event.time, inserted.lastInsertRowid]);
      for (const fact of event.facts) facts.push(fact);
      for (const followUp of event.followUps ?? []) {
        this.insertFollowUp.run(followUpKey(followUp.kind, event.source, event.id), followUp.kind, followUp.payload);
      }
    }

    const written = facts.length > 0 ? this.writeFacts(facts) : { changedFrom: null, leftAtChanges: [] };
    this.departures.afterWrite(written.changedFrom, written.leftAtChanges);
    timeline.sort((a, b) => compareIds(a[0], b[0]) || a[1] - b[1]);
    this.timeline.append(timeline);

    for (const letter of batch.deadLetters) {
      this.insertDeadLetter.run(letter.receivedAt, letter.origin, letter.source, letter.type, letter.reason, letter.field, letter.raw);
      counter(letter.source ?? UNKNOWN, letter.type ?? UNKNOWN).rejected++;
    }
    for (const entry of counters.values()) this.bumpCounter.run(entry);
    if (batch.checkpoint) this.upsertCheckpoint.run(batch.checkpoint.stream, batch.checkpoint.position, receivedAt);
    return { outcomes };
  }

  /** Writes the facts; says from which instant they change what the lineage rules see, and who left. */
  private writeFacts(facts: readonly GraphFact[]): { changedFrom: EpochMs | null; leftAtChanges: LeftAtChange[] } {
    const request = stateRequest(facts);
    const nodes = new Map<string, NodeState>();
    // Each node's row as read: what the write reuses of it (`fromNodeState`).
    const rowsRead = new Map<string, readonly unknown[]>();
    const ids = [...request.nodeIds].sort(compareIds);
    for (let start = 0; start < ids.length; start += NODE_READ_CHUNK) {
      for (const row of this.selectNodes.all(JSON.stringify(ids.slice(start, start + NODE_READ_CHUNK))) as unknown[][]) {
        const state = nodeStateAt(row);
        nodes.set(state.id, state);
        rowsRead.set(state.id, row);
      }
    }
    const relationships: GraphRelationship[] = [];
    const seen = new Set<string>();
    const take = (rows: unknown[][]) => {
      for (const rel of rows.map(relationshipOf)) {
        const key = intervalKeyString(rel);
        if (seen.has(key)) continue;
        seen.add(key);
        relationships.push(rel);
      }
    };
    // Nothing is ever deleted and a relationship's two ends always exist as nodes (placeholders if
    // need be), so a key or anchor at a node the store does not hold has nothing to load.
    // relKeys is keyed by relKeyString, whose order is (type, from, to): the primary key's.
    for (const [, key] of [...request.relKeys].sort(([a], [b]) => compareIds(a, b))) {
      if (!nodes.has(key.from) || !nodes.has(key.to)) continue;
      take(this.selectKey.all(key.from, key.type, key.to) as unknown[][]);
    }
    for (const anchor of request.anchors) {
      if (request.nodeIds.has(anchor.id) && !nodes.has(anchor.id)) continue;
      const rows = anchor.side === 'from' ? this.selectFrom.all(anchor.id, anchor.type) : this.selectTo(anchor.type).all(anchor.id);
      take(rows as unknown[][]);
    }

    const state: LoadedState = { nodes, relationships };
    const writes = applyFacts(state, facts);
    let changedFrom: EpochMs | null = null;
    const changes = (from: EpochMs | null) => {
      if (from !== null && (changedFrom === null || from < changedFrom)) changedFrom = from;
    };
    const leftAtChanges: LeftAtChange[] = [];
    for (const node of [...writes.nodes].sort((a, b) => compareIds(a.id, b.id))) {
      const before = nodes.get(node.id);
      const row = fromNodeState(node, before && { state: before, row: rowsRead.get(node.id)! });
      if (!before) this.insertNode.run(row);
      else if (before.kind === node.kind) this.updateNodeOfSameKind.run(row.slice(2), row[0]);
      else this.updateNode.run(row.slice(1), row[0]);
      // A node new to the store has no edges but those this batch writes, which say it themselves.
      if (before) changes(nodeChangeFrom(before, node));
      const leftAt = personLeftAt(node);
      if (leftAt !== (before ? personLeftAt(before) : null)) leftAtChanges.push({ personId: node.id, leftAt });
    }

    const loaded = new Map<string, GraphRelationship[]>();
    for (const rel of relationships) {
      const key = relKeyString(rel);
      const intervals = loaded.get(key);
      if (intervals) intervals.push(rel);
      else loaded.set(key, [rel]);
    }
    const keyed = writes.relationships.map((write) => ({ write, key: relKeyString(write.key) }));
    // Rows to insert, in key order, after every delete of a key whose intervals moved.
    const inserts: unknown[][] = [];
    const workloadEdges: { subject: string; workload: string }[] = [];
    for (const { write, key } of keyed.sort((a, b) => compareIds(a.key, b.key))) {
      const before = loaded.get(key);
      changes(relationshipChangeFrom(write.key.type, before ?? [], write.intervals));
      if (before && sameStarts(before, write.intervals)) {
        for (const interval of write.intervals) {
          const row = fromRelationship(interval);
          this.updateRelationship.run(row.slice(RELATIONSHIP_KEY_WIDTH), row.slice(0, RELATIONSHIP_KEY_WIDTH));
        }
        continue;
      }
      if (before) this.deleteKey.run(write.key.from, write.key.type, write.key.to);
      for (const interval of write.intervals) inserts.push(fromRelationship(interval));
      if (write.intervals.length > 0 && WORKLOAD_EDGE_TYPES.includes(write.key.type)) workloadEdges.push({ subject: write.key.to, workload: write.key.from });
    }
    this.insertRelationships.run(inserts);
    for (const edge of workloadEdges) this.noteSharedSubject.run(edge);
    return { changedFrom, leftAtChanges };
  }
}

/** True when a key's intervals still start where they did: only their other columns changed. */
function sameStarts(stored: readonly GraphRelationship[], intervals: readonly GraphRelationship[]): boolean {
  if (stored.length !== intervals.length) return false;
  const sorted = stored.map((rel) => rel.validFrom).sort((a, b) => a - b);
  return intervals.every((interval, i) => interval.validFrom === sorted[i]);
}
