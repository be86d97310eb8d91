import type Database from 'better-sqlite3';
import type {
  BlastRadius,
  BlastRadiusQuery,
  EpochMs,
  GraphNode,
  GraphRelationship,
  GrantRow,
  Lineage,
  Neighbour,
  NeighbourQuery,
  OrphanedNhi,
  Page,
  PageRequest,
  RoleReach,
  TimelineEntry,
} from '@lineage/domain';
import {
  ACCOUNTABILITY_DOWNSTREAM,
  LINEAGE_DOWNSTREAM,
  LINEAGE_UPSTREAM,
  LineageGraph,
  MAX_LINEAGE_DEPTH,
  decodeCursor,
  mapPage,
  pageOf,
  findOrphanedBy,
  resolveLineage,
  strongestReach,
} from '@lineage/domain';
import { lineageEdgesWhere } from './sqlite-migrations';
import { RELATIONSHIP_WIDTH, nodeAt, nodeColumns, nodeOf, placeholders, relationshipAt, relationshipColumns, relationshipOf, validAt } from './sqlite-rows';

/** Edges in a lineage walk: the domain's rules hop via at most MAX_LINEAGE_DEPTH nodes, plus two terminal edges. */
const LINEAGE_WALK_DEPTH = MAX_LINEAGE_DEPTH + 2;
/** How many NHIs `orphans` resolves per round trip while filling a page. */
const ORPHAN_CHUNK = 256;

const UPSTREAM_IN = placeholders(LINEAGE_UPSTREAM.length);
const DOWNSTREAM_OUT = placeholders(LINEAGE_DOWNSTREAM.length);
const ACCOUNTABILITY_OUT = placeholders(ACCOUNTABILITY_DOWNSTREAM.length);

/**
 * Edges into a node over the lineage relationships, read through the index that holds them by
 * node with every column (migration 9): one range of it per node, whatever the types asked.
 */
const LINEAGE_INTO = `relationships r INDEXED BY relationships_lineage`;
const INTO_UPSTREAM = `${lineageEdgesWhere('r')} AND +r.type IN ${UPSTREAM_IN}`;

/**
 * Walk upstream from seed ids: the nodes a lineage answer may pass through. Seeds are a JSON
 * array; relationship types come from the domain's constants as parameters.
 */
const UPSTREAM_WALK = `
  WITH RECURSIVE walk(id, depth) AS (
    SELECT value, 0 FROM json_each(@seeds)
    UNION
    SELECT r.src, w.depth + 1 FROM walk w CROSS JOIN ${LINEAGE_INTO} ON r.dst = w.id AND ${INTO_UPSTREAM} WHERE w.depth < @depth
    UNION
    SELECT r.dst, w.depth + 1 FROM walk w CROSS JOIN relationships r ON r.src = w.id AND r.type IN ${DOWNSTREAM_OUT} WHERE w.depth < @depth
  )
  SELECT DISTINCT id FROM walk`;

const DOWNSTREAM_WALK = `
  WITH RECURSIVE down(id, depth) AS (
    SELECT @person, 0
    UNION
    SELECT r.dst, d.depth + 1 FROM down d CROSS JOIN relationships r ON r.src = d.id AND r.type IN ${ACCOUNTABILITY_OUT} WHERE d.depth < @depth
  )
  SELECT DISTINCT n.id FROM down d CROSS JOIN nodes n ON n.id = d.id WHERE n.kind = @nhiKind ORDER BY n.id`;

const ROLE_REACH = `
  WITH RECURSIVE
  principals(id) AS (
    SELECT n.id FROM nodes n WHERE n.id = @root AND n.kind <> @credentialKind AND ${validAt('n')}
    UNION
    SELECT r.dst FROM relationships r JOIN nodes n ON n.id = r.dst
    WHERE r.src = @root AND r.type = @authenticates AND ${validAt('r')} AND ${validAt('n')}
  ),
  reach(role, depth, path) AS (
    SELECT r.dst, 1, json_array(@root, p.id, r.dst)
    FROM principals p JOIN relationships r ON r.src = p.id AND r.type IN (@hasRole, @canAssume) AND ${validAt('r')}
    UNION
    SELECT r.dst, reach.depth + 1, json_insert(reach.path, '$[#]', r.dst)
    -- CROSS JOIN keeps the frontier as the outer loop: without statistics SQLite would otherwise scan
    -- every CAN_ASSUME relationship and look the frontier up inside it.
    FROM reach CROSS JOIN relationships r ON r.src = reach.role AND r.type = @canAssume AND ${validAt('r')}
    WHERE reach.depth < @maxDepth AND NOT EXISTS (SELECT 1 FROM json_each(reach.path) WHERE value = r.dst)
  )
  SELECT reach.role AS role, reach.depth AS depth, reach.path AS path
  FROM reach JOIN nodes n ON n.id = reach.role AND ${validAt('n')}`;

/** Reads for lineage, orphans, blast radius, timelines and lookups on the embedded store. */
export class SqliteGraphReader {
  private readonly upstreamWalk: Database.Statement;
  private readonly downstreamWalk: Database.Statement;
  private readonly nodesByIds: Database.Statement;
  private readonly upstreamRelationships: Database.Statement;
  private readonly nodeById: Database.Statement;
  private readonly nhiPage: Database.Statement;
  private readonly nhiCount: Database.Statement;
  private readonly activeCredentials: Database.Statement;
  private readonly roleReach: Database.Statement;
  private readonly grantsReaching: Database.Statement;
  private readonly truncatedAt: Database.Statement;
  private readonly holders: Database.Statement;
  private readonly timelinePage: Database.Statement;
  private readonly timelineCount: Database.Statement;
  private readonly neighboursOut: Database.Statement;
  private readonly neighboursIn: Database.Statement;
  private readonly neighboursOutCount: Database.Statement;
  private readonly neighboursInCount: Database.Statement;

  constructor(db: Database.Database) {
    this.upstreamWalk = db.prepare(UPSTREAM_WALK);
    this.downstreamWalk = db.prepare(DOWNSTREAM_WALK);
    this.nodesByIds = db.prepare(`SELECT ${nodeColumns()} FROM nodes WHERE id IN (SELECT value FROM json_each(?))`).raw();
    this.upstreamRelationships = db
      .prepare(
        `SELECT ${relationshipColumns('r')} FROM ${LINEAGE_INTO}
         WHERE r.dst IN (SELECT value FROM json_each(@ids)) AND ${INTO_UPSTREAM}
         UNION ALL
         SELECT ${relationshipColumns()} FROM relationships
         WHERE src IN (SELECT value FROM json_each(@ids)) AND type IN ${DOWNSTREAM_OUT}`,
      )
      .raw();
    this.nodeById = db.prepare(`SELECT ${nodeColumns()} FROM nodes WHERE id = ?`).raw();
    this.nhiPage = db.prepare(`SELECT id FROM nodes WHERE kind = @kind AND id > @after AND ${validAt('nodes')} ORDER BY id LIMIT @limit`);
    this.nhiCount = db.prepare(`SELECT count(*) AS n FROM nodes WHERE kind = @kind AND ${validAt('nodes')}`);
    this.activeCredentials = db
      .prepare(
        `SELECT r.dst, ${nodeColumns('n')}
         FROM ${LINEAGE_INTO} JOIN nodes n ON n.id = r.src
         WHERE r.dst IN (SELECT value FROM json_each(@ids)) AND ${lineageEdgesWhere('r')} AND r.type = @authenticates AND ${validAt('r')} AND ${validAt('n')}
           AND coalesce(json_extract(n.attributes, '$.status'), 'active') = 'active'
         ORDER BY n.id`,
      )
      .raw();
    this.roleReach = db.prepare(ROLE_REACH);
    // Each grant with its resource in one pass: the grants come in key order (role, resource),
    // so the node lookups walk the nodes' B-tree in order too.
    this.grantsReaching = db
      .prepare(
        `SELECT r.src, r.attributes, ${nodeColumns('n')}
         FROM relationships r CROSS JOIN nodes n ON n.id = r.dst
         WHERE r.src IN (SELECT value FROM json_each(@roles)) AND r.type = @grants AND ${validAt('r')}`,
      )
      .raw();
    this.truncatedAt = db.prepare(`
      SELECT 1 FROM relationships r
      WHERE r.src IN (SELECT value FROM json_each(@roles)) AND r.type = @canAssume AND ${validAt('r')} LIMIT 1`);
    this.holders = db.prepare(`
      SELECT DISTINCT n.id FROM relationships r JOIN nodes n ON n.id = r.src
      WHERE r.dst IN (SELECT value FROM json_each(@held)) AND r.type IN (@uses, @runsAs) AND ${validAt('r')} AND ${validAt('n')}
      UNION
      SELECT DISTINCT n.id FROM relationships r JOIN nodes n ON n.id = r.dst
      WHERE r.src IN (SELECT value FROM json_each(@held)) AND r.type = @storedIn AND ${validAt('r')} AND ${validAt('n')}`);
    const timelineFilter = `x.entity_id = @entity AND x.time >= @from AND x.time <= @to`;
    this.timelinePage = db.prepare(`
      SELECT e.seq AS seq, e.id AS eventId, e.source AS source, e.type AS type, e.time AS time, e.subject AS subject, e.summary AS summary
      FROM entity_events x JOIN events e ON e.seq = x.seq
      WHERE ${timelineFilter} AND (x.time, x.seq) > (@afterTime, @afterSeq)
      ORDER BY x.time, x.seq LIMIT @limit`);
    this.timelineCount = db.prepare(`SELECT count(*) AS n FROM entity_events x WHERE ${timelineFilter}`);
    const neighbourColumns = `${relationshipColumns('r')}, ${nodeColumns('n')}`;
    this.neighboursOut = db
      .prepare(
        `SELECT ${neighbourColumns} FROM relationships r JOIN nodes n ON n.id = r.dst
         WHERE r.src = @id AND r.type = @type AND ${validAt('r')} AND n.id > @after ORDER BY n.id LIMIT @limit`,
      )
      .raw();
    this.neighboursIn = db
      .prepare(
        `SELECT ${neighbourColumns} FROM relationships r JOIN nodes n ON n.id = r.src
         WHERE r.dst = @id AND r.type = @type AND ${validAt('r')} AND n.id > @after ORDER BY n.id LIMIT @limit`,
      )
      .raw();
    this.neighboursOutCount = db.prepare(`SELECT count(*) AS n FROM relationships r WHERE r.src = @id AND r.type = @type AND ${validAt('r')}`);
    this.neighboursInCount = db.prepare(`SELECT count(*) AS n FROM relationships r WHERE r.dst = @id AND r.type = @type AND ${validAt('r')}`);
  }

  getNode(id: string): GraphNode | null {
    const row = this.nodeById.get(id) as unknown[] | undefined;
    return row ? nodeOf(row) : null;
  }

  getNodes(ids: readonly string[]): GraphNode[] {
    return (this.nodesByIds.all(JSON.stringify(ids)) as unknown[][]).map(nodeOf);
  }

  /** The upstream slice of the graph around `seeds`, every interval included, in three queries. */
  lineageGraph(seeds: readonly string[]): LineageGraph {
    const slice = this.lineageSlice(seeds);
    return new LineageGraph(slice.nodes, slice.relationships);
  }

  /** `lineageGraph` as rows, for callers that add more of the graph to it (offboarding). */
  lineageSlice(seeds: readonly string[]): { nodes: GraphNode[]; relationships: GraphRelationship[] } {
    const ids = (this.upstreamWalk.all(...LINEAGE_UPSTREAM, ...LINEAGE_DOWNSTREAM, { seeds: JSON.stringify(seeds), depth: LINEAGE_WALK_DEPTH }) as { id: string }[]).map((r) => r.id);
    const json = JSON.stringify(ids);
    const nodes = (this.nodesByIds.all(json) as unknown[][]).map(nodeOf);
    const relationships = (this.upstreamRelationships.all(...LINEAGE_UPSTREAM, ...LINEAGE_DOWNSTREAM, { ids: json }) as unknown[][]).map(relationshipOf);
    return { nodes, relationships };
  }

  /** The NHIs downstream of a person or vendor over the accountability relations, by id. */
  accountabilityCandidates(subjectId: string): string[] {
    return (this.downstreamWalk.all(...ACCOUNTABILITY_DOWNSTREAM, { person: subjectId, depth: LINEAGE_WALK_DEPTH, nhiKind: 'NHI' }) as { id: string }[]).map((r) => r.id);
  }

  lineage(id: string, asOf: EpochMs): Lineage | null {
    return resolveLineage(this.lineageGraph([id]), id, asOf);
  }

  orphanedBy(personId: string, asOf: EpochMs): OrphanedNhi[] {
    const candidates = this.accountabilityCandidates(personId);
    if (candidates.length === 0) return [];
    const graph = this.lineageGraph([personId, ...candidates]);
    const orphans = findOrphanedBy(graph, personId, candidates, asOf);
    const credentials = this.credentialsOf(orphans.map((o) => o.root.id), asOf);
    return orphans.map((lineage) => ({ lineage, credentials: credentials.get(lineage.root.id) ?? [] }));
  }

  private credentialsOf(nhiIds: readonly string[], asOf: EpochMs): Map<string, GraphNode[]> {
    const result = new Map<string, GraphNode[]>();
    if (nhiIds.length === 0) return result;
    for (const row of this.activeCredentials.all({ ids: JSON.stringify(nhiIds), authenticates: 'AUTHENTICATES', asOf }) as unknown[][]) {
      const nhi = row[0] as string;
      const list = result.get(nhi) ?? [];
      list.push(nodeAt(row, 1));
      result.set(nhi, list);
    }
    return result;
  }

  orphans(asOf: EpochMs, page: PageRequest, withTotal: boolean): Page<Lineage> {
    let after = page.after ? String(decodeCursor(page.after, 1)[0]) : '';
    const items: Lineage[] = [];
    // Resolve NHIs chunk by chunk (one subgraph fetch each) until one more than a page is found.
    while (items.length <= page.first) {
      const ids = (this.nhiPage.all({ kind: 'NHI', after, asOf, limit: ORPHAN_CHUNK }) as { id: string }[]).map((r) => r.id);
      const graph = this.lineageGraph(ids);
      for (const id of ids) {
        const lineage = resolveLineage(graph, id, asOf);
        if (lineage && lineage.status !== 'ACCOUNTABLE') items.push(lineage);
      }
      if (ids.length < ORPHAN_CHUNK) break;
      after = ids[ids.length - 1]!;
    }
    return pageOf(items, page.first, (lineage) => [lineage.root.id], withTotal ? this.countOrphans(asOf) : -1);
  }

  private countOrphans(asOf: EpochMs): number {
    const total = (this.nhiCount.get({ kind: 'NHI', asOf }) as { n: number }).n;
    let count = 0;
    let after = '';
    for (let seen = 0; seen < total; ) {
      const ids = (this.nhiPage.all({ kind: 'NHI', after, asOf, limit: 2048 }) as { id: string }[]).map((r) => r.id);
      if (ids.length === 0) break;
      const graph = this.lineageGraph(ids);
      for (const id of ids) if (resolveLineage(graph, id, asOf)?.status !== 'ACCOUNTABLE') count++;
      seen += ids.length;
      after = ids[ids.length - 1]!;
    }
    return count;
  }

  blastRadius(query: BlastRadiusQuery): BlastRadius | null {
    const root = this.getNode(query.rootId);
    if (!root) return null;
    const asOf = query.asOf;
    const params = { root: root.id, asOf, maxDepth: query.maxDepth, credentialKind: 'Credential', authenticates: 'AUTHENTICATES', hasRole: 'HAS_ROLE', canAssume: 'CAN_ASSUME' };
    const reachRows = this.roleReach.all(params) as { role: string; depth: number; path: string }[];
    const reaches: RoleReach[] = reachRows.map((row) => {
      const path = JSON.parse(row.path) as string[];
      // The root of an NHI is its own principal: do not list it twice.
      return { roleId: row.role, path: root.kind === 'Credential' ? path : path.slice(1) };
    });
    const roles = [...new Set(reaches.map((r) => r.roleId))];
    const resources = new Map<string, GraphNode>();
    const grants: GrantRow[] = (this.grantsReaching.all({ roles: JSON.stringify(roles), grants: 'GRANTS', asOf }) as unknown[][]).map((row) => {
      // role, grant attributes, then the resource's node columns.
      const resourceId = row[2] as string;
      if (!resources.has(resourceId)) resources.set(resourceId, nodeAt(row, 2));
      const attributes = JSON.parse(row[1] as string) as { level?: GrantRow['level']; actions?: string[] };
      return { roleId: row[0] as string, resourceId, level: attributes.level ?? 'read', actions: attributes.actions ?? [] };
    });
    const deepest = [...new Set(reachRows.filter((r) => r.depth >= query.maxDepth).map((r) => r.role))];
    const truncated = deepest.length > 0 && this.truncatedAt.get({ roles: JSON.stringify(deepest), canAssume: 'CAN_ASSUME', asOf }) !== undefined;

    // What else holds the same credential: workloads that use it, stores that keep it. For an NHI,
    // the workloads running as it and whatever holds its credentials.
    const held = root.kind === 'Credential' ? [root.id] : [root.id, ...(this.credentialsOf([root.id], asOf).get(root.id) ?? []).map((c) => c.id)];
    const holderIds = (this.holders.all({ held: JSON.stringify(held), uses: 'USES', runsAs: 'RUNS_AS', storedIn: 'STORED_IN', asOf }) as { id: string }[]).map((r) => r.id);
    const sharedWith = this.getNodes(holderIds).sort((a, b) => (a.id < b.id ? -1 : 1));

    return { root, resources: strongestReach(reaches, grants, resources), sharedWith, truncated };
  }

  timeline(entityId: string, from: EpochMs | null, to: EpochMs | null, page: PageRequest): Page<TimelineEntry> {
    const [afterTime, afterSeq] = page.after ? decodeCursor(page.after, 2) : [-Infinity, -1];
    const filter = { entity: entityId, from: from ?? -8.64e15, to: to ?? 8.64e15 };
    const rows = this.timelinePage.all({ ...filter, afterTime, afterSeq, limit: page.first + 1 }) as (TimelineEntry & { seq: number })[];
    const total = (this.timelineCount.get(filter) as { n: number }).n;
    return mapPage(pageOf(rows, page.first, (entry) => [entry.time, entry.seq], total), ({ seq: _seq, ...entry }) => entry);
  }

  neighbours(query: NeighbourQuery): Page<Neighbour> {
    const after = query.page.after ? String(decodeCursor(query.page.after, 1)[0]) : '';
    const params = { id: query.id, type: query.type, asOf: query.asOf };
    const statement = query.direction === 'out' ? this.neighboursOut : this.neighboursIn;
    const rows = statement.all({ ...params, after, limit: query.page.first + 1 }) as unknown[][];
    const items = rows.map((row) => ({ relationship: relationshipAt(row, 0), node: nodeAt(row, RELATIONSHIP_WIDTH) }));
    const count = (query.direction === 'out' ? this.neighboursOutCount : this.neighboursInCount).get(params) as { n: number };
    return pageOf(items, query.page.first, (item) => [item.node.id], count.n);
  }
}
