import type { AccessLevel, BlastRadius, BlastRadiusQuery, GraphNode, GrantRow, RoleReach } from '@lineage/domain';
import { ACCESS_LEVELS, MAX_BLAST_DEPTH, badInput, strongestReach } from '@lineage/domain';
import { toGraphNode } from './neo4j-mapping';
import { KIND_LABELS, NODE_LABEL, RELATIONSHIP_TYPES, typeUnion, validAt } from './neo4j-model';
import type { Neo4jSessions, QueryRunner } from './neo4j-session';
import { run } from './neo4j-session';
import { activeCredentials } from './neo4j-lineage-queries';
import { readString, readStringList } from './neo4j-values';

/**
 * Blast radius: from a credential (the NHIs it authenticates) or another principal, the roles it
 * holds or can assume, then CAN_ASSUME chains between roles, every relationship and role valid
 * at $asOf; the GRANTS of the roles reached go to the domain's `strongestReach`. Five queries,
 * whatever the size of the graph.
 */

const RELATIONS = RELATIONSHIP_TYPES;
const ROLE = KIND_LABELS.Role;

/** The root and the principals it acts as: itself (unless a credential), and the NHIs it authenticates. */
export const BLAST_ROOT = `
MATCH (root:${NODE_LABEL} {id: $rootId})
RETURN root,
       CASE WHEN NOT root:${KIND_LABELS.Credential} AND ${validAt('root')} THEN [root.id] ELSE [] END
       + COLLECT {
           MATCH (root)-[r:${RELATIONS.AUTHENTICATES}]->(p:${NODE_LABEL})
           WHERE ${validAt('r')} AND ${validAt('p')}
           RETURN DISTINCT p.id
         } AS principals`;

/**
 * Roles reached from the principals within `depth` role hops: a first HAS_ROLE or CAN_ASSUME,
 * then CAN_ASSUME between roles (a quantified path pattern, Neo4j 5.9+). Predicates sit inside
 * the pattern, so invalid relationships and roles are never expanded. A path that visits a node
 * twice is dropped (a cycle reaches nothing new). `cut` marks a role at the bound that still has a
 * valid CAN_ASSUME out: the walk stopped short there. The bound cannot be a parameter, so there is
 * one query text per depth, from this template.
 */
export function roleReachQuery(depth: number): string {
  if (!Number.isInteger(depth) || depth < 1 || depth > MAX_BLAST_DEPTH)
    throw badInput('maxDepth', `must be an integer from 1 to ${MAX_BLAST_DEPTH}`);
  const chain =
    depth > 1
      ? `\n             (()-[c:${RELATIONS.CAN_ASSUME} WHERE ${validAt('c')}]->(next:${ROLE} WHERE ${validAt('next')})){0,${depth - 1}}`
      : '';
  return `
UNWIND $principals AS principalId
MATCH (p:${NODE_LABEL} {id: principalId})
MATCH path = (p)-[h:${typeUnion(['HAS_ROLE', 'CAN_ASSUME'])} WHERE ${validAt('h')}]->(first:${ROLE} WHERE ${validAt('first')})${chain}
WHERE all(n IN nodes(path) WHERE single(m IN nodes(path) WHERE m = n))
WITH path, last(nodes(path)) AS role
RETURN [n IN nodes(path) | n.id] AS ids,
       length(path) = $maxDepth AND EXISTS {
         MATCH (role)-[out:${RELATIONS.CAN_ASSUME}]->()
         WHERE ${validAt('out')}
       } AS cut`;
}

/** Query text per depth, index = depth (built once, at module load). */
export const ROLE_REACH: readonly string[] = [
  '',
  ...Array.from({ length: MAX_BLAST_DEPTH }, (_, i) => roleReachQuery(i + 1)),
];

/** GRANTS of the reached roles valid at $asOf, with their resources. */
export const ROLE_GRANTS = `
UNWIND $roleIds AS roleId
MATCH (:${NODE_LABEL} {id: roleId})-[g:${RELATIONS.GRANTS}]->(resource:${NODE_LABEL})
WHERE ${validAt('g')}
RETURN roleId, resource, g.level AS level, g.actions AS actions`;

/** What else holds the credentials: workloads that use them (or run as the NHI), stores that keep them. */
export const HOLDERS = `
UNWIND $held AS heldId
MATCH (:${NODE_LABEL} {id: heldId})<-[r:${typeUnion(['USES', 'RUNS_AS'])}]-(n:${NODE_LABEL})
WHERE ${validAt('r')} AND ${validAt('n')}
RETURN n
UNION
UNWIND $held AS heldId
MATCH (:${NODE_LABEL} {id: heldId})-[r:${RELATIONS.STORED_IN}]->(n:${NODE_LABEL})
WHERE ${validAt('r')} AND ${validAt('n')}
RETURN n`;

function accessLevel(value: unknown): AccessLevel {
  return ACCESS_LEVELS.find((level) => level === value) ?? 'read';
}

export class Neo4jBlastRadius {
  constructor(private readonly sessions: Neo4jSessions) {}

  async blastRadius(query: BlastRadiusQuery): Promise<BlastRadius | null> {
    const reachQuery = ROLE_REACH[query.maxDepth];
    if (!Number.isInteger(query.maxDepth) || !reachQuery) {
      throw badInput('maxDepth', `must be an integer from 1 to ${MAX_BLAST_DEPTH}`);
    }
    return this.sessions.read((tx) => this.compute(tx, query, reachQuery));
  }

  private async compute(tx: QueryRunner, query: BlastRadiusQuery, reachQuery: string): Promise<BlastRadius | null> {
    const { asOf } = query;
    const rootRecord = (await run(tx, BLAST_ROOT, { rootId: query.rootId, asOf }))[0];
    if (!rootRecord) return null;
    const root = toGraphNode(rootRecord.get('root'));
    const principals = readStringList(rootRecord.get('principals'), 'principals');

    const reaches: RoleReach[] = [];
    let truncated = false;
    if (principals.length > 0) {
      for (const record of await run(tx, reachQuery, { principals, asOf, maxDepth: query.maxDepth })) {
        const ids = readStringList(record.get('ids'), 'role path');
        // A credential's paths start at the credential; an NHI's at itself (it is its own principal).
        const path = root.kind === 'Credential' ? [root.id, ...ids] : ids;
        reaches.push({ roleId: ids[ids.length - 1]!, path });
        if (record.get('cut') === true) truncated = true;
      }
    }

    const roleIds = [...new Set(reaches.map((reach) => reach.roleId))];
    const grants: GrantRow[] = [];
    const resources = new Map<string, GraphNode>();
    if (roleIds.length > 0) {
      for (const record of await run(tx, ROLE_GRANTS, { roleIds, asOf })) {
        const resource = toGraphNode(record.get('resource'));
        resources.set(resource.id, resource);
        grants.push({
          roleId: readString(record.get('roleId'), 'role id'),
          resourceId: resource.id,
          level: accessLevel(record.get('level')),
          actions: readStringList(record.get('actions'), 'grant actions'),
        });
      }
    }

    const held =
      root.kind === 'Credential'
        ? [root.id]
        : [root.id, ...((await activeCredentials(tx, [root.id], asOf)).get(root.id) ?? []).map((c) => c.id)];
    const sharedWith = (await run(tx, HOLDERS, { held, asOf }))
      .map((record) => toGraphNode(record.get('n')))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

    return { root, resources: strongestReach(reaches, grants, resources), sharedWith, truncated };
  }
}
