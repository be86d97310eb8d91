import type Database from 'better-sqlite3';
import type { EpochMs, Finding, FindingsQuery, OwaspNhiRisk, Page, RuleWindow, Severity } from '@lineage/domain';
import {
  DAY_MS,
  VAULT_STORE_KINDS,
  findImproperOffboarding,
  pageAcrossRisks,
  policyWindows,
  toFinding,
} from '@lineage/domain';
import type { SqliteGraphReader } from './sqlite-graph-reader';
import { edgesIntoTable, edgesIntoWhere, workloadEdgesWhere } from './sqlite-migrations';
import { placeholders, validAt } from './sqlite-rows';

/** One rule's row: the subject, how bad, why (a JSON object), since when, and the evidence (a JSON array of event-id arrays). */
interface SqlRuleRow {
  subjectId: string;
  severity: Severity;
  detail: string;
  since: number | null;
  evidence: string;
}

interface RuleParams {
  asOf: EpochMs;
  after: string;
  subject: string | null;
  limit: number;
  rotationMs: number;
  maxExpiryMs: number;
  usageWindowMs: number;
}

const ACTIVE_CREDENTIAL = (alias: string) =>
  `${alias}.kind = 'Credential' AND ${validAt(alias)} AND coalesce(json_extract(${alias}.attributes, '$.status'), 'active') = 'active'`;
const VAULT_KINDS = placeholders(VAULT_STORE_KINDS.length);
const PROD = `'prod'`;
/** The expression nodes_workload_environment indexes: it must read exactly so for the index to serve. */
const ENVIRONMENT = (alias: string) => `json_extract(${alias}.attributes, '$.environment')`;
/** The role grants admin on something (served by the partial index relationships_admin_grants). */
const ADMIN_ROLE = (role: string) =>
  `EXISTS (SELECT 1 FROM relationships g WHERE g.type = 'GRANTS' AND g.src = ${role} AND json_extract(g.attributes, '$.level') = 'admin' AND ${validAt('g')})`;
/** A role `r` the NHI `n` holds or may assume at @asOf. */
const HELD_ROLE = `r.type IN ('HAS_ROLE', 'CAN_ASSUME') AND r.src = n.id AND ${validAt('r')}`;
/** Usage of the NHI is known, and the role grants a resource it has not accessed within the window. */
const UNUSED_GRANT = (nhi: string, role: string) => `(
  EXISTS (SELECT 1 FROM relationships a WHERE a.type = 'ACCESSED' AND a.src = ${nhi})
  AND EXISTS (SELECT 1 FROM relationships g WHERE g.type = 'GRANTS' AND g.src = ${role} AND ${validAt('g')}
              AND NOT EXISTS (SELECT 1 FROM relationships a WHERE a.type = 'ACCESSED' AND a.src = ${nhi} AND a.dst = g.dst
                              AND a.last_seen >= @asOf - @usageWindowMs AND a.valid_from <= @asOf)))`;
/** A held role `r` that makes the NHI `n` overprivileged: it grants admin, or a grant it has not used. */
const FINDING_ROLE = `${HELD_ROLE} AND (${ADMIN_ROLE('r.dst')} OR ${UNUSED_GRANT('n.id', 'r.dst')})`;

/** NHI7's terms on credential `c`: its expiry, its creation (else its start), its last rotation (else its creation). */
const EXPIRES_AT = `json_extract(c.attributes, '$.expiresAt')`;
const CREATED_AT = `coalesce(json_extract(c.attributes, '$.createdAt'), c.valid_from)`;
const ROTATED_AT = `coalesce(json_extract(c.attributes, '$.lastRotatedAt'), json_extract(c.attributes, '$.createdAt'), c.valid_from)`;

/**
 * The order of every list a rule aggregates (the names in the sentence, the evidence): by the
 * id of what the relationship leads to or comes from, then type and start, the relationship's
 * key. Stated, not left to the plan, so that Neo4j (`ORDER BY` before `collect`) lists alike.
 */
const BY_DST = 'ORDER BY r.dst, r.type, r.valid_from';
const BY_SRC = 'ORDER BY r.src, r.type, r.valid_from';

/**
 * Each OWASP NHI rule as one SQL query that pages by subject id. Every rule reads `@asOf`; none
 * scans in TypeScript. NHI1 needs the lineage rules: SQL narrows to NHIs with an active
 * credential, the domain resolves their lineage a chunk at a time. See docs/findings.md.
 */
const RULES: Partial<Record<OwaspNhiRisk, string>> = {
  NHI2: `
    SELECT r.src AS subjectId,
      CASE WHEN max(json_extract(s.attributes, '$.storeKind') = 'repo_file') THEN 'CRITICAL' ELSE 'HIGH' END AS severity,
      json_object('stores', json_group_array(s.id ${BY_DST}), 'kinds', json_group_array(coalesce(json_extract(s.attributes, '$.storeKind'), 'unknown') ${BY_DST})) AS detail,
      min(r.valid_from) AS since, json_group_array(json(r.evidence) ${BY_DST}) AS evidence
    FROM relationships r
    JOIN nodes c ON c.id = r.src
    JOIN nodes s ON s.id = r.dst
    WHERE r.type = 'STORED_IN' AND ${validAt('r')} AND r.src > @after AND (@subject IS NULL OR r.src = @subject)
      AND ${ACTIVE_CREDENTIAL('c')}
      AND NOT (coalesce(json_extract(s.attributes, '$.vault'), 0) = 1 OR coalesce(json_extract(s.attributes, '$.storeKind'), '') IN ${VAULT_KINDS})
    GROUP BY r.src ORDER BY r.src LIMIT @limit`,

  NHI3: `
    SELECT r.dst AS subjectId,
      CASE WHEN max(coalesce(json_extract(v.attributes, '$.endedAt') <= @asOf, 0)) THEN 'HIGH' ELSE 'MEDIUM' END AS severity,
      json_object('vendors', json_group_array(v.id ${BY_SRC}), 'ended', max(coalesce(json_extract(v.attributes, '$.endedAt') <= @asOf, 0))) AS detail,
      min(coalesce(json_extract(v.attributes, '$.endedAt'), r.valid_from)) AS since, json_group_array(json(r.evidence) ${BY_SRC}) AS evidence
    FROM ${edgesIntoTable('SUPPLIES', 'r')}
    JOIN nodes v ON v.id = r.src
    JOIN nodes n ON n.id = r.dst
    WHERE ${edgesIntoWhere('SUPPLIES', 'r')} AND ${validAt('r')} AND r.dst > @after AND (@subject IS NULL OR r.dst = @subject) AND ${validAt('n')}
      AND (coalesce(json_extract(v.attributes, '$.endedAt') <= @asOf, 0)
           OR NOT EXISTS (SELECT 1 FROM ${edgesIntoTable('SPONSORS', 'sp')} WHERE sp.dst = v.id AND ${edgesIntoWhere('SPONSORS', 'sp')} AND ${validAt('sp')}))
    GROUP BY r.dst ORDER BY r.dst LIMIT @limit`,

  // Driven by NHIs in id order, so LIMIT stops the scan; the role checks only run per candidate.
  NHI5: `
    SELECT subjectId,
      CASE WHEN json_array_length(adminRoles) > 0 THEN 'HIGH' ELSE 'MEDIUM' END AS severity,
      json_object('adminRoles', json(adminRoles), 'unusedRoles', json(unusedRoles)) AS detail,
      since, evidence
    FROM (
      SELECT n.id AS subjectId,
        (SELECT json_group_array(r.dst ${BY_DST}) FROM relationships r
          WHERE ${HELD_ROLE} AND ${ADMIN_ROLE('r.dst')}) AS adminRoles,
        (SELECT json_group_array(r.dst ${BY_DST}) FROM relationships r
          WHERE ${HELD_ROLE}
            AND NOT ${ADMIN_ROLE('r.dst')} AND ${UNUSED_GRANT('n.id', 'r.dst')}) AS unusedRoles,
        -- Since and evidence: of the roles that make the finding, not of every role held.
        (SELECT min(r.valid_from) FROM relationships r WHERE ${FINDING_ROLE}) AS since,
        (SELECT json_group_array(json(r.evidence) ${BY_DST}) FROM relationships r
          WHERE ${FINDING_ROLE}) AS evidence
      FROM nodes n
      WHERE n.kind = 'NHI' AND n.id > @after AND (@subject IS NULL OR n.id = @subject) AND ${validAt('n')}
        AND EXISTS (SELECT 1 FROM relationships r WHERE ${FINDING_ROLE})
      ORDER BY n.id LIMIT @limit
    )`,

  NHI7: `
    SELECT c.id AS subjectId,
      CASE WHEN ${EXPIRES_AT} IS NULL AND @asOf - ${ROTATED_AT} > @rotationMs THEN 'HIGH' ELSE 'MEDIUM' END AS severity,
      json_object(
        'noExpiry', ${EXPIRES_AT} IS NULL,
        'expiryDays', (${EXPIRES_AT} - ${CREATED_AT}) / ${DAY_MS},
        -- Whole days (@asOf binds as a REAL); none before the last rotation, which is still to come then.
        'ageDays', CASE WHEN @asOf >= ${ROTATED_AT} THEN CAST((@asOf - ${ROTATED_AT}) / ${DAY_MS} AS INTEGER) END
      ) AS detail,
      -- Since the secret of @asOf was made: its last rotation, or, as of a time before that (when
      -- the rotation before it is not known), its creation.
      CASE WHEN ${ROTATED_AT} <= @asOf THEN ${ROTATED_AT}
           WHEN ${CREATED_AT} <= @asOf THEN ${CREATED_AT}
           ELSE c.valid_from END AS since,
      '[]' AS evidence
    FROM nodes c
    WHERE c.kind = 'Credential' AND c.id > @after AND (@subject IS NULL OR c.id = @subject) AND ${ACTIVE_CREDENTIAL('c')}
      AND (${EXPIRES_AT} IS NULL OR ${EXPIRES_AT} - ${CREATED_AT} > @maxExpiryMs OR @asOf - ${ROTATED_AT} > @rotationMs)
    ORDER BY c.id LIMIT @limit`,

  // Candidates come from shared_workload_subjects (subjects two workloads have ever used, see
  // migration 8); the covering indexes say per candidate which workloads in which environment.
  NHI8: `
    WITH mixed AS (
      SELECT s.id AS subjectId FROM shared_workload_subjects s
      CROSS JOIN relationships e INDEXED BY relationships_workload_edges ON ${workloadEdgesWhere('e')} AND e.dst = s.id AND ${validAt('e')}
      CROSS JOIN nodes w INDEXED BY nodes_workload_environment ON w.kind = 'Workload' AND w.id = e.src AND ${validAt('w')}
      WHERE s.id > @after AND (@subject IS NULL OR s.id = @subject)
      GROUP BY s.id HAVING max(${ENVIRONMENT('w')} = ${PROD}) = 1 AND max(${ENVIRONMENT('w')} <> ${PROD}) = 1
      ORDER BY s.id LIMIT @limit
    )
    SELECT x.subjectId, 'HIGH' AS severity,
      json_object('workloads', json_group_array(w.id ${BY_SRC}), 'environments', json_group_array(${ENVIRONMENT('w')} ${BY_SRC})) AS detail,
      max(r.valid_from) AS since, json_group_array(json(r.evidence) ${BY_SRC}) AS evidence
    FROM mixed x
    CROSS JOIN relationships r INDEXED BY relationships_workload_edges ON ${workloadEdgesWhere('r')} AND r.dst = x.subjectId AND ${validAt('r')}
    CROSS JOIN nodes w ON w.id = r.src AND ${validAt('w')} AND ${ENVIRONMENT('w')} IS NOT NULL
    GROUP BY x.subjectId ORDER BY x.subjectId`,

  NHI9: `
    SELECT r.dst AS subjectId, CASE WHEN count(DISTINCT r.src) >= 3 THEN 'HIGH' ELSE 'MEDIUM' END AS severity,
      json_object('workloads', json_group_array(DISTINCT r.src ORDER BY r.src)) AS detail,
      max(r.valid_from) AS since, json_group_array(json(r.evidence) ${BY_SRC}) AS evidence
    FROM ${edgesIntoTable('USES', 'r')} JOIN nodes w ON w.id = r.src
    WHERE ${edgesIntoWhere('USES', 'r')} AND ${validAt('r')} AND ${validAt('w')} AND r.dst > @after AND (@subject IS NULL OR r.dst = @subject)
    GROUP BY r.dst HAVING count(DISTINCT r.src) > 1
    ORDER BY r.dst LIMIT @limit`,

  NHI10: `
    SELECT r.dst AS subjectId,
      CASE WHEN max(coalesce(json_extract(r.attributes, '$.interactive'), 0)) = 1 THEN 'HIGH' ELSE 'MEDIUM' END AS severity,
      json_object('people', json_group_array(DISTINCT r.src ORDER BY r.src)) AS detail,
      min(r.valid_from) AS since, json_group_array(json(r.evidence) ${BY_SRC}) AS evidence
    FROM ${edgesIntoTable('USED', 'r')} JOIN nodes p ON p.id = r.src
    WHERE ${edgesIntoWhere('USED', 'r')} AND r.valid_from <= @asOf AND p.kind = 'Person' AND r.dst > @after AND (@subject IS NULL OR r.dst = @subject)
    GROUP BY r.dst ORDER BY r.dst LIMIT @limit`,
};

/**
 * NHIs with an active credential, by id: the candidates for NHI1 (improper offboarding). Driven
 * by NHIs in id order, as NHI5 is, so LIMIT stops the scan; each NHI's credentials are one range
 * of the lineage index.
 */
const NHI1_CANDIDATES = `
  SELECT n.id FROM nodes n INDEXED BY nodes_by_kind
  WHERE n.kind = 'NHI' AND n.id > @after AND (@subject IS NULL OR n.id = @subject) AND ${validAt('n')}
    AND EXISTS (
      SELECT 1 FROM ${edgesIntoTable('AUTHENTICATES', 'r')} CROSS JOIN nodes c ON c.id = r.src
      WHERE r.dst = n.id AND ${edgesIntoWhere('AUTHENTICATES', 'r')} AND ${validAt('r')} AND ${ACTIVE_CREDENTIAL('c')})
  ORDER BY n.id LIMIT @limit`;

export class SqliteFindings {
  private readonly rules = new Map<OwaspNhiRisk, Database.Statement>();
  private readonly nhi1Candidates: Database.Statement;

  constructor(
    db: Database.Database,
    private readonly reader: SqliteGraphReader,
  ) {
    for (const [risk, sql] of Object.entries(RULES) as [OwaspNhiRisk, string][]) this.rules.set(risk, db.prepare(sql));
    this.nhi1Candidates = db.prepare(NHI1_CANDIDATES);
  }

  /** Paging across risks, cursors and counting are the domain's (`pageAcrossRisks`); the rules are the SQL above. */
  async findings(query: FindingsQuery): Promise<Page<Finding>> {
    return pageAcrossRisks(query, (risk, window) => this.run(risk, query, window));
  }

  private params(query: FindingsQuery, window: RuleWindow): RuleParams {
    return { asOf: query.asOf, subject: query.subjectId, ...window, ...policyWindows(query.policy) };
  }

  private run(risk: OwaspNhiRisk, query: FindingsQuery, window: RuleWindow): Finding[] | Promise<Finding[]> {
    if (risk === 'NHI1') return this.improperOffboarding(query, window);
    const statement = this.rules.get(risk);
    if (!statement) return [];
    const params = this.params(query, window);
    const rows = (
      risk === 'NHI2' ? statement.all(...VAULT_STORE_KINDS, params) : statement.all(params)
    ) as SqlRuleRow[];
    const subjects = new Map(this.reader.getNodes(rows.map((r) => r.subjectId)).map((n) => [n.id, n] as const));
    return rows.flatMap((row) => {
      const subject = subjects.get(row.subjectId);
      if (!subject) return [];
      const detail = JSON.parse(row.detail) as Record<string, unknown>;
      const evidence = JSON.parse(row.evidence) as (string[] | null)[];
      return [toFinding(risk, subject, { severity: row.severity, detail, since: row.since, evidence })];
    });
  }

  /** NHI1: SQL narrows to NHIs with an active credential; the domain resolves their lineage a chunk at a time. */
  private improperOffboarding(query: FindingsQuery, window: RuleWindow): Promise<Finding[]> {
    return findImproperOffboarding(window, query.asOf, {
      candidates: (chunk) => (this.nhi1Candidates.all(this.params(query, chunk)) as { id: string }[]).map((r) => r.id),
      lineageGraph: (ids) => this.reader.lineageGraph(ids),
    });
  }
}
