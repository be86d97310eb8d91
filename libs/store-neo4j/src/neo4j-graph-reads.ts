import type {
  EpochMs,
  GraphNode,
  Neighbour,
  NeighbourQuery,
  Page,
  PageRequest,
  RelationKind,
  TimelineEntry,
} from '@lineage/domain';
import { RELATION_KIND_NAMES, decodeCursor, decodeTimelineCursor, pageOf, timelineKey } from '@lineage/domain';
import { toGraphNode, toGraphRelationshipEntry } from './neo4j-mapping';
import { NODE_LABEL, RELATIONSHIP_TYPES, validAt } from './neo4j-model';
import type { Neo4jSessions } from './neo4j-session';
import { run } from './neo4j-session';
import { readNullableString, readNumber, readString } from './neo4j-values';

/** Lookups, neighbours and timelines. */

export const NODE_BY_ID = `MATCH (n:${NODE_LABEL} {id: $id}) RETURN n`;

export const NODES_BY_IDS = `
UNWIND $ids AS id
MATCH (n:${NODE_LABEL} {id: id})
RETURN DISTINCT n
ORDER BY n.id`;

type Direction = NeighbourQuery['direction'];

/** Neighbours over one relationship type and direction, valid at $asOf, by neighbour id after a cursor. */
function neighboursQuery(type: RelationKind, direction: Direction): string {
  const T = RELATIONSHIP_TYPES[type];
  const pattern =
    direction === 'out'
      ? `(a:${NODE_LABEL} {id: $id})-[r:${T}]->(n:${NODE_LABEL})`
      : `(a:${NODE_LABEL} {id: $id})<-[r:${T}]-(n:${NODE_LABEL})`;
  const entry = direction === 'out' ? '{rel: r, from: a.id, to: n.id}' : '{rel: r, from: n.id, to: a.id}';
  return `
MATCH ${pattern}
WHERE ${validAt('r')} AND n.id > $after
RETURN n, ${entry} AS entry
ORDER BY n.id
LIMIT $limit`;
}

function countNeighboursQuery(type: RelationKind, direction: Direction): string {
  const T = RELATIONSHIP_TYPES[type];
  const pattern =
    direction === 'out'
      ? `(:${NODE_LABEL} {id: $id})-[r:${T}]->(:${NODE_LABEL})`
      : `(:${NODE_LABEL} {id: $id})<-[r:${T}]-(:${NODE_LABEL})`;
  return `
MATCH ${pattern}
WHERE ${validAt('r')}
RETURN count(r) AS n`;
}

function perType(
  build: (type: RelationKind, direction: Direction) => string,
): Readonly<Record<Direction, Readonly<Record<RelationKind, string>>>> {
  const table = (direction: Direction) =>
    Object.fromEntries(RELATION_KIND_NAMES.map((type) => [type, build(type, direction)])) as Record<
      RelationKind,
      string
    >;
  return { out: table('out'), in: table('in') };
}

export const NEIGHBOURS = perType(neighboursQuery);
export const COUNT_NEIGHBOURS = perType(countNeighboursQuery);

/** The widest window: the bounds stay integers so that the (entityId, time) index serves the range. */
const EARLIEST = Number.MIN_SAFE_INTEGER;
const LATEST = Number.MAX_SAFE_INTEGER;

/** A page of an entity's timeline, ordered by (time, source, eventId), after a cursor of that key. */
export const TIMELINE_PAGE = `
MATCH (t:TimelineEntry {entityId: $entityId})
WHERE t.time >= $from AND t.time <= $to
  AND (t.time > $afterTime
       OR (t.time = $afterTime AND (t.source > $afterSource OR (t.source = $afterSource AND t.eventId > $afterId))))
RETURN t.eventId AS eventId, t.source AS source, t.type AS type, t.time AS time, t.subject AS subject, t.summary AS summary
ORDER BY time, source, eventId
LIMIT $limit`;

export const TIMELINE_COUNT = `
MATCH (t:TimelineEntry {entityId: $entityId})
WHERE t.time >= $from AND t.time <= $to
RETURN count(t) AS n`;

function timelineCursor(after: string | null | undefined): { afterTime: number; afterSource: string; afterId: string } {
  if (!after) return { afterTime: EARLIEST, afterSource: '', afterId: '' };
  const [time, source, id] = decodeTimelineCursor(after);
  return { afterTime: time, afterSource: source, afterId: id };
}

export class Neo4jGraphReads {
  constructor(private readonly sessions: Neo4jSessions) {}

  async getNode(id: string): Promise<GraphNode | null> {
    const records = await this.sessions.read((tx) => run(tx, NODE_BY_ID, { id }));
    return records[0] ? toGraphNode(records[0].get('n')) : null;
  }

  /** The nodes that exist among `ids`, in id order. */
  async getNodes(ids: readonly string[]): Promise<GraphNode[]> {
    if (ids.length === 0) return [];
    const records = await this.sessions.read((tx) => run(tx, NODES_BY_IDS, { ids: [...ids] }));
    return records.map((record) => toGraphNode(record.get('n')));
  }

  async neighbours(query: NeighbourQuery): Promise<Page<Neighbour>> {
    const after = query.page.after ? String(decodeCursor(query.page.after, 1)[0]) : '';
    const parameters = { id: query.id, asOf: query.asOf };
    return this.sessions.read(async (tx) => {
      const records = await run(tx, NEIGHBOURS[query.direction][query.type], {
        ...parameters,
        after,
        limit: query.page.first + 1,
      });
      const items = records.map((record) => ({
        node: toGraphNode(record.get('n')),
        relationship: toGraphRelationshipEntry(record.get('entry')),
      }));
      const total = await run(tx, COUNT_NEIGHBOURS[query.direction][query.type], parameters);
      return pageOf(items, query.page.first, (item) => [item.node.id], readNumber(total[0]?.get('n'), 'neighbour count'));
    });
  }

  async timeline(
    entityId: string,
    from: EpochMs | null,
    to: EpochMs | null,
    page: PageRequest,
  ): Promise<Page<TimelineEntry>> {
    const window = { entityId, from: from ?? EARLIEST, to: to ?? LATEST };
    const cursor = timelineCursor(page.after);
    return this.sessions.read(async (tx) => {
      const records = await run(tx, TIMELINE_PAGE, { ...window, ...cursor, limit: page.first + 1 });
      const items = records.map((record): TimelineEntry => ({
        eventId: readString(record.get('eventId'), 'timeline event id'),
        source: readString(record.get('source'), 'timeline source'),
        type: readString(record.get('type'), 'timeline type'),
        time: readNumber(record.get('time'), 'timeline time'),
        subject: readNullableString(record.get('subject'), 'timeline subject'),
        summary: readString(record.get('summary'), 'timeline summary'),
      }));
      const total = await run(tx, TIMELINE_COUNT, window);
      return pageOf(items, page.first, timelineKey, readNumber(total[0]?.get('n'), 'timeline count'));
    });
  }
}
