import { fixtureNodeState } from '@lineage/domain/testing';
import type { FindingsQuery, GraphRelationship, NodeState } from '@lineage/domain';
import { DAY_MS, DEFAULT_FINDINGS_POLICY, VAULT_STORE_KINDS, decodeCursor } from '@lineage/domain';
import { Node, Record as Neo4jRecord, Relationship, int, isInt } from 'neo4j-driver';
import {
  ENVIRONMENT_ISOLATION,
  FINDING_RULES,
  HUMAN_USE,
  IMPROPER_OFFBOARDING_CANDIDATES,
  LONG_LIVED_SECRETS,
  NHI_REUSE,
  Neo4jFindings,
  OVERPRIVILEGED,
  SECRET_LEAKAGE,
  THIRD_PARTY,
  ruleParameters,
  toRuleFinding,
} from './neo4j-findings';
import { LINEAGE_SUBGRAPH } from './neo4j-lineage-queries';
import { nodeProperties, relationshipProperties } from './neo4j-mapping';
import { validAt } from './neo4j-model';
import type { Neo4jSessions, QueryRunner } from './neo4j-session';
import { StoredValueError } from './neo4j-values';

/**
 * The findings' Cypher without a server: the query texts are snapshotted and checked for what
 * every rule must get right (paging, the subject filter, `$asOf` on every relationship, only
 * parameters), and a scripted transaction answers the queries with driver records so the tests
 * check the findings the adapter builds from them. The rules' semantics run against a real Neo4j
 * in the conformance suite (tests/conformance/findings.conformance.test.ts, NEO4J_URI).
 */

const T0 = Date.parse('2025-01-01T00:00:00Z');
const LEFT = Date.parse('2025-02-01T00:00:00Z');
const NOW = Date.parse('2025-03-01T00:00:00Z');

const RULE_QUERIES = {
  SECRET_LEAKAGE,
  THIRD_PARTY,
  OVERPRIVILEGED,
  LONG_LIVED_SECRETS,
  ENVIRONMENT_ISOLATION,
  NHI_REUSE,
  HUMAN_USE,
} as const;
const ALL_QUERIES = { ...RULE_QUERIES, IMPROPER_OFFBOARDING_CANDIDATES };

describe('finding query texts', () => {
  it.each(Object.entries(ALL_QUERIES))('%s', (_name, query) => {
    expect(query).toMatchSnapshot();
  });

  it('has one rule per risk facts can show, NHI1 going through lineage', () => {
    expect(Object.keys(FINDING_RULES).sort()).toEqual(['NHI10', 'NHI2', 'NHI3', 'NHI5', 'NHI7', 'NHI8', 'NHI9']);
  });

  it.each(Object.entries(ALL_QUERIES))(
    '%s pages by subject id after the cursor, filters on the subject asked about, and is bounded',
    (_name, query) => {
      expect(query).toContain('subject.id > $after AND ($subjectId IS NULL OR subject.id = $subjectId)');
      expect(query).toMatch(/ORDER BY (subject\.id|id)\nLIMIT \$limit$/);
    },
  );

  /** The relationship variables each query binds. */
  const BOUND: Record<keyof typeof ALL_QUERIES, string[]> = {
    SECRET_LEAKAGE: ['r'],
    THIRD_PARTY: ['r', 'sponsor'],
    OVERPRIVILEGED: ['r', 'g', 'g', 'a'],
    LONG_LIVED_SECRETS: [],
    ENVIRONMENT_ISOLATION: ['r'],
    NHI_REUSE: ['r'],
    HUMAN_USE: ['r'],
    IMPROPER_OFFBOARDING_CANDIDATES: ['r'],
  };
  /** Relationships whose rule reads their start only: a use (USED) or an access (ACCESSED) is history. */
  const STARTED_BY_AS_OF = new Set(['HUMAN_USE:r', 'OVERPRIVILEGED:a']);

  it.each(Object.entries(ALL_QUERIES))('%s evaluates every relationship it binds as of $asOf', (name, query) => {
    const bound = [...query.matchAll(/\[(\w+):/g)].map((match) => match[1]!);
    expect(bound).toEqual(BOUND[name as keyof typeof ALL_QUERIES]);
    for (const variable of bound) {
      if (STARTED_BY_AS_OF.has(`${name}:${variable}`)) expect(query).toContain(`${variable}.validFrom <= $asOf`);
      else expect(query).toContain(validAt(variable));
    }
  });

  it('evaluates the nodes as of $asOf where the rule says so', () => {
    expect(SECRET_LEAKAGE).toContain(`${validAt('subject')} AND coalesce(subject.status, 'active') = 'active'`);
    expect(LONG_LIVED_SECRETS).toContain(`${validAt('subject')} AND coalesce(subject.status, 'active') = 'active'`);
    expect(THIRD_PARTY).toContain(validAt('subject'));
    expect(OVERPRIVILEGED).toContain(validAt('subject'));
    expect(ENVIRONMENT_ISOLATION).toContain(validAt('workload'));
    expect(NHI_REUSE).toContain(validAt('workload'));
    expect(IMPROPER_OFFBOARDING_CANDIDATES).toContain(
      `${validAt('credential')} AND coalesce(credential.status, 'active') = 'active'`,
    );
    expect(IMPROPER_OFFBOARDING_CANDIDATES).toContain(validAt('subject'));
  });

  it('takes every value as a parameter, each of which it is given; the only literals are the rules’ constants', () => {
    const query: FindingsQuery = {
      risks: null,
      subjectId: null,
      asOf: NOW,
      page: { first: 1 },
      policy: DEFAULT_FINDINGS_POLICY,
    };
    const given = Object.keys(ruleParameters(query, { after: '', limit: 1 }));
    const constants = ["'active'", "'unknown'", "''", "'repo_file'", "'admin'", "'prod'"];
    const severities = ["'CRITICAL'", "'HIGH'", "'MEDIUM'"];
    for (const text of Object.values(ALL_QUERIES)) {
      for (const [, parameter] of text.matchAll(/\$(\w+)/g)) expect(given).toContain(parameter);
      expect(text).not.toMatch(/"[^"]*"/);
      for (const [literal] of text.matchAll(/'[^']*'/g)) expect([...constants, ...severities]).toContain(literal);
    }
  });

  it('sends the policy in milliseconds and the vault kinds as a list', () => {
    const parameters = ruleParameters(
      {
        risks: null,
        subjectId: 'cred:x',
        asOf: NOW,
        page: { first: 1 },
        policy: { rotationDays: 30, maxExpiryDays: 400, usageWindowDays: 7 },
      },
      { after: 'cred:a', limit: 11 },
    );
    expect(parameters).toEqual({
      asOf: NOW,
      subjectId: 'cred:x',
      after: 'cred:a',
      limit: 11,
      rotationMs: 30 * DAY_MS,
      maxExpiryMs: 400 * DAY_MS,
      usageWindowMs: 7 * DAY_MS,
      dayMs: DAY_MS,
      vaultKinds: [...VAULT_STORE_KINDS],
    });
  });
});

// ---- records ----

const nodeState = (id: string, kind: NodeState['kind'], attributes: NodeState['attributes'] = {}): NodeState =>
  fixtureNodeState(kind, id, T0, { attributes });

function interval(type: GraphRelationship['type'], from: string, to: string, evidence: string[]): GraphRelationship {
  return {
    type,
    from,
    to,
    validFrom: T0,
    validTo: null,
    firstSeen: T0,
    lastSeen: T0,
    confidence: 'declared',
    source: 'test',
    evidence,
    attributes: {},
  };
}

const record = (fields: Record<string, unknown>): Neo4jRecord =>
  new Neo4jRecord(Object.keys(fields), Object.values(fields));
const driverNode = (state: NodeState): Node => new Node(int(0), ['Node', state.kind], nodeProperties(state), state.id);
const driverRel = (rel: GraphRelationship) => ({
  rel: new Relationship(int(0), int(0), int(0), rel.type, relationshipProperties(rel), `${rel.from}-${rel.to}`),
  from: rel.from,
  to: rel.to,
});

describe('rule records to findings', () => {
  const credential = nodeState('cred:k1', 'Credential', { status: 'active', createdAt: T0 });

  it('builds the finding from the subject node, severity, detail (driver integers included), since and evidence', () => {
    const finding = toRuleFinding(
      'NHI7',
      record({
        subject: driverNode(credential),
        severity: 'HIGH',
        detail: { noExpiry: true, expiryDays: null, ageDays: int(200) },
        since: int(T0),
        evidence: [],
      }),
    );
    const { propertyTimes: _times, ...subject } = credential;
    expect(finding).toEqual({
      id: 'NHI7:cred:k1',
      risk: 'NHI7',
      subject,
      severity: 'HIGH',
      summary: 'cred:k1 is a long-lived secret: it never expires and it was last rotated 200 days ago.',
      evidence: [],
      since: T0,
    });
  });

  it('flattens the evidence lists of the matched relationships, each event once', () => {
    const finding = toRuleFinding(
      'NHI2',
      record({
        subject: driverNode(credential),
        severity: 'CRITICAL',
        detail: { stores: ['store:repo', 'store:ci'], kinds: ['repo_file', 'ci_variable'] },
        since: T0,
        evidence: [['stored-in-repo', 'seen-again'], ['stored-in-ci', 'seen-again'], null],
      }),
    );
    expect(finding.evidence).toEqual(['stored-in-repo', 'seen-again', 'stored-in-ci']);
    expect(finding.summary).toBe('cred:k1 is kept outside a vault (store:repo, store:ci: repo_file, ci_variable).');
    expect(finding.severity).toBe('CRITICAL');
  });

  it('refuses a record whose severity or detail is not what the rules return', () => {
    const base = { subject: driverNode(credential), since: null, evidence: [] };
    expect(() => toRuleFinding('NHI9', record({ ...base, severity: 'SEVERE', detail: {} }))).toThrow(StoredValueError);
    expect(() => toRuleFinding('NHI9', record({ ...base, severity: 'HIGH', detail: ['workload:a'] }))).toThrow(
      /detail of the NHI9 finding on cred:k1/,
    );
    expect(() =>
      toRuleFinding('NHI9', record({ ...base, severity: 'HIGH', detail: {}, evidence: [[int(1)]] })),
    ).toThrow(/evidence of the NHI9 finding on cred:k1/);
  });
});

// ---- the store's findings over a scripted transaction ----

type Params = Record<string, unknown>;

/** Plain JavaScript values of a parameter (the adapter sends integers as driver Integers). */
function plain(value: unknown): unknown {
  if (isInt(value)) return value.toNumber();
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

/** Answers each query text from a script, recording the calls; unscripted queries return no rows. */
class ScriptedTransaction {
  readonly calls: { query: string; params: Params }[] = [];
  constructor(private readonly script: Map<string, (params: Params) => Neo4jRecord[]>) {}

  run(query: string, params: Params = {}): Promise<{ records: Neo4jRecord[] }> {
    const plainParams = plain(params) as Params;
    this.calls.push({ query, params: plainParams });
    return Promise.resolve({ records: this.script.get(query)?.(plainParams) ?? [] });
  }

  callsOf(query: string): Params[] {
    return this.calls.filter((call) => call.query === query).map((call) => call.params);
  }
}

const sessionsOver = (tx: ScriptedTransaction): Neo4jSessions =>
  ({
    read: <T>(work: (runner: QueryRunner) => Promise<T>) => work(tx as unknown as QueryRunner),
  }) as unknown as Neo4jSessions;

/** A rule answering like its query: the subjects after $after, in id order, at most $limit. */
const windowOf = (rows: { id: string; fields: Record<string, unknown> }[]) => (params: Params) =>
  rows
    .filter((row) => row.id > String(params['after']))
    .sort((a, b) => (a.id < b.id ? -1 : 1))
    .slice(0, Number(params['limit']))
    .map((row) => record(row.fields));

describe('Neo4jFindings', () => {
  const leaver = nodeState('person:leaver', 'Person', { status: 'left', leftAt: LEFT });
  const orphan = nodeState('nhi:orphan', 'NHI');
  const key = nodeState('cred:orphan', 'Credential', { status: 'active' });
  const leaked = (id: string, kind: string) => ({
    id,
    fields: {
      subject: driverNode(nodeState(id, 'Credential', { status: 'active' })),
      severity: kind === 'repo_file' ? 'CRITICAL' : 'HIGH',
      detail: { stores: [`store:${id}`], kinds: [kind] },
      since: int(T0),
      evidence: [[`stored-${id}`]],
    },
  });

  function script(): ScriptedTransaction {
    return new ScriptedTransaction(
      new Map([
        [
          IMPROPER_OFFBOARDING_CANDIDATES,
          (params: Params) => (params['after'] === '' ? [record({ id: orphan.id })] : []),
        ],
        [
          LINEAGE_SUBGRAPH,
          () => [
            record({
              nodes: [driverNode(orphan), driverNode(leaver), driverNode(key)],
              relationships: [
                driverRel(interval('OWNS', leaver.id, orphan.id, ['owner-assigned'])),
                driverRel(interval('AUTHENTICATES', key.id, orphan.id, ['key-created'])),
              ],
            }),
          ],
        ],
        [SECRET_LEAKAGE, windowOf([leaked('cred:b', 'ci_variable'), leaked('cred:a', 'repo_file')])],
      ]),
    );
  }

  const query = (extra: Partial<FindingsQuery> = {}): FindingsQuery => ({
    risks: ['NHI2', 'NHI1'],
    subjectId: null,
    asOf: NOW,
    page: { first: 10 },
    policy: DEFAULT_FINDINGS_POLICY,
    ...extra,
  });

  it('resolves NHI1 through the lineage slice and the rules through their queries, in risk then id order', async () => {
    const tx = script();
    const page = await new Neo4jFindings(sessionsOver(tx)).findings(query());
    expect(page.items.map((f) => [f.id, f.severity, f.since])).toEqual([
      ['NHI1:nhi:orphan', 'CRITICAL', LEFT],
      ['NHI2:cred:a', 'CRITICAL', T0],
      ['NHI2:cred:b', 'HIGH', T0],
    ]);
    expect(page.items[0]!.evidence).toEqual(['owner-assigned']);
    expect(page.items[0]!.summary).toMatch(/^nhi:orphan still has an active credential but nobody active answers/);
    expect(page.items[1]!.evidence).toEqual(['stored-cred:a']);
    expect(page.hasNextPage).toBe(false);
    expect(page.totalCount).toBe(-1);
    // The lineage slice is fetched for the candidates, and the rule is asked one more than the page.
    expect(tx.callsOf(LINEAGE_SUBGRAPH)[0]!['seeds']).toEqual(['nhi:orphan']);
    expect(tx.callsOf(SECRET_LEAKAGE)).toEqual([
      expect.objectContaining({ asOf: NOW, subjectId: null, after: '', limit: 10, vaultKinds: [...VAULT_STORE_KINDS] }),
    ]);
  });

  it('as of before the leaver left there is no NHI1 finding (lineage is resolved as of the query)', async () => {
    const page = await new Neo4jFindings(sessionsOver(script())).findings(query({ asOf: LEFT - 1 }));
    expect(page.items.map((f) => f.id)).toEqual(['NHI2:cred:a', 'NHI2:cred:b']);
  });

  it('pages with a cursor the next query resumes from, and counts when asked', async () => {
    const tx = script();
    const findings = new Neo4jFindings(sessionsOver(tx));
    const first = await findings.findings(query({ page: { first: 2 }, withTotal: true }));
    expect(first.items.map((f) => f.id)).toEqual(['NHI1:nhi:orphan', 'NHI2:cred:a']);
    expect(first.hasNextPage).toBe(true);
    expect(first.totalCount).toBe(3);
    expect(decodeCursor(first.endCursor!, 2)).toEqual([1, 'cred:a']);

    const candidateQueries = tx.callsOf(IMPROPER_OFFBOARDING_CANDIDATES).length;
    const second = await findings.findings(query({ page: { first: 2, after: first.endCursor } }));
    expect(second.items.map((f) => f.id)).toEqual(['NHI2:cred:b']);
    expect(second.hasNextPage).toBe(false);
    expect(tx.callsOf(SECRET_LEAKAGE).at(-1)).toMatchObject({ after: 'cred:a', limit: 3 });
    // The second page starts past NHI1: it runs no candidate query.
    expect(tx.callsOf(IMPROPER_OFFBOARDING_CANDIDATES)).toHaveLength(candidateQueries);
  });

  it('passes the subject filter to every query it runs', async () => {
    const tx = script();
    await new Neo4jFindings(sessionsOver(tx)).findings(query({ risks: null, subjectId: 'cred:b' }));
    const ran = new Set(tx.calls.map((call) => call.query));
    for (const rule of [...Object.values(FINDING_RULES), IMPROPER_OFFBOARDING_CANDIDATES]) expect(ran).toContain(rule);
    for (const call of tx.calls.filter((c) => c.query !== LINEAGE_SUBGRAPH)) {
      expect(call.params['subjectId']).toBe('cred:b');
    }
  });
});
