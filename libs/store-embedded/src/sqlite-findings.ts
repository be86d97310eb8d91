import type Database from 'better-sqlite3';
import type { EpochMs, Finding, FindingsPolicy, FindingsQuery, GraphNode, OwaspNhiRisk, Page, Severity } from '@lineage/domain';
import { OWASP_NHI_RISKS, UNMAPPED_RISKS, VAULT_STORE_KINDS, decodeCursor, encodeCursor, findingId, riskIndex, resolveLineage } from '@lineage/domain';
import type { SqliteGraphReader } from './sqlite-graph-reader';
import { placeholders, validAt } from './sqlite-rows';

const DAY_MS = 86_400_000;
const MAX_EVIDENCE = 20;

/** One rule's row: the subject, how bad, why, since when, and the evidence (arrays of event ids). */
interface RuleRow {
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

/**
 * Each OWASP NHI rule as one SQL query that pages by subject id. Every rule reads `@asOf`; none
 * scans in TypeScript. NHI1 needs the lineage rules: SQL narrows to NHIs with an active
 * credential, the domain resolves their lineage a chunk at a time. See docs/findings.md.
 */
const RULES: Partial<Record<OwaspNhiRisk, string>> = {
  NHI2: `
    SELECT r.src AS subjectId,
      CASE WHEN max(json_extract(s.attributes, '$.storeKind') = 'repo_file') THEN 'CRITICAL' ELSE 'HIGH' END AS severity,
      json_object('stores', json_group_array(s.id), 'kinds', json_group_array(coalesce(json_extract(s.attributes, '$.storeKind'), 'unknown'))) AS detail,
      min(r.valid_from) AS since, json_group_array(json(r.evidence)) AS evidence
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
      json_object('vendors', json_group_array(v.id), 'ended', max(coalesce(json_extract(v.attributes, '$.endedAt') <= @asOf, 0))) AS detail,
      min(coalesce(json_extract(v.attributes, '$.endedAt'), r.valid_from)) AS since, json_group_array(json(r.evidence)) AS evidence
    FROM relationships r
    JOIN nodes v ON v.id = r.src
    JOIN nodes n ON n.id = r.dst
    WHERE r.type = 'SUPPLIES' AND ${validAt('r')} AND r.dst > @after AND (@subject IS NULL OR r.dst = @subject) AND ${validAt('n')}
      AND (coalesce(json_extract(v.attributes, '$.endedAt') <= @asOf, 0)
           OR NOT EXISTS (SELECT 1 FROM relationships sp WHERE sp.dst = v.id AND sp.type = 'SPONSORS' AND ${validAt('sp')}))
    GROUP BY r.dst ORDER BY r.dst LIMIT @limit`,

  NHI5: `
    SELECT subjectId,
      CASE WHEN max(admin) THEN 'HIGH' ELSE 'MEDIUM' END AS severity,
      json_object('adminRoles', json_group_array(CASE WHEN admin THEN role END), 'unusedRoles', json_group_array(CASE WHEN NOT admin THEN role END)) AS detail,
      min(since) AS since, json_group_array(json(evidence)) AS evidence
    FROM (
      SELECT r.src AS subjectId, r.dst AS role, r.valid_from AS since, r.evidence AS evidence,
        EXISTS (SELECT 1 FROM relationships g WHERE g.src = r.dst AND g.type = 'GRANTS' AND ${validAt('g')} AND json_extract(g.attributes, '$.level') = 'admin') AS admin,
        (EXISTS (SELECT 1 FROM relationships a WHERE a.src = r.src AND a.type = 'ACCESSED')
         AND EXISTS (SELECT 1 FROM relationships g WHERE g.src = r.dst AND g.type = 'GRANTS' AND ${validAt('g')}
                     AND NOT EXISTS (SELECT 1 FROM relationships a WHERE a.src = r.src AND a.type = 'ACCESSED' AND a.dst = g.dst
                                     AND a.last_seen >= @asOf - @usageWindowMs AND a.valid_from <= @asOf))) AS unused
      FROM relationships r JOIN nodes n ON n.id = r.src
      WHERE r.type IN ('HAS_ROLE', 'CAN_ASSUME') AND ${validAt('r')} AND r.src > @after AND (@subject IS NULL OR r.src = @subject)
        AND n.kind = 'NHI' AND ${validAt('n')}
    )
    WHERE admin OR unused
    GROUP BY subjectId ORDER BY subjectId LIMIT @limit`,

  NHI7: `
    SELECT c.id AS subjectId,
      CASE WHEN json_extract(c.attributes, '$.expiresAt') IS NULL
             AND @asOf - coalesce(json_extract(c.attributes, '$.lastRotatedAt'), json_extract(c.attributes, '$.createdAt'), c.valid_from) > @rotationMs
           THEN 'HIGH' ELSE 'MEDIUM' END AS severity,
      json_object(
        'noExpiry', json_extract(c.attributes, '$.expiresAt') IS NULL,
        'expiryDays', (json_extract(c.attributes, '$.expiresAt') - coalesce(json_extract(c.attributes, '$.createdAt'), c.valid_from)) / ${DAY_MS},
        'ageDays', (@asOf - coalesce(json_extract(c.attributes, '$.lastRotatedAt'), json_extract(c.attributes, '$.createdAt'), c.valid_from)) / ${DAY_MS}
      ) AS detail,
      coalesce(json_extract(c.attributes, '$.lastRotatedAt'), json_extract(c.attributes, '$.createdAt'), c.valid_from) AS since,
      '[]' AS evidence
    FROM nodes c
    WHERE c.kind = 'Credential' AND c.id > @after AND (@subject IS NULL OR c.id = @subject) AND ${ACTIVE_CREDENTIAL('c')}
      AND (json_extract(c.attributes, '$.expiresAt') IS NULL
           OR json_extract(c.attributes, '$.expiresAt') - coalesce(json_extract(c.attributes, '$.createdAt'), c.valid_from) > @maxExpiryMs
           OR @asOf - coalesce(json_extract(c.attributes, '$.lastRotatedAt'), json_extract(c.attributes, '$.createdAt'), c.valid_from) > @rotationMs)
    ORDER BY c.id LIMIT @limit`,

  NHI8: `
    SELECT subjectId, 'HIGH' AS severity,
      json_object('workloads', json_group_array(workload), 'environments', json_group_array(env)) AS detail,
      max(since) AS since, json_group_array(json(evidence)) AS evidence
    FROM (
      SELECT r.dst AS subjectId, w.id AS workload, json_extract(w.attributes, '$.environment') AS env, r.valid_from AS since, r.evidence AS evidence
      FROM relationships r JOIN nodes w ON w.id = r.src
      WHERE r.type IN ('USES', 'RUNS_AS') AND ${validAt('r')} AND ${validAt('w')} AND r.dst > @after AND (@subject IS NULL OR r.dst = @subject)
        AND json_extract(w.attributes, '$.environment') IS NOT NULL
    )
    GROUP BY subjectId
    HAVING max(env = ${PROD}) = 1 AND max(env <> ${PROD}) = 1
    ORDER BY subjectId LIMIT @limit`,

  NHI9: `
    SELECT r.dst AS subjectId, CASE WHEN count(DISTINCT r.src) >= 3 THEN 'HIGH' ELSE 'MEDIUM' END AS severity,
      json_object('workloads', json_group_array(DISTINCT r.src)) AS detail,
      max(r.valid_from) AS since, json_group_array(json(r.evidence)) AS evidence
    FROM relationships r JOIN nodes w ON w.id = r.src
    WHERE r.type = 'USES' AND ${validAt('r')} AND ${validAt('w')} AND r.dst > @after AND (@subject IS NULL OR r.dst = @subject)
    GROUP BY r.dst HAVING count(DISTINCT r.src) > 1
    ORDER BY r.dst LIMIT @limit`,

  NHI10: `
    SELECT r.dst AS subjectId,
      CASE WHEN max(coalesce(json_extract(r.attributes, '$.interactive'), 0)) = 1 THEN 'HIGH' ELSE 'MEDIUM' END AS severity,
      json_object('people', json_group_array(DISTINCT r.src)) AS detail,
      min(r.valid_from) AS since, json_group_array(json(r.evidence)) AS evidence
    FROM relationships r JOIN nodes p ON p.id = r.src
    WHERE r.type = 'USED' AND r.valid_from <= @asOf AND p.kind = 'Person' AND r.dst > @after AND (@subject IS NULL OR r.dst = @subject)
    GROUP BY r.dst ORDER BY r.dst LIMIT @limit`,
};

/** NHIs with an active credential, by id: the candidates for NHI1 (improper offboarding). */
const NHI1_CANDIDATES = `
  SELECT DISTINCT r.dst AS id
  FROM relationships r JOIN nodes c ON c.id = r.src JOIN nodes n ON n.id = r.dst
  WHERE r.type = 'AUTHENTICATES' AND ${validAt('r')} AND ${ACTIVE_CREDENTIAL('c')} AND ${validAt('n')}
    AND r.dst > @after AND (@subject IS NULL OR r.dst = @subject)
  ORDER BY r.dst LIMIT @limit`;

const NHI1_CHUNK = 256;

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

  findings(query: FindingsQuery): Page<Finding> {
    const risks = (query.risks ?? OWASP_NHI_RISKS).filter((r) => !UNMAPPED_RISKS.includes(r)).sort((a, b) => riskIndex(a) - riskIndex(b));
    const [afterRisk, afterSubject] = query.page.after ? decodeCursor(query.page.after, 2) : [-1, ''];
    const found: Finding[] = [];
    for (const risk of risks) {
      const index = riskIndex(risk);
      if (index < Number(afterRisk)) continue;
      const after = index === Number(afterRisk) ? String(afterSubject) : '';
      found.push(...this.run(risk, this.params(query, after, query.page.first + 1 - found.length)));
      if (found.length > query.page.first) break;
    }
    const items = found.slice(0, query.page.first);
    const last = items[items.length - 1];
    return {
      items,
      totalCount: query.withTotal ? risks.reduce((sum, risk) => sum + this.count(risk, query), 0) : -1,
      endCursor: last ? encodeCursor([riskIndex(last.risk), last.subject.id]) : null,
      hasNextPage: found.length > query.page.first,
    };
  }

  private params(query: FindingsQuery, after: string, limit: number): RuleParams {
    return { asOf: query.asOf, after, subject: query.subjectId, limit, ...policyParams(query.policy) };
  }

  private count(risk: OwaspNhiRisk, query: FindingsQuery): number {
    let total = 0;
    let after = '';
    for (;;) {
      const page = this.run(risk, this.params(query, after, 5000));
      total += page.length;
      if (page.length < 5000) return total;
      after = page[page.length - 1]!.subject.id;
    }
  }

  private run(risk: OwaspNhiRisk, params: RuleParams): Finding[] {
    if (risk === 'NHI1') return this.improperOffboarding(params);
    const statement = this.rules.get(risk);
    if (!statement) return [];
    const rows = (risk === 'NHI2' ? statement.all(...VAULT_STORE_KINDS, params) : statement.all(params)) as RuleRow[];
    const subjects = new Map(this.reader.getNodes(rows.map((r) => r.subjectId)).map((n) => [n.id, n] as const));
    return rows.flatMap((row) => {
      const subject = subjects.get(row.subjectId);
      if (!subject) return [];
      return [
        {
          id: findingId(risk, subject.id),
          risk,
          subject,
          severity: row.severity,
          summary: summarise(risk, subject, JSON.parse(row.detail) as Record<string, unknown>),
          evidence: flattenEvidence(row.evidence),
          since: row.since,
        },
      ];
    });
  }

  private improperOffboarding(params: RuleParams): Finding[] {
    const findings: Finding[] = [];
    let after = params.after;
    while (findings.length < params.limit) {
      const ids = (this.nhi1Candidates.all({ ...params, after, limit: NHI1_CHUNK }) as { id: string }[]).map((r) => r.id);
      const graph = this.reader.lineageGraph(ids);
      for (const id of ids) {
        const lineage = resolveLineage(graph, id, params.asOf);
        if (!lineage || lineage.status === 'ACCOUNTABLE') continue;
        const orphaned = lineage.status === 'ORPHANED';
        const leftAt = lineage.lastAccountable?.attributes['leftAt'];
        findings.push({
          id: findingId('NHI1', id),
          risk: 'NHI1',
          subject: lineage.root,
          severity: orphaned ? 'CRITICAL' : 'HIGH',
          summary: orphaned
            ? `${id} still has an active credential but nobody active answers for it: ${lineage.reason}.`
            : `${id} still has an active credential and has no owner, creator, workload owner or vendor sponsor.`,
          evidence: [...new Set(lineage.chain.flatMap((s) => s.evidence))].slice(0, MAX_EVIDENCE),
          since: typeof leftAt === 'number' ? leftAt : null,
        });
        if (findings.length >= params.limit) break;
      }
      if (ids.length < NHI1_CHUNK) break;
      after = ids[ids.length - 1]!;
    }
    return findings;
  }
}

function policyParams(policy: FindingsPolicy) {
  return { rotationMs: policy.rotationDays * DAY_MS, maxExpiryMs: policy.maxExpiryDays * DAY_MS, usageWindowMs: policy.usageWindowDays * DAY_MS };
}

function flattenEvidence(json: string): string[] {
  const nested = JSON.parse(json) as (string[] | null)[];
  return [...new Set(nested.flatMap((list) => list ?? []))].slice(0, MAX_EVIDENCE);
}

const list = (value: unknown): string => (Array.isArray(value) ? [...new Set(value.filter((v) => v !== null))].join(', ') : '');

/** One sentence per finding, from the rule's detail columns. */
function summarise(risk: OwaspNhiRisk, subject: GraphNode, detail: Record<string, unknown>): string {
  switch (risk) {
    case 'NHI2':
      return `${subject.id} is kept outside a vault (${list(detail['stores'])}: ${list(detail['kinds'])}).`;
    case 'NHI3':
      return detail['ended']
        ? `${subject.id} is supplied by a vendor whose contract has ended (${list(detail['vendors'])}).`
        : `${subject.id} is supplied by a vendor nobody sponsors (${list(detail['vendors'])}).`;
    case 'NHI5': {
      const admin = list(detail['adminRoles']);
      const unused = list(detail['unusedRoles']);
      return admin
        ? `${subject.id} holds admin access through ${admin}${unused ? `, and grants it has not used through ${unused}` : ''}.`
        : `${subject.id} holds grants it has not used within the usage window through ${unused}.`;
    }
    case 'NHI7': {
      const reasons: string[] = [];
      if (detail['noExpiry']) reasons.push('it never expires');
      else if (typeof detail['expiryDays'] === 'number') reasons.push(`it is valid for ${Math.round(detail['expiryDays'])} days`);
      if (typeof detail['ageDays'] === 'number') reasons.push(`it was last rotated ${Math.floor(detail['ageDays'])} days ago`);
      return `${subject.id} is a long-lived secret: ${reasons.join(' and ')}.`;
    }
    case 'NHI8':
      return `${subject.id} is used across environments (${list(detail['environments'])}) by ${list(detail['workloads'])}.`;
    case 'NHI9':
      return `${subject.id} is shared by several workloads: ${list(detail['workloads'])}.`;
    case 'NHI10':
      return `${subject.id} was used by a person: ${list(detail['people'])}.`;
    case 'NHI1':
    case 'NHI4':
    case 'NHI6':
      return `${subject.id}: ${risk}.`;
  }
}
