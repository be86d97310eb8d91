import type { EpochMs, GraphNode, GraphRelationship, OffboardingContext } from '@lineage/domain';
import { LINEAGE_DOWNSTREAM, MAX_MANAGER_ESCALATION, OFFBOARDING_ROLE_DEPTH } from '@lineage/domain';
import { NODES_BY_IDS } from './neo4j-graph-reads';
import { ACCOUNTABILITY_CANDIDATES, LINEAGE_SUBGRAPH } from './neo4j-lineage-queries';
import { readList, toGraphNode, toGraphRelationshipEntry } from './neo4j-mapping';
import { KIND_LABELS, NODE_LABEL } from './neo4j-model';
import type { Neo4jSessions, QueryRunner } from './neo4j-session';
import { run } from './neo4j-session';
import { readString } from './neo4j-values';

/**
 * The offboarding context on Neo4j: what the rules need around a leaver or an ended vendor, in
 * four queries in one read transaction whatever the graph's size — the accountability
 * candidates, their lineage slice (both shared with `orphanedBy`), the query below, and the
 * nodes it names that the slice lacks. Every interval that started by $asOf comes back; the
 * domain's planner evaluates them as of the leaving time.
 */

const NODE = NODE_LABEL;
const STORE = KIND_LABELS.SecretStore;
/** Managers above the subject whose own MANAGES lines are fetched: the subject, then up to the last escalation level. */
const REPORT_HOPS = MAX_MANAGER_ESCALATION - 1;
/** CAN_ASSUME hops after the HAS_ROLE hop. */
const ASSUME_HOPS = OFFBOARDING_ROLE_DEPTH - 1;
// A quantifier's upper bound must be at least 1 (`{0,0}` does not parse).
if (REPORT_HOPS < 1 || ASSUME_HOPS < 1) throw new Error('offboarding hop bounds must allow at least one hop');

/**
 * The subject, and the relationships around it that the lineage slice does not hold (the same
 * set as the embedded store's OFFBOARDING_RELATIONSHIPS):
 * - MANAGES into the subject and up its manager chain;
 * - its HAS_ROLE and CREATED, the roles reachable through CAN_ASSUME, their CAN_ASSUME and GRANTS;
 * - STORED_IN into the secret stores those grants cover (the granted id, or every store under
 *   `<prefix>/` for a grant on `<prefix>/*`: `grantCoversStore` in the domain is the rule);
 * - AUTHENTICATES into the candidate NHIs, and USES into every credential above.
 * Hop bounds come from the domain's constants (numbers, not values: they cannot be parameters).
 */
export const OFFBOARDING_NEIGHBOURHOOD = `
MATCH (s:${NODE} {id: $subjectId})
WITH s,
     COLLECT {
       MATCH (s) ((a)<-[r:MANAGES]-(b) WHERE r.validFrom <= $asOf){0,${REPORT_HOPS}} (m:${NODE})
       RETURN DISTINCT m
     } AS reports,
     COLLECT {
       MATCH (s)-[h:HAS_ROLE]->(first:${NODE}) WHERE h.validFrom <= $asOf
       MATCH (first) ((a)-[c:CAN_ASSUME]->(b) WHERE c.validFrom <= $asOf){0,${ASSUME_HOPS}} (role:${NODE})
       RETURN DISTINCT role
     } AS roles
WITH s, reports, roles,
     COLLECT {
       UNWIND roles AS role
       MATCH (role)-[g:GRANTS]->(x:${NODE}) WHERE g.validFrom <= $asOf
       RETURN DISTINCT x.id
     } AS granted
WITH s, reports, roles,
     COLLECT {
       UNWIND granted AS grantedId
       MATCH (st:${STORE} {id: grantedId})
       RETURN st
     } + COLLECT {
       UNWIND granted AS grantedId
       WITH grantedId WHERE grantedId ENDS WITH '/*'
       MATCH (st:${STORE}) WHERE st.id STARTS WITH left(grantedId, size(grantedId) - 1)
       RETURN st
     } AS stores
WITH s, reports, roles, stores,
     COLLECT {
       MATCH (s)-[c:CREATED]->(k:${NODE}) WHERE c.validFrom <= $asOf
       RETURN k
     } + COLLECT {
       UNWIND $candidates AS nhiId
       MATCH (:${NODE} {id: nhiId})<-[a:AUTHENTICATES]-(k:${NODE}) WHERE a.validFrom <= $asOf
       RETURN k
     } + COLLECT {
       UNWIND stores AS st
       MATCH (st)<-[x:STORED_IN]-(k:${NODE}) WHERE x.validFrom <= $asOf
       RETURN k
     } AS credentials
RETURN s AS subject,
       COLLECT {
         UNWIND reports AS m
         MATCH (m)<-[r:MANAGES]-(x:${NODE}) WHERE r.validFrom <= $asOf
         RETURN {rel: r, from: x.id, to: m.id}
       } + COLLECT {
         MATCH (s)-[r:HAS_ROLE|CREATED]->(x:${NODE}) WHERE r.validFrom <= $asOf
         RETURN {rel: r, from: s.id, to: x.id}
       } + COLLECT {
         UNWIND roles AS role
         MATCH (role)-[r:CAN_ASSUME|GRANTS]->(x:${NODE}) WHERE r.validFrom <= $asOf
         RETURN {rel: r, from: role.id, to: x.id}
       } + COLLECT {
         UNWIND stores AS st
         MATCH (st)<-[r:STORED_IN]-(x:${NODE}) WHERE r.validFrom <= $asOf
         RETURN {rel: r, from: x.id, to: st.id}
       } + COLLECT {
         UNWIND $candidates AS nhiId
         MATCH (n:${NODE} {id: nhiId})<-[r:AUTHENTICATES]-(x:${NODE}) WHERE r.validFrom <= $asOf
         RETURN {rel: r, from: x.id, to: n.id}
       } + COLLECT {
         UNWIND credentials AS k
         MATCH (k)<-[r:USES]-(x:${NODE}) WHERE r.validFrom <= $asOf
         RETURN {rel: r, from: x.id, to: k.id}
       } AS relationships`;

export class Neo4jOffboarding {
  constructor(private readonly sessions: Neo4jSessions) {}

  async context(subjectId: string, asOf: EpochMs): Promise<OffboardingContext | null> {
    return this.sessions.read((tx) => offboardingContext(tx, subjectId, asOf));
  }
}

/** The context, in one transaction (safe to retry: it keeps no state outside itself). */
export async function offboardingContext(
  tx: QueryRunner,
  subjectId: string,
  asOf: EpochMs,
): Promise<OffboardingContext | null> {
  const candidateNhiIds = (await run(tx, ACCOUNTABILITY_CANDIDATES, { personId: subjectId })).map((record) =>
    readString(record.get('id'), 'NHI id'),
  );
  const neighbourhood = (await run(tx, OFFBOARDING_NEIGHBOURHOOD, { subjectId, asOf, candidates: candidateNhiIds }))[0];
  if (!neighbourhood) return null;
  const subject = toGraphNode(neighbourhood.get('subject'));
  const extra = readList(neighbourhood.get('relationships'), 'offboarding relationships').map(toGraphRelationshipEntry);

  const slice = (
    await run(tx, LINEAGE_SUBGRAPH, {
      seeds: [...new Set([subjectId, ...candidateNhiIds])],
      downstream: [...LINEAGE_DOWNSTREAM],
    })
  )[0];
  const nodes: GraphNode[] = slice ? readList(slice.get('nodes'), 'lineage nodes').map(toGraphNode) : [];
  const relationships: GraphRelationship[] = slice
    ? readList(slice.get('relationships'), 'lineage relationships').map(toGraphRelationshipEntry)
    : [];

  const known = new Set([subject.id, ...nodes.map((node) => node.id)]);
  const missing = [...new Set(extra.flatMap((rel) => [rel.from, rel.to]))].filter((id) => !known.has(id));
  const extraNodes =
    missing.length === 0
      ? []
      : (await run(tx, NODES_BY_IDS, { ids: missing })).map((record) => toGraphNode(record.get('n')));

  return {
    subject,
    nodes: [...(nodes.some((node) => node.id === subject.id) ? [] : [subject]), ...nodes, ...extraNodes],
    relationships: [...relationships, ...extra],
    candidateNhiIds,
  };
}
