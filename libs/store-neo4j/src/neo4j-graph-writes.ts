import type {
  GraphFact,
  GraphRelationship,
  LoadedState,
  NodeKind,
  NodeState,
  RelationKind,
  RelationshipWrite,
  StateRequest,
  WriteSet,
} from '@lineage/domain';
import {
  NODE_KIND_NAMES,
  RELATION_KINDS,
  RELATION_KIND_NAMES,
  applyFacts,
  compareIds,
  inferKind,
  intervalKeyString,
  mergeNode,
  stateRequest,
} from '@lineage/domain';
import { nodeProperties, relationshipProperties, toGraphRelationshipEntry, toNodeState } from './neo4j-mapping';
import { KIND_LABELS, NODE_LABEL, RELATIONSHIP_TYPES, otherKindLabels } from './neo4j-model';
import type { QueryRunner } from './neo4j-session';
import { run } from './neo4j-session';
import { readNumber, readString } from './neo4j-values';

/**
 * The graph half of a batch write, inside the batch's write transaction. The domain's shared
 * algorithm decides everything (`stateRequest` → load → `applyFacts` → `WriteSet`); this file
 * locks and loads that state in a few UNWIND-batched queries and writes the write set back with
 * one constant query per node kind and per relationship type (labels and types cannot be
 * parameters, so those queries are built from the model at module load).
 *
 * Locking. Neo4j reads take no locks (read committed), so two ingestor replicas that loaded the
 * same node, merged in memory and wrote it back would lose one of the updates. Before loading,
 * the batch therefore write-locks every node it will merge or relate (creating a provisional
 * node for an id that does not exist yet, so that a concurrent creator waits too), in id order
 * to keep deadlocks rare; Neo4j detects the remaining ones and `executeWrite` retries them. A
 * relationship key is only ever rewritten by a transaction holding a lock on one of its ends,
 * and keys reached from an anchor get their other end locked before they are read for good.
 */

// ---- locking and loading the state the facts touch -----------------------------------------

/** Lock the nodes the batch merges or relates; create the missing ones provisionally. Returns those created. */
export const LOCK_OR_CREATE_NODES = `
UNWIND $ids AS id
MERGE (n:${NODE_LABEL} {id: id})
ON CREATE SET n.provisional = true
SET n.writeLock = true
REMOVE n.writeLock
WITH n
WHERE n.provisional = true
RETURN n.id AS created`;

/** Lock nodes that exist (anchors, and the far ends of anchored relationships). */
export const LOCK_NODES = `
UNWIND $ids AS id
MATCH (n:${NODE_LABEL} {id: id})
SET n.writeLock = true
REMOVE n.writeLock`;

/** Provisional nodes no write replaced (none, while every locked id is written): never left behind. */
export const DELETE_PROVISIONAL = `
UNWIND $ids AS id
MATCH (n:${NODE_LABEL} {id: id})
WHERE n.provisional = true
DETACH DELETE n`;

export const LOAD_NODES = `
UNWIND $ids AS id
MATCH (n:${NODE_LABEL} {id: id})
WHERE n.provisional IS NULL
RETURN n`;

/** Every interval of the named (type, from, to) keys. */
export const LOAD_RELATIONSHIP_KEYS = `
UNWIND $keys AS relKey
MATCH (a:${NODE_LABEL} {id: relKey.from})-[r]->(b:${NODE_LABEL} {id: relKey.to})
WHERE type(r) = relKey.type
RETURN {rel: r, from: a.id, to: b.id} AS entry`;

/** Every interval of a type leaving an anchor node (`unrelate-others` and `inherit` on the `from` side). */
export const LOAD_ANCHORED_FROM = `
UNWIND $anchors AS anchor
MATCH (a:${NODE_LABEL} {id: anchor.id})-[r]->(b:${NODE_LABEL})
WHERE type(r) = anchor.type
RETURN {rel: r, from: a.id, to: b.id} AS entry`;

/** Every interval of a type arriving at an anchor node. */
export const LOAD_ANCHORED_TO = `
UNWIND $anchors AS anchor
MATCH (a:${NODE_LABEL})-[r]->(b:${NODE_LABEL} {id: anchor.id})
WHERE type(r) = anchor.type
RETURN {rel: r, from: a.id, to: b.id} AS entry`;

// ---- writing the write set --------------------------------------------------------------------

/** Upsert nodes of one kind: replace every property, then make the kind label the only kind label. */
function upsertNodesQuery(kind: NodeKind): string {
  return `
UNWIND $rows AS row
MERGE (n:${NODE_LABEL} {id: row.id})
SET n = row.props
REMOVE n${otherKindLabels(kind)}
SET n:${KIND_LABELS[kind]}`;
}

/** Delete every interval of the given keys of one type; the key's new list is created next. */
function deleteIntervalsQuery(type: RelationKind): string {
  return `
UNWIND $keys AS relKey
MATCH (:${NODE_LABEL} {id: relKey.from})-[r:${RELATIONSHIP_TYPES[type]}]->(:${NODE_LABEL} {id: relKey.to})
DELETE r`;
}

/** Create intervals of one type: one Neo4j relationship per validity interval. */
function createIntervalsQuery(type: RelationKind): string {
  return `
UNWIND $rows AS row
MATCH (a:${NODE_LABEL} {id: row.from})
MATCH (b:${NODE_LABEL} {id: row.to})
CREATE (a)-[r:${RELATIONSHIP_TYPES[type]}]->(b)
SET r = row.props
RETURN count(r) AS created`;
}

function perKey<K extends string>(keys: readonly K[], build: (key: K) => string): Readonly<Record<K, string>> {
  return Object.fromEntries(keys.map((key) => [key, build(key)])) as Record<K, string>;
}

export const UPSERT_NODES = perKey(NODE_KIND_NAMES, upsertNodesQuery);
export const DELETE_INTERVALS = perKey(RELATION_KIND_NAMES, deleteIntervalsQuery);
export const CREATE_INTERVALS = perKey(RELATION_KIND_NAMES, createIntervalsQuery);

/** Rows per UNWIND: large batches are split so that no single message grows without bound. */
export const WRITE_CHUNK = 2000;

export interface Statement {
  readonly query: string;
  readonly parameters: Record<string, unknown>;
  /** For interval creation: how many relationships the statement must create. */
  readonly expectCreated?: number;
}

function chunks<T>(items: readonly T[], size = WRITE_CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function groupBy<T, K>(items: readonly T[], keyOf: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const list = groups.get(key);
    if (list) list.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

/** Node upserts, one statement per kind present (and per chunk). */
export function nodeWriteStatements(nodes: readonly NodeState[]): Statement[] {
  const statements: Statement[] = [];
  for (const [kind, group] of groupBy(nodes, (node) => node.kind)) {
    for (const chunk of chunks(group)) {
      statements.push({
        query: UPSERT_NODES[kind],
        parameters: { rows: chunk.map((node) => ({ id: node.id, props: nodeProperties(node) })) },
      });
    }
  }
  return statements;
}

/**
 * Replace the interval lists of the written keys: per type, delete the keys' relationships, then
 * create the new intervals. A key whose list is now empty is only deleted.
 */
export function relationshipWriteStatements(writes: readonly RelationshipWrite[]): Statement[] {
  const statements: Statement[] = [];
  for (const [type, group] of groupBy(writes, (write) => write.key.type)) {
    for (const chunk of chunks(group)) {
      statements.push({
        query: DELETE_INTERVALS[type],
        parameters: { keys: chunk.map((write) => ({ from: write.key.from, to: write.key.to })) },
      });
    }
    const rows = group.flatMap((write) =>
      write.intervals.map((interval) => ({
        from: interval.from,
        to: interval.to,
        props: relationshipProperties(interval),
      })),
    );
    for (const chunk of chunks(rows)) {
      statements.push({ query: CREATE_INTERVALS[type], parameters: { rows: chunk }, expectCreated: chunk.length });
    }
  }
  return statements;
}

/**
 * Neo4j cannot hold a relationship whose end node does not exist. A write set whose relationship
 * names a node that no fact of the batch described and the store does not hold gets that node
 * as a placeholder, exactly as a reference would have made it (the domain's `mergeNode` with
 * `defines: false`, its kind inferred from the id's prefix among the kinds the relation allows).
 */
export function placeholdersForMissingEnds(writes: WriteSet, existing: ReadonlySet<string>): NodeState[] {
  const known = new Set(existing);
  for (const node of writes.nodes) known.add(node.id);
  const made = new Map<string, NodeState>();
  for (const write of writes.relationships) {
    const kinds = RELATION_KINDS[write.key.type];
    for (const interval of write.intervals) {
      for (const [id, allowed] of [
        [interval.from, kinds.from],
        [interval.to, kinds.to],
      ] as const) {
        if (known.has(id)) continue;
        made.set(
          id,
          mergeNode(made.get(id), {
            op: 'node',
            id,
            kind: inferKind(id, allowed, allowed[0]),
            defines: false,
            time: interval.firstSeen,
            evidence: interval.evidence[0] ?? '',
            source: interval.source ?? '',
          }),
        );
      }
    }
  }
  return [...made.values()];
}

export interface LockedState {
  readonly state: LoadedState;
  /** Ids that exist in the store (loaded nodes and the ends of loaded relationships). */
  readonly existing: ReadonlySet<string>;
  /** Ids this transaction created provisionally while locking. */
  readonly provisional: ReadonlySet<string>;
}

/** Lock, then load, what `request` names: at most nine queries whatever the batch size. */
export async function lockAndLoad(tx: QueryRunner, request: StateRequest): Promise<LockedState> {
  const relKeys = [...request.relKeys.values()];
  // Every node a fact merges, and both ends of every named key (a missing end becomes a placeholder).
  const written = new Set(request.nodeIds);
  for (const key of relKeys) written.add(key.from).add(key.to);
  const provisional = new Set<string>();
  if (written.size > 0) {
    for (const record of await run(tx, LOCK_OR_CREATE_NODES, { ids: [...written].sort(compareIds) })) {
      provisional.add(readString(record.get('created'), 'created node id'));
    }
  }
  const locked = new Set(written);
  const anchorIds = [...new Set(request.anchors.map((a) => a.id))].filter((id) => !locked.has(id)).sort(compareIds);
  if (anchorIds.length > 0) await run(tx, LOCK_NODES, { ids: anchorIds });
  anchorIds.forEach((id) => locked.add(id));

  const fromAnchors = request.anchors.filter((a) => a.side === 'from').map((a) => ({ type: a.type, id: a.id }));
  const toAnchors = request.anchors.filter((a) => a.side === 'to').map((a) => ({ type: a.type, id: a.id }));
  const loadAnchored = async (): Promise<GraphRelationship[]> => [
    ...(fromAnchors.length > 0 ? await relationshipsOf(tx, LOAD_ANCHORED_FROM, { anchors: fromAnchors }) : []),
    ...(toAnchors.length > 0 ? await relationshipsOf(tx, LOAD_ANCHORED_TO, { anchors: toAnchors }) : []),
  ];
  let anchored = await loadAnchored();
  const farEnds = [...new Set(anchored.flatMap((rel) => [rel.from, rel.to]))]
    .filter((id) => !locked.has(id))
    .sort(compareIds);
  if (farEnds.length > 0) {
    // A key reached from an anchor may change through its other end until that end is locked too: lock, read again.
    await run(tx, LOCK_NODES, { ids: farEnds });
    anchored = await loadAnchored();
  }

  const nodes = new Map<string, NodeState>();
  for (const record of await run(tx, LOAD_NODES, { ids: [...written] })) {
    const node = toNodeState(record.get('n'));
    nodes.set(node.id, node);
  }
  const named =
    relKeys.length > 0
      ? await relationshipsOf(tx, LOAD_RELATIONSHIP_KEYS, {
          keys: relKeys.map((k) => ({ type: k.type, from: k.from, to: k.to })),
        })
      : [];

  const existing = new Set(nodes.keys());
  const relationships: GraphRelationship[] = [];
  const seen = new Set<string>();
  for (const rel of [...named, ...anchored]) {
    existing.add(rel.from).add(rel.to);
    // A key named directly and reached from an anchor too must not count its intervals twice.
    const identity = intervalKeyString(rel);
    if (seen.has(identity)) continue;
    seen.add(identity);
    relationships.push(rel);
  }
  // Extra nodes are harmless to the merge: it writes back only the nodes a fact touched.
  return { state: { nodes, relationships }, existing, provisional };
}

async function relationshipsOf(
  tx: QueryRunner,
  query: string,
  parameters: Record<string, unknown>,
): Promise<GraphRelationship[]> {
  return (await run(tx, query, parameters)).map((record) => toGraphRelationshipEntry(record.get('entry')));
}

/** Apply the facts of the accepted events of a batch to the graph, inside the caller's transaction. */
export async function writeFacts(tx: QueryRunner, facts: readonly GraphFact[]): Promise<WriteSet> {
  const { state, existing, provisional } = await lockAndLoad(tx, stateRequest(facts));
  const writes = applyFacts(state, facts);
  const nodes = [...writes.nodes, ...placeholdersForMissingEnds(writes, existing)];
  for (const statement of [...nodeWriteStatements(nodes), ...relationshipWriteStatements(writes.relationships)]) {
    const records = await run(tx, statement.query, statement.parameters);
    if (statement.expectCreated !== undefined) {
      const created = readNumber(records[0]?.get('created') ?? 0, 'created relationships');
      // Every end node was written above, so a shortfall means the transaction saw something else: fail it.
      if (created !== statement.expectCreated) {
        throw new Error(`created ${created} of ${statement.expectCreated} relationships: an end node is missing`);
      }
    }
  }
  const writtenIds = new Set(nodes.map((node) => node.id));
  const leftover = [...provisional].filter((id) => !writtenIds.has(id));
  if (leftover.length > 0) await run(tx, DELETE_PROVISIONAL, { ids: leftover });
  return { nodes, relationships: writes.relationships };
}
