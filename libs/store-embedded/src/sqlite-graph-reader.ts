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
  RelationKind,
  RoleReach,
  TimelineEntry,
} from '@lineage/domain';
import {
  ACCOUNTABILITY_DOWNSTREAM,
  ACCOUNTABILITY_FROM_SPONSORED,
  ACCOUNTABILITY_ONWARD,
  LINEAGE_DOWNSTREAM,
  LINEAGE_UPSTREAM,
  LineageGraph,
  MAX_LINEAGE_DEPTH,
  compareIds,
  decodeCursor,
  decodeTimelineCursor,
  departureMembers,
  hasPersonLeft,
  isCredentialLive,
  orphansAmong,
  pageOf,
  personLeftAt,
  resolveLineage,
  strongestReach,
  timelineKey,
} from '@lineage/domain';
import { edgesIntoTable, edgesIntoWhere, lineageEdgesWhere, statementPerType, workloadEdgesWhere } from './sqlite-migrations';
import { RELATIONSHIP_WIDTH, nodeAt, nodeColumns, nodeOf, relationshipAt, relationshipColumns, relationshipOf, sqlStrings, validAt } from './sqlite-rows';
import { timelineLevels } from './sqlite-timeline';

/** Edges in a lineage walk: the domain's rules hop via at most MAX_LINEAGE_DEPTH nodes, plus two terminal edges. */
const LINEAGE_WALK_DEPTH = MAX_LINEAGE_DEPTH + 2;
/** How many NHIs `orphans` resolves per round trip while filling a page. */
const ORPHAN_CHUNK = 256;

/** The edge from a credential to the NHI it authenticates: read with an NHI's lineage, not walked. */
const CREDENTIAL_EDGE: RelationKind = 'AUTHENTICATES';

/*
 * The reads of a lineage slice and its credentials take a list of unique ids (`@ids`, a JSON array)
 * and join it to the table: `json_each(@ids) j CROSS JOIN t ON t.key = j.value`, one seek per id in
 * the list's order (node reads sort theirs; a walk's levels go in the order they were reached, which
 * measured the same). `t.key IN (SELECT value FROM json_each(@ids))` gives the same rows but first
 * copies the list into a temporary B-tree to sort and de-duplicate it (measured in
 * docs/benchmarks.md). Blast radius keeps that form: its grants are read in (role, resource) order.
 */

/**
 * The upstream lineage edges into a set of nodes, every column, read through the index that holds
 * them by node (migration 9): one range of it per node. Naming the index makes a query that stops
 * matching it fail when prepared instead of scanning the table.
 */
const EDGES_INTO = `
  SELECT ${relationshipColumns('r')} FROM json_each(@ids) j CROSS JOIN relationships r INDEXED BY relationships_lineage ON r.dst = j.value
  WHERE ${lineageEdgesWhere('r')} AND +r.type IN ${sqlStrings(LINEAGE_UPSTREAM)}`;

/**
 * The credentials that authenticate a set of NHIs through an edge valid at `@asOf`, each with the
 * NHI it authenticates: the edges from the same index (only their ends and interval, which it
 * holds), and each credential's row from `nodes` in the same pass.
 */
const CREDENTIALS_OF = `
  SELECT r.dst, ${nodeColumns('n')}
  FROM json_each(@ids) j
    CROSS JOIN relationships r INDEXED BY relationships_lineage ON r.dst = j.value
    CROSS JOIN nodes n ON n.id = r.src
  WHERE ${lineageEdgesWhere('r')} AND +r.type = '${CREDENTIAL_EDGE}' AND ${validAt('r')}`;

/**
 * What is downstream of a person or vendor over the edges through which accountability can pass,
 * by id: every accountability relation out of the subject, then only those the rules continue
 * through (ACCOUNTABILITY_ONWARD, or ACCOUNTABILITY_FROM_SPONSORED from what the subject sponsors).
 * `sponsored` is null for the subject, 1 for a node it sponsors, 0 for any other. Each step is a
 * seek per type into the primary key (type, src, …), so the types pruned are seeks saved.
 */
const DOWNSTREAM_WALK = `
  WITH RECURSIVE down(id, sponsored, depth) AS (
    SELECT @subject, NULL, 0
    UNION
    SELECT r.dst, r.type = 'SPONSORS', d.depth + 1 FROM down d CROSS JOIN relationships r
      ON r.src = d.id AND r.type IN ${sqlStrings(ACCOUNTABILITY_DOWNSTREAM)} WHERE d.sponsored IS NULL AND d.depth < @depth
    UNION
    SELECT r.dst, 0, d.depth + 1 FROM down d CROSS JOIN relationships r
      ON r.src = d.id AND r.type IN ${sqlStrings(ACCOUNTABILITY_FROM_SPONSORED)} WHERE d.sponsored = 1 AND d.depth < @depth
    UNION
    SELECT r.dst, 0, d.depth + 1 FROM down d CROSS JOIN relationships r
      ON r.src = d.id AND r.type IN ${sqlStrings(ACCOUNTABILITY_ONWARD)} WHERE d.sponsored = 0 AND d.depth < @depth
  )
  SELECT DISTINCT id FROM down`;

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
  -- CROSS JOIN: each role reached is one lookup by key (given the choice, the planner scans every
  -- Role in the kind index instead: ten times slower).
  SELECT reach.role AS role, reach.depth AS depth, reach.path AS path
  FROM reach CROSS JOIN nodes n ON n.id = reach.role AND n.kind = @roleKind AND ${validAt('n')}`;

/** The nodes and relationships a lineage answer may read; see `SqliteGraphReader.lineageSlice`. */
export interface LineageSlice {
  readonly nodes: GraphNode[];
  readonly relationships: GraphRelationship[];
}

/** Reads for lineage, orphans, blast radius, timelines and lookups on the embedded store. */
export class SqliteGraphReader {
  private readonly edgesInto: Database.Statement;
  private readonly credentialsOf: Database.Statement;
  private readonly edgesOut: Database.Statement;
  private readonly downstreamWalk: Database.Statement;
  private readonly nodesByIds: Database.Statement;
  private readonly nodeById: Database.Statement;
  private readonly nhiPage: Database.Statement;
  private readonly nhiCount: Database.Statement;
  private readonly roleReach: Database.Statement;
  private readonly grantsReaching: Database.Statement;
  private readonly truncatedAt: Database.Statement;
  private readonly holders: Database.Statement;
  private readonly timelinePage: Database.Statement;
  private readonly timelineCount: Database.Statement;
  private readonly neighboursOut: Database.Statement;
  private readonly neighboursIn: (type: RelationKind) => Database.Statement;
  private readonly neighboursOutCount: Database.Statement;
  private readonly neighboursInCount: (type: RelationKind) => Database.Statement;
  private readonly keptDeparture: Database.Statement;

  constructor(db: Database.Database) {
    this.edgesInto = db.prepare(EDGES_INTO).raw();
    this.credentialsOf = db.prepare(CREDENTIALS_OF).raw();
    this.edgesOut = db
      .prepare(
        `SELECT ${relationshipColumns('r')} FROM json_each(@ids) j CROSS JOIN relationships r ON r.src = j.value AND r.type IN ${sqlStrings(LINEAGE_DOWNSTREAM)}`,
      )
      .raw();
    this.downstreamWalk = db.prepare(DOWNSTREAM_WALK).pluck();
    this.nodesByIds = db.prepare(`SELECT ${nodeColumns('n')} FROM json_each(?) j CROSS JOIN nodes n ON n.id = j.value`).raw();
    this.nodeById = db.prepare(`SELECT ${nodeColumns()} FROM nodes WHERE id = ?`).raw();
    this.nhiPage = db.prepare(`SELECT id FROM nodes WHERE kind = @kind AND id > @after AND ${validAt('nodes')} ORDER BY id LIMIT @limit`);
    this.nhiCount = db.prepare(`SELECT count(*) AS n FROM nodes WHERE kind = @kind AND ${validAt('nodes')}`);
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
      SELECT DISTINCT n.id FROM relationships r INDEXED BY relationships_workload_edges JOIN nodes n ON n.id = r.src
      WHERE r.dst IN (SELECT value FROM json_each(@held)) AND ${workloadEdgesWhere('r')} AND ${validAt('r')} AND ${validAt('n')}
      UNION
      SELECT DISTINCT n.id FROM relationships r JOIN nodes n ON n.id = r.dst
      WHERE r.src IN (SELECT value FROM json_each(@held)) AND r.type = @storedIn AND ${validAt('r')} AND ${validAt('n')}`);
    const timelineFilter = `x.entity_id = @entity AND x.time >= @from AND x.time <= @to`;
    // By (time, source, id), as on Neo4j: not by arrival (seq), which differs between replays of
    // the same events. Each level's index gives its rows in time order; SQLite merges the two
    // and sorts only ties.
    this.timelinePage = db.prepare(
      `${timelineLevels('x')
        .map(
          (level) => `
      SELECT e.id AS eventId, e.source AS source, e.type AS type, x.time AS time, e.subject AS subject, e.summary AS summary
      FROM ${level} JOIN events e ON e.seq = x.seq
      WHERE ${timelineFilter} AND x.time >= @afterTime AND (x.time, e.source, e.id) > (@afterTime, @afterSource, @afterId)`,
        )
        .join(' UNION ALL ')}
      ORDER BY time, source, eventId LIMIT @limit`,
    );
    this.timelineCount = db.prepare(
      `SELECT ${timelineLevels('x')
        .map((level) => `(SELECT count(*) FROM ${level} WHERE ${timelineFilter})`)
        .join(' + ')} AS n`,
    );
    const neighbourColumns = `${relationshipColumns('r')}, ${nodeColumns('n')}`;
    this.neighboursOut = db
      .prepare(
        `SELECT ${neighbourColumns} FROM relationships r JOIN nodes n ON n.id = r.dst
         WHERE r.src = @id AND r.type = @type AND ${validAt('r')} AND n.id > @after ORDER BY n.id LIMIT @limit`,
      )
      .raw();
    this.neighboursIn = statementPerType((type) =>
      db
        .prepare(
          `SELECT ${neighbourColumns} FROM ${edgesIntoTable(type, 'r')} JOIN nodes n ON n.id = r.src
           WHERE r.dst = @id AND ${edgesIntoWhere(type, 'r')} AND ${validAt('r')} AND n.id > @after ORDER BY n.id LIMIT @limit`,
        )
        .raw(),
    );
    this.neighboursOutCount = db.prepare(`SELECT count(*) AS n FROM relationships r WHERE r.src = @id AND r.type = @type AND ${validAt('r')}`);
    this.neighboursInCount = statementPerType((type) =>
      db.prepare(`SELECT count(*) AS n FROM ${edgesIntoTable(type, 'r')} WHERE r.dst = @id AND ${edgesIntoWhere(type, 'r')} AND ${validAt('r')}`),
    );
    this.keptDeparture = db.prepare('SELECT members FROM departures WHERE person_id = ? AND left_at = ? AND members IS NOT NULL').pluck();
  }

  getNode(id: string): GraphNode | null {
    const row = this.nodeById.get(id) as unknown[] | undefined;
    return row ? nodeOf(row) : null;
  }

  getNodes(ids: readonly string[]): GraphNode[] {
    if (ids.length === 0) return [];
    return (this.nodesByIds.all(JSON.stringify([...new Set(ids)].sort(compareIds))) as unknown[][]).map(nodeOf);
  }

  /** The upstream slice of the graph around `seeds`, every interval included. */
  lineageGraph(seeds: readonly string[]): LineageGraph {
    const slice = this.lineageSlice(seeds);
    return new LineageGraph(slice.nodes, slice.relationships);
  }

  /**
   * What a lineage answer about `seeds` may read, as rows, for callers that add more of the graph
   * to it (offboarding). The walk goes upstream a level at a time: each level is one statement
   * that returns the edges into the level's nodes (and one for the edges out of its credentials),
   * so the walk and the relationships it needs are one read. Nodes in `known` are not read again;
   * seeds in `nhis` are NHIs, whose edges out are not asked for.
   */
  lineageSlice(seeds: readonly string[], known?: ReadonlyMap<string, GraphNode>, nhis?: ReadonlySet<string>): LineageSlice {
    const seen = new Set(seeds);
    const relationships: GraphRelationship[] = [];
    let level = [...seen];
    // Level d holds the nodes first reached in d hops; the edges into the last level are read
    // (as the rules may look at them) but their far ends are not added.
    for (let depth = 0; level.length > 0; depth++) {
      const last = depth === LINEAGE_WALK_DEPTH;
      const next: string[] = [];
      const reach = (id: string) => {
        if (last || seen.has(id)) return;
        seen.add(id);
        next.push(id);
      };
      for (const rel of (this.edgesInto.all({ ids: JSON.stringify(level) }) as unknown[][]).map(relationshipOf)) {
        relationships.push(rel);
        reach(rel.from);
      }
      // Only a credential is followed downstream; a node whose kind is known otherwise is not asked.
      const maybeCredentials = level.filter((id) => !nhis?.has(id) && (known?.get(id)?.kind ?? 'Credential') === 'Credential');
      if (maybeCredentials.length > 0) {
        const out = this.edgesOut.all({ ids: JSON.stringify(maybeCredentials) }) as unknown[][];
        for (const rel of out.map(relationshipOf)) {
          relationships.push(rel);
          reach(rel.to);
        }
      }
      level = next;
    }
    return { nodes: this.nodesOf(seen, known).sort((a, b) => compareIds(a.id, b.id)), relationships };
  }

  /** The nodes of `ids`, taken from `known` where it has them and read otherwise (no order promised). */
  nodesOf(ids: Iterable<string>, known: ReadonlyMap<string, GraphNode> | undefined): GraphNode[] {
    const nodes: GraphNode[] = [];
    const unread: string[] = [];
    for (const id of ids) {
      const node = known?.get(id);
      if (node) nodes.push(node);
      else unread.push(id);
    }
    nodes.push(...this.getNodes(unread));
    return nodes;
  }

  /**
   * The NHIs downstream of a person or vendor over the edges accountability passes through (by id),
   * and the nodes the walk reached, for `lineageSlice` not to read twice.
   */
  accountabilityCandidates(subjectId: string): { candidates: string[]; reached: Map<string, GraphNode> } {
    const ids = this.downstreamWalk.all({ subject: subjectId, depth: LINEAGE_WALK_DEPTH }) as string[];
    const reached = this.getNodes(ids);
    const candidates = reached.filter((node) => node.kind === 'NHI').map((node) => node.id);
    return { candidates: candidates.sort(compareIds), reached: new Map(reached.map((node) => [node.id, node])) };
  }

  lineage(id: string, asOf: EpochMs): Lineage | null {
    return resolveLineage(this.lineageGraph([id]), id, asOf);
  }

  orphanedBy(personId: string, asOf: EpochMs): OrphanedNhi[] {
    const person = this.getNode(personId);
    // Nothing to walk for someone who has not left (findOrphanedBy would answer the same).
    if (!person || !hasPersonLeft(person, asOf)) return [];
    const kept = this.keptDeparture.get(person.id, personLeftAt(person)) as string | undefined;
    const { graph, members } = kept === undefined ? this.departure(person) : this.keptMembers(person, JSON.parse(kept) as string[]);
    const orphans = orphansAmong(graph, person, members, asOf);
    const credentials = this.liveCredentials(orphans.map((o) => o.root.id), asOf);
    return orphans.map((lineage) => ({ lineage, credentials: credentials.get(lineage.root.id) ?? [] }));
  }

  /**
   * What a leaver's departure left them answering for (`departureMembers`), from the graph: the
   * walk down from them, and the lineage of everything it reached as it stood the instant before
   * they left. The writer keeps the members (`SqliteDepartures`); `orphanedBy` reads them from here
   * only while they are not kept.
   */
  departure(person: GraphNode): { graph: LineageGraph; members: string[] } {
    const { candidates, reached } = this.accountabilityCandidates(person.id);
    if (candidates.length === 0) return { graph: new LineageGraph([person], []), members: [] };
    const slice = this.lineageSlice([person.id, ...candidates], reached);
    const graph = new LineageGraph(slice.nodes, slice.relationships);
    return { graph, members: departureMembers(graph, person, candidates) };
  }

  /** The lineage slice around a leaver's kept departure members, all of them NHIs. */
  private keptMembers(person: GraphNode, members: string[]): { graph: LineageGraph; members: string[] } {
    const slice = this.lineageSlice([person.id, ...members], new Map([[person.id, person]]), new Set(members));
    return { graph: new LineageGraph(slice.nodes, slice.relationships), members };
  }

  private liveCredentialIds(nhiId: string, asOf: EpochMs): string[] {
    return (this.liveCredentials([nhiId], asOf).get(nhiId) ?? []).map((credential) => credential.id);
  }

  /** The live credentials that authenticate each of `nhiIds` (unique) as of `asOf`, in id order. */
  private liveCredentials(nhiIds: readonly string[], asOf: EpochMs): Map<string, GraphNode[]> {
    const result = new Map<string, GraphNode[]>();
    if (nhiIds.length === 0) return result;
    // The NHI, then the credential's node columns.
    for (const row of this.credentialsOf.all({ ids: JSON.stringify(nhiIds), asOf }) as unknown[][]) {
      const credential = nodeAt(row, 1);
      if (!isCredentialLive(credential, asOf)) continue;
      const nhiId = row[0] as string;
      const list = result.get(nhiId);
      if (list) list.push(credential);
      else result.set(nhiId, [credential]);
    }
    for (const list of result.values()) list.sort((a, b) => compareIds(a.id, b.id));
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
    const params = { root: root.id, asOf, maxDepth: query.maxDepth, credentialKind: 'Credential', roleKind: 'Role', authenticates: 'AUTHENTICATES', hasRole: 'HAS_ROLE', canAssume: 'CAN_ASSUME' };
    const reachRows = this.roleReach.all(params) as { role: string; depth: number; path: string }[];
    // Every role on a path must be a role valid at asOf: one that does not exist (yet, or any more)
    // cannot be assumed, so nothing is reached through it (as on Neo4j). The walk itself does not
    // look roles up (a lookup per step made it ~20% slower); a path's roles before its last are the
    // last roles of its shorter prefixes, which the walk also returns when, and only when, they are valid.
    const validRoles = new Set(reachRows.map((row) => row.role));
    const rows = reachRows
      .map((row) => ({ ...row, path: JSON.parse(row.path) as string[] }))
      .filter((row) => row.path.slice(2).every((id) => validRoles.has(id)));
    // The root of an NHI is its own principal: do not list it twice.
    const reaches: RoleReach[] = rows.map((row) => ({ roleId: row.role, path: root.kind === 'Credential' ? row.path : row.path.slice(1) }));
    const roles = [...new Set(reaches.map((r) => r.roleId))];
    const resources = new Map<string, GraphNode>();
    // A role's grants mostly share their attributes (an admin role's thousands alike): each text is parsed once.
    const grantTerms = new Map<string, Pick<GrantRow, 'level' | 'actions'>>();
    const termsOf = (text: string) => {
      let terms = grantTerms.get(text);
      if (!terms) {
        const attributes = JSON.parse(text) as { level?: GrantRow['level']; actions?: string[] };
        grantTerms.set(text, (terms = { level: attributes.level ?? 'read', actions: attributes.actions ?? [] }));
      }
      return terms;
    };
    const grants: GrantRow[] = (this.grantsReaching.all({ roles: JSON.stringify(roles), grants: 'GRANTS', asOf }) as unknown[][]).map((row) => {
      // role, grant attributes, then the resource's node columns.
      const resourceId = row[2] as string;
      if (!resources.has(resourceId)) resources.set(resourceId, nodeAt(row, 2));
      return { roleId: row[0] as string, resourceId, ...termsOf(row[1] as string) };
    });
    const deepest = [...new Set(rows.filter((r) => r.depth >= query.maxDepth).map((r) => r.role))];
    const truncated = deepest.length > 0 && this.truncatedAt.get({ roles: JSON.stringify(deepest), canAssume: 'CAN_ASSUME', asOf }) !== undefined;

    // What else holds the same credential: workloads that use it, stores that keep it. For an NHI,
    // the workloads running as it and whatever holds its credentials.
    const held = root.kind === 'Credential' ? [root.id] : [root.id, ...this.liveCredentialIds(root.id, asOf)];
    const holderIds = (this.holders.all({ held: JSON.stringify(held), storedIn: 'STORED_IN', asOf }) as { id: string }[]).map((r) => r.id);
    const sharedWith = this.getNodes(holderIds).sort((a, b) => compareIds(a.id, b.id));

    return { root, resources: strongestReach(reaches, grants, resources), sharedWith, truncated };
  }

  timeline(entityId: string, from: EpochMs | null, to: EpochMs | null, page: PageRequest): Page<TimelineEntry> {
    const [afterTime, afterSource, afterId] = page.after ? decodeTimelineCursor(page.after) : [-Infinity, '', ''];
    const filter = { entity: entityId, from: from ?? -8.64e15, to: to ?? 8.64e15 };
    const rows = this.timelinePage.all({ ...filter, afterTime, afterSource, afterId, limit: page.first + 1 }) as TimelineEntry[];
    const total = (this.timelineCount.get(filter) as { n: number }).n;
    return pageOf(rows, page.first, timelineKey, total);
  }

  neighbours(query: NeighbourQuery): Page<Neighbour> {
    const after = query.page.after ? String(decodeCursor(query.page.after, 1)[0]) : '';
    const params = { id: query.id, type: query.type, asOf: query.asOf };
    const statement = query.direction === 'out' ? this.neighboursOut : this.neighboursIn(query.type);
    const rows = statement.all({ ...params, after, limit: query.page.first + 1 }) as unknown[][];
    const items = rows.map((row) => ({ relationship: relationshipAt(row, 0), node: nodeAt(row, RELATIONSHIP_WIDTH) }));
    const count = (query.direction === 'out' ? this.neighboursOutCount : this.neighboursInCount(query.type)).get(params) as { n: number };
    return pageOf(items, query.page.first, (item) => [item.node.id], count.n);
  }
}
