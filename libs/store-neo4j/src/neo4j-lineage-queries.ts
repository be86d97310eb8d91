import type { EpochMs, GraphNode, Lineage, OrphanedNhi, Page, PageRequest } from '@lineage/domain';
import {
  ACCOUNTABILITY_DOWNSTREAM,
  LINEAGE_DOWNSTREAM,
  LINEAGE_UPSTREAM,
  LineageGraph,
  MAX_LINEAGE_DEPTH,
  decodeCursor,
  pageOf,
  findOrphanedBy,
  resolveLineage,
} from '@lineage/domain';
import { readList, toGraphNode, toGraphRelationshipEntry } from './neo4j-mapping';
import { KIND_LABELS, NODE_LABEL, RELATIONSHIP_TYPES, typeUnion, validAt } from './neo4j-model';
import type { Neo4jSessions, QueryRunner } from './neo4j-session';
import { run } from './neo4j-session';
import { readString } from './neo4j-values';

/**
 * Lineage questions. The store fetches a slice of the graph in one query — every interval, not
 * filtered by time — and the domain's rules (`resolveLineage`, `findOrphanedBy`) answer as of
 * any time from it. Round trips per question are fixed; they do not grow with the graph.
 */

/** Hops of a lineage walk: the rules go through at most MAX_LINEAGE_DEPTH nodes, plus two terminal edges. */
export const LINEAGE_WALK_DEPTH = MAX_LINEAGE_DEPTH + 2;
/** How many NHIs `orphans` resolves per round trip while it fills a page. */
export const ORPHAN_CHUNK = 256;

const UPSTREAM = typeUnion(LINEAGE_UPSTREAM);
const DOWNSTREAM = typeUnion(LINEAGE_DOWNSTREAM);
const WALKED = typeUnion([...LINEAGE_UPSTREAM, ...LINEAGE_DOWNSTREAM]);

/**
 * The upstream slice around some seeds: walk from each seed against the direction of the
 * upstream types (owner, creator, workload, vendor, sponsor) and along the downstream ones (a
 * credential to the NHI it authenticates), up to LINEAGE_WALK_DEPTH hops. The inline predicate
 * keeps each hop to its allowed direction: a downstream type must leave the node the hop starts
 * at, an upstream type must arrive there. Then, for every node reached, all its upstream
 * relationships in and downstream ones out, with every interval. Needs Neo4j 5.9 or later
 * (quantified path patterns; COLLECT subqueries are 5.6).
 */
export const LINEAGE_SUBGRAPH = `
UNWIND $seeds AS seedId
MATCH (seed:${NODE_LABEL} {id: seedId})
MATCH (seed) ((a)-[r:${WALKED}]-(b) WHERE (type(r) IN $downstream) = (startNode(r) = a)){0,${LINEAGE_WALK_DEPTH}} (x:${NODE_LABEL})
WITH collect(DISTINCT x) AS reached
RETURN reached AS nodes,
       COLLECT {
         UNWIND reached AS n
         MATCH (n)<-[r:${UPSTREAM}]-(m:${NODE_LABEL})
         RETURN {rel: r, from: m.id, to: n.id}
       } + COLLECT {
         UNWIND reached AS n
         MATCH (n)-[r:${DOWNSTREAM}]->(m:${NODE_LABEL})
         RETURN {rel: r, from: n.id, to: m.id}
       } AS relationships`;

/** The NHIs a person may be accountable for: downstream over the accountability types. */
export const ACCOUNTABILITY_CANDIDATES = `
MATCH (:${NODE_LABEL} {id: $personId})-[:${typeUnion(ACCOUNTABILITY_DOWNSTREAM)}]->{1,${LINEAGE_WALK_DEPTH}}(x:${KIND_LABELS.NHI})
RETURN DISTINCT x.id AS id
ORDER BY id`;

/** The credentials of some NHIs that are alive at $asOf: interval valid, status active (or unknown). */
export const ACTIVE_CREDENTIALS = `
UNWIND $ids AS nhiId
MATCH (:${NODE_LABEL} {id: nhiId})<-[r:${RELATIONSHIP_TYPES.AUTHENTICATES}]-(c:${NODE_LABEL})
WHERE ${validAt('r')} AND ${validAt('c')} AND coalesce(c.status, 'active') = 'active'
RETURN nhiId, c
ORDER BY c.id`;

/** NHIs alive at $asOf, in id order, after a cursor. */
export const NHI_PAGE = `
MATCH (n:${KIND_LABELS.NHI})
WHERE n.id > $after AND ${validAt('n')}
RETURN n.id AS id
ORDER BY id
LIMIT $limit`;

export async function fetchLineageGraph(tx: QueryRunner, seeds: readonly string[]): Promise<LineageGraph> {
  const record = (
    await run(tx, LINEAGE_SUBGRAPH, { seeds: [...new Set(seeds)], downstream: [...LINEAGE_DOWNSTREAM] })
  )[0];
  if (!record) return new LineageGraph([], []);
  const nodes = readList(record.get('nodes'), 'lineage nodes').map(toGraphNode);
  const relationships = readList(record.get('relationships'), 'lineage relationships').map(toGraphRelationshipEntry);
  return new LineageGraph(nodes, relationships);
}

/** Active credentials per NHI id, each list in id order. */
export async function activeCredentials(
  tx: QueryRunner,
  nhiIds: readonly string[],
  asOf: EpochMs,
): Promise<Map<string, GraphNode[]>> {
  const result = new Map<string, GraphNode[]>();
  if (nhiIds.length === 0) return result;
  for (const record of await run(tx, ACTIVE_CREDENTIALS, { ids: [...nhiIds], asOf })) {
    const nhiId = readString(record.get('nhiId'), 'NHI id');
    const list = result.get(nhiId) ?? [];
    list.push(toGraphNode(record.get('c')));
    result.set(nhiId, list);
  }
  return result;
}

async function nhiPage(tx: QueryRunner, after: string, asOf: EpochMs, limit: number): Promise<string[]> {
  return (await run(tx, NHI_PAGE, { after, asOf, limit })).map((record) => readString(record.get('id'), 'NHI id'));
}

export class Neo4jLineageQueries {
  constructor(private readonly sessions: Neo4jSessions) {}

  async lineage(id: string, asOf: EpochMs): Promise<Lineage | null> {
    const graph = await this.sessions.read((tx) => fetchLineageGraph(tx, [id]));
    return resolveLineage(graph, id, asOf);
  }

  async orphanedBy(personId: string, asOf: EpochMs): Promise<OrphanedNhi[]> {
    return this.sessions.read(async (tx) => {
      const candidates = (await run(tx, ACCOUNTABILITY_CANDIDATES, { personId })).map((record) =>
        readString(record.get('id'), 'NHI id'),
      );
      if (candidates.length === 0) return [];
      const graph = await fetchLineageGraph(tx, [personId, ...candidates]);
      const orphans = findOrphanedBy(graph, personId, candidates, asOf);
      const credentials = await activeCredentials(
        tx,
        orphans.map((o) => o.root.id),
        asOf,
      );
      return orphans.map((lineage) => ({ lineage, credentials: credentials.get(lineage.root.id) ?? [] }));
    });
  }

  /**
   * NHIs with no active accountable person, in id order: NHIs are resolved a chunk at a time
   * (two queries per chunk) until the page is full. `withTotal` resolves every NHI alive at
   * `asOf` to count them — a full pass over the NHIs, so it is only done when asked.
   */
  async orphans(asOf: EpochMs, page: PageRequest, withTotal: boolean): Promise<Page<Lineage>> {
    const items = await this.sessions.read(async (tx) => {
      let after = page.after ? String(decodeCursor(page.after, 1)[0]) : '';
      const found: Lineage[] = [];
      // One more than the page, to learn whether there is a next page.
      while (found.length <= page.first) {
        const ids = await nhiPage(tx, after, asOf, ORPHAN_CHUNK);
        if (ids.length === 0) break;
        const graph = await fetchLineageGraph(tx, ids);
        for (const id of ids) {
          const lineage = resolveLineage(graph, id, asOf);
          if (lineage && lineage.status !== 'ACCOUNTABLE') found.push(lineage);
          if (found.length > page.first) break;
        }
        after = ids[ids.length - 1]!;
        if (ids.length < ORPHAN_CHUNK) break;
      }
      return found;
    });
    return pageOf(items, page.first, (lineage) => [lineage.root.id], withTotal ? await this.countOrphans(asOf) : -1);
  }

  private async countOrphans(asOf: EpochMs): Promise<number> {
    return this.sessions.read(async (tx) => {
      let count = 0;
      let after = '';
      for (;;) {
        const ids = await nhiPage(tx, after, asOf, ORPHAN_CHUNK * 8);
        if (ids.length === 0) break;
        const graph = await fetchLineageGraph(tx, ids);
        for (const id of ids) if (resolveLineage(graph, id, asOf)?.status !== 'ACCOUNTABLE') count++;
        after = ids[ids.length - 1]!;
      }
      return count;
    });
  }
}
