import type { Finding, FindingsQuery, OwaspNhiRisk, Page, RuleRow, RuleWindow } from '@lineage/domain';
import {
  DAY_MS,
  VAULT_STORE_KINDS,
  findImproperOffboarding,
  isSeverity,
  pageAcrossRisks,
  policyWindows,
  toFinding,
} from '@lineage/domain';
import type { Record as Neo4jRecord } from 'neo4j-driver';
import { isInt } from 'neo4j-driver';
import { fetchLineageGraph } from './neo4j-lineage-queries';
import { readList, toGraphNode } from './neo4j-mapping';
import { KIND_LABELS, NODE_LABEL, RELATIONSHIP_TYPES, typeUnion, validAt } from './neo4j-model';
import type { Neo4jSessions, QueryRunner } from './neo4j-session';
import { run } from './neo4j-session';
import { StoredValueError, readNullableNumber, readString, readStringList } from './neo4j-values';

/**
 * The OWASP NHI findings on Neo4j: each rule of docs/findings.md as one parameterised Cypher
 * query, the port of the embedded store's SQL (`sqlite-findings.ts`) with the same semantics.
 * Every rule pages by subject id (`subject.id > $after`, `ORDER BY subject.id`, `LIMIT $limit`),
 * filters on `$subjectId` when one is asked about, reads `$asOf` wherever the SQL does, and
 * returns one row per subject: the subject node, a severity, the detail the sentence is written
 * from, since when, and the evidence lists of the relationships it matched. NHI1 needs the
 * lineage rules: a query narrows to NHIs with an active credential and the domain resolves
 * their lineage slice (the adapter's `fetchLineageGraph`) a chunk at a time. Paging across risks,
 * cursors, counting, sentences and evidence are the domain's, shared with the embedded store.
 *
 * Labels and types come from the model (`neo4j-model.ts`); the only literals are the rules' own
 * constants (`'active'`, `'repo_file'`, `'admin'`, `'prod'`, severity names), as in the SQL.
 */

const NODE = NODE_LABEL;
const REL = RELATIONSHIP_TYPES;
const CREDENTIAL = KIND_LABELS.Credential;

/** The subject is in the window: after the cursor, and the one subject asked about, if any. */
const IN_WINDOW = `subject.id > $after AND ($subjectId IS NULL OR subject.id = $subjectId)`;

/** `alias` is an active credential: valid at $asOf, status active or unset (the caller matches the label). */
const activeCredential = (alias: string) => `${validAt(alias)} AND coalesce(${alias}.status, 'active') = 'active'`;

/**
 * The order of every list a rule collects (the names in the sentence, the evidence): by the id of
 * the node at the far end of the relationship, then its type and start — the order the SQL states
 * in its aggregates. `collect()` keeps the order of its input rows, which is defined only by an
 * `ORDER BY` in the WITH before it.
 */
const byFarEnd = (far: string, rel = 'r') => `ORDER BY ${far}.id, type(${rel}), ${rel}.validFrom`;

/**
 * The distinct values of `expression` in the order `byFarEnd` gave its rows. Not
 * `collect(DISTINCT …)`, whose order the Cypher manual leaves undefined: a plain `collect()` keeps
 * the rows' order, where equal far ends are adjacent, so dropping a repeat of the last one is enough.
 */
const collectDistinctInOrder = (expression: string) =>
  `reduce(acc = [], value IN collect(${expression}) | CASE WHEN size(acc) > 0 AND acc[-1] = value THEN acc ELSE acc + value END)`;

/** Rows out of every rule: one per subject, in subject id order, at most $limit. */
const PAGE = `ORDER BY subject.id
LIMIT $limit`;

/**
 * NHI2 Secret Leakage: an active credential STORED_IN a store that is not a vault (its `vault`
 * is not true and its `storeKind` is not one of $vaultKinds). CRITICAL when a store is a repo file.
 */
export const SECRET_LEAKAGE = `
MATCH (subject:${CREDENTIAL})-[r:${REL.STORED_IN}]->(store:${NODE})
WHERE ${IN_WINDOW} AND ${activeCredential('subject')} AND ${validAt('r')}
  AND NOT (coalesce(store.vault = true, false) OR coalesce(store.storeKind, '') IN $vaultKinds)
WITH subject, r, store
${byFarEnd('store')}
WITH subject, collect(store.id) AS stores, collect(coalesce(store.storeKind, 'unknown')) AS kinds,
     min(r.validFrom) AS since, collect(r.evidence) AS evidence
RETURN subject,
       CASE WHEN 'repo_file' IN kinds THEN 'CRITICAL' ELSE 'HIGH' END AS severity,
       {stores: stores, kinds: kinds} AS detail, since, evidence
${PAGE}`;

/**
 * NHI3 Vulnerable Third-Party NHI: a node valid at $asOf SUPPLIES-linked from a vendor whose
 * contract ended at or before $asOf, or that no SPONSORS relationship valid at $asOf reaches.
 * HIGH when a vendor ended; since the earliest end (or, unsponsored, the supply's start).
 */
export const THIRD_PARTY = `
MATCH (vendor:${NODE})-[r:${REL.SUPPLIES}]->(subject:${NODE})
WHERE ${IN_WINDOW} AND ${validAt('r')} AND ${validAt('subject')}
WITH subject, vendor, r, coalesce(vendor.endedAt <= $asOf, false) AS ended
WHERE ended OR NOT EXISTS {
  MATCH (vendor)<-[sponsor:${REL.SPONSORS}]-()
  WHERE ${validAt('sponsor')}
}
WITH subject, vendor, r, ended
${byFarEnd('vendor')}
WITH subject, collect(vendor.id) AS vendors, collect(ended) AS endedFlags,
     min(coalesce(vendor.endedAt, r.validFrom)) AS since, collect(r.evidence) AS evidence
RETURN subject,
       CASE WHEN true IN endedFlags THEN 'HIGH' ELSE 'MEDIUM' END AS severity,
       {vendors: vendors, ended: true IN endedFlags} AS detail, since, evidence
${PAGE}`;

/**
 * NHI5 Overprivileged NHI: an NHI valid at $asOf with a direct role (HAS_ROLE or CAN_ASSUME,
 * valid) that GRANTS admin; or, where usage is known (the NHI has ACCESSED something, at any
 * time), a role granting a resource the NHI has not ACCESSED within the usage window. HIGH with admin.
 */
export const OVERPRIVILEGED = `
MATCH (subject:${KIND_LABELS.NHI})-[r:${typeUnion(['HAS_ROLE', 'CAN_ASSUME'])}]->(role:${NODE})
WHERE ${IN_WINDOW} AND ${validAt('subject')} AND ${validAt('r')}
WITH subject, r, role,
     EXISTS {
       MATCH (role)-[g:${REL.GRANTS}]->(:${NODE})
       WHERE ${validAt('g')} AND g.level = 'admin'
     } AS admin,
     EXISTS { MATCH (subject)-[:${REL.ACCESSED}]->() }
     AND EXISTS {
       MATCH (role)-[g:${REL.GRANTS}]->(resource:${NODE})
       WHERE ${validAt('g')}
         AND NOT EXISTS {
           MATCH (subject)-[a:${REL.ACCESSED}]->(resource)
           WHERE a.lastSeen >= $asOf - $usageWindowMs AND a.validFrom <= $asOf
         }
     } AS unused
WHERE admin OR unused
WITH subject, r, role, admin
${byFarEnd('role')}
WITH subject, collect(CASE WHEN admin THEN role.id END) AS adminRoles,
     collect(CASE WHEN NOT admin THEN role.id END) AS unusedRoles,
     min(r.validFrom) AS since, collect(r.evidence) AS evidence
RETURN subject,
       CASE WHEN size(adminRoles) > 0 THEN 'HIGH' ELSE 'MEDIUM' END AS severity,
       {adminRoles: adminRoles, unusedRoles: unusedRoles} AS detail, since, evidence
${PAGE}`;

/**
 * NHI7 Long-Lived Secrets: an active credential with no `expiresAt`, or an expiry further from
 * its creation than $maxExpiryMs, or a last rotation (`lastRotatedAt`, else `createdAt`, else the
 * node's start) older than $rotationMs at $asOf. HIGH when it never expires and is not rotated.
 * Day counts divide integers by $dayMs, so they are whole days (truncated, as the SQL's CAST);
 * there is no age as of a time before the last rotation (null, as in the SQL), and the finding
 * holds since the credential's creation then: which secret it had before is not known.
 */
export const LONG_LIVED_SECRETS = `
MATCH (subject:${CREDENTIAL})
WHERE ${IN_WINDOW} AND ${activeCredential('subject')}
WITH subject, coalesce(subject.createdAt, subject.validFrom) AS createdAt,
     coalesce(subject.lastRotatedAt, subject.createdAt, subject.validFrom) AS rotatedAt
WHERE subject.expiresAt IS NULL
   OR subject.expiresAt - createdAt > $maxExpiryMs
   OR $asOf - rotatedAt > $rotationMs
RETURN subject,
       CASE WHEN subject.expiresAt IS NULL AND $asOf - rotatedAt > $rotationMs THEN 'HIGH' ELSE 'MEDIUM' END AS severity,
       {noExpiry: subject.expiresAt IS NULL,
        expiryDays: (subject.expiresAt - createdAt) / $dayMs,
        ageDays: CASE WHEN $asOf >= rotatedAt THEN ($asOf - rotatedAt) / $dayMs END} AS detail,
       CASE WHEN rotatedAt <= $asOf THEN rotatedAt WHEN createdAt <= $asOf THEN createdAt ELSE subject.validFrom END AS since,
       [] AS evidence
${PAGE}`;

/**
 * NHI8 Environment Isolation: a node that workloads valid at $asOf USE or RUN_AS (valid), some in
 * `prod` and some in another environment.
 */
export const ENVIRONMENT_ISOLATION = `
MATCH (workload:${NODE})-[r:${typeUnion(['USES', 'RUNS_AS'])}]->(subject:${NODE})
WHERE ${IN_WINDOW} AND ${validAt('r')} AND ${validAt('workload')} AND workload.environment IS NOT NULL
WITH subject, r, workload
${byFarEnd('workload')}
WITH subject, collect(workload.id) AS workloads, collect(workload.environment) AS environments,
     max(r.validFrom) AS since, collect(r.evidence) AS evidence
WHERE 'prod' IN environments AND any(environment IN environments WHERE environment <> 'prod')
RETURN subject, 'HIGH' AS severity, {workloads: workloads, environments: environments} AS detail, since, evidence
${PAGE}`;

/** NHI9 NHI Reuse: a credential that more than one workload valid at $asOf USES (valid). HIGH at three or more. */
export const NHI_REUSE = `
MATCH (workload:${NODE})-[r:${REL.USES}]->(subject:${NODE})
WHERE ${IN_WINDOW} AND ${validAt('r')} AND ${validAt('workload')}
WITH subject, r, workload
${byFarEnd('workload')}
WITH subject, ${collectDistinctInOrder('workload.id')} AS workloads, max(r.validFrom) AS since, collect(r.evidence) AS evidence
WHERE size(workloads) > 1
RETURN subject,
       CASE WHEN size(workloads) >= 3 THEN 'HIGH' ELSE 'MEDIUM' END AS severity,
       {workloads: workloads} AS detail, since, evidence
${PAGE}`;

/**
 * NHI10 Human Use of NHI: a person USED the subject at or before $asOf (a use is history: the
 * interval's start is what counts, not whether it is still open). HIGH when a use was interactive.
 */
export const HUMAN_USE = `
MATCH (person:${KIND_LABELS.Person})-[r:${REL.USED}]->(subject:${NODE})
WHERE ${IN_WINDOW} AND r.validFrom <= $asOf
WITH subject, r, person
${byFarEnd('person')}
WITH subject, ${collectDistinctInOrder('person.id')} AS people, collect(coalesce(r.interactive = true, false)) AS interactive,
     min(r.validFrom) AS since, collect(r.evidence) AS evidence
RETURN subject,
       CASE WHEN true IN interactive THEN 'HIGH' ELSE 'MEDIUM' END AS severity,
       {people: people} AS detail, since, evidence
${PAGE}`;

/** NHI1 candidates: nodes valid at $asOf that an active credential AUTHENTICATES (valid), by id. */
export const IMPROPER_OFFBOARDING_CANDIDATES = `
MATCH (credential:${CREDENTIAL})-[r:${REL.AUTHENTICATES}]->(subject:${NODE})
WHERE ${IN_WINDOW} AND ${validAt('r')} AND ${activeCredential('credential')} AND ${validAt('subject')}
RETURN DISTINCT subject.id AS id
ORDER BY id
LIMIT $limit`;

/** The rule query of each risk but NHI1 (lineage) and NHI4 / NHI6 (no fact shows them). */
export const FINDING_RULES: Readonly<Partial<Record<OwaspNhiRisk, string>>> = {
  NHI2: SECRET_LEAKAGE,
  NHI3: THIRD_PARTY,
  NHI5: OVERPRIVILEGED,
  NHI7: LONG_LIVED_SECRETS,
  NHI8: ENVIRONMENT_ISOLATION,
  NHI9: NHI_REUSE,
  NHI10: HUMAN_USE,
};

/** The parameters every rule takes (each query reads the ones it names; Neo4j ignores the rest). */
export function ruleParameters(query: FindingsQuery, window: RuleWindow): Record<string, unknown> {
  return {
    asOf: query.asOf,
    subjectId: query.subjectId,
    after: window.after,
    limit: window.limit,
    ...policyWindows(query.policy),
    dayMs: DAY_MS,
    vaultKinds: [...VAULT_STORE_KINDS],
  };
}

/** A value of a rule's detail map as plain JavaScript: driver Integers become numbers, through lists and maps. */
function plainValue(value: unknown): unknown {
  if (isInt(value)) return value.toNumber();
  if (Array.isArray(value)) return value.map(plainValue);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, plainValue(item)]));
  }
  return value;
}

/** One rule record (`subject, severity, detail, since, evidence`) as the domain's finding. */
export function toRuleFinding(risk: OwaspNhiRisk, record: Neo4jRecord): Finding {
  const subject = toGraphNode(record.get('subject'));
  const what = `${risk} finding on ${subject.id}`;
  const severity: unknown = record.get('severity');
  if (!isSeverity(severity)) throw new StoredValueError(`severity of the ${what}`, severity);
  const detail = plainValue(record.get('detail'));
  if (detail === null || typeof detail !== 'object' || Array.isArray(detail)) {
    throw new StoredValueError(`detail of the ${what}`, detail);
  }
  const row: RuleRow = {
    severity,
    detail: detail as Record<string, unknown>,
    since: readNullableNumber(record.get('since'), `since of the ${what}`),
    evidence: readList(record.get('evidence'), `evidence of the ${what}`).map((list) =>
      readStringList(list, `evidence of the ${what}`),
    ),
  };
  return toFinding(risk, subject, row);
}

/** One rule over a window of subject ids, inside the caller's transaction. */
export async function runFindingRule(
  tx: QueryRunner,
  risk: OwaspNhiRisk,
  query: FindingsQuery,
  window: RuleWindow,
): Promise<Finding[]> {
  if (risk === 'NHI1') {
    return findImproperOffboarding(window, query.asOf, {
      candidates: async (chunk) =>
        (await run(tx, IMPROPER_OFFBOARDING_CANDIDATES, ruleParameters(query, chunk))).map((record) =>
          readString(record.get('id'), 'NHI id'),
        ),
      lineageGraph: (ids) => fetchLineageGraph(tx, ids),
    });
  }
  const rule = FINDING_RULES[risk];
  if (!rule) return [];
  return (await run(tx, rule, ruleParameters(query, window))).map((record) => toRuleFinding(risk, record));
}

export class Neo4jFindings {
  constructor(private readonly sessions: Neo4jSessions) {}

  /**
   * A page of findings (and its count, when asked) in one read transaction: a transient error
   * retries the whole page, which is safe because the work keeps no state outside itself.
   */
  async findings(query: FindingsQuery): Promise<Page<Finding>> {
    return this.sessions.read((tx) =>
      pageAcrossRisks(query, (risk, window) => runFindingRule(tx, risk, query, window)),
    );
  }
}
