import { fixtureNodeState } from '@lineage/domain/testing';
import type { GraphRelationship, NodeKind, NodeState, RelationKind } from '@lineage/domain';
import { planOffboarding } from '@lineage/domain';
import { int, isInt, Node, Record as Neo4jRecord, Relationship } from 'neo4j-driver';
// The adapter's internals, as its own specs use them: the query texts and the record mapping.
import { NODES_BY_IDS } from '../../libs/store-neo4j/src/neo4j-graph-reads';
import { ACCOUNTABILITY_CANDIDATES, LINEAGE_SUBGRAPH } from '../../libs/store-neo4j/src/neo4j-lineage-queries';
import { nodeProperties, relationshipProperties } from '../../libs/store-neo4j/src/neo4j-mapping';
import { OFFBOARDING_NEIGHBOURHOOD, offboardingContext } from '../../libs/store-neo4j/src/neo4j-offboarding';
import type { QueryRunner } from '../../libs/store-neo4j/src/neo4j-session';

/**
 * The Neo4j adapter's offboarding context without a server: a scripted transaction answers each
 * query the way Neo4j would (driver Records of Nodes and Relationships), and the test checks the
 * context the adapter assembles and the plan the rules build from it. The Cypher itself runs
 * against a real Neo4j in offboarding-planner.test.ts when NEO4J_URI is set.
 */

type Params = Record<string, unknown>;

const T0 = Date.parse('2025-01-01T00:00:00Z');
const LEFT = Date.parse('2025-06-01T00:00:00Z');

const state = (kind: NodeKind, id: string, attributes: NodeState['attributes'] = {}): NodeState => fixtureNodeState(kind, id, T0, { attributes });

function relationship(type: RelationKind, from: string, to: string, evidence: string): GraphRelationship {
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
    evidence: [evidence],
    attributes: {},
  };
}

const driverNode = (s: NodeState) => new Node(int(0), ['Node', s.kind], nodeProperties(s), s.id);
const entry = (r: GraphRelationship) => ({
  rel: new Relationship(int(0), int(0), int(0), r.type, relationshipProperties(r), `${r.from}>${r.to}`),
  from: r.from,
  to: r.to,
});
const record = (fields: Params) => new Neo4jRecord(Object.keys(fields), Object.values(fields));

function plain(value: unknown): unknown {
  if (isInt(value)) return value.toNumber();
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

class ScriptedTransaction {
  readonly calls: { query: string; params: Params }[] = [];
  constructor(private readonly script: Map<string, (params: Params) => Neo4jRecord[]>) {}

  run(query: string, params: Params = {}): Promise<{ records: Neo4jRecord[] }> {
    this.calls.push({ query, params: plain(params) as Params });
    return Promise.resolve({ records: this.script.get(query)?.(plain(params) as Params) ?? [] });
  }

  get runner(): QueryRunner {
    return this as unknown as QueryRunner;
  }
}

// Alice (managed by Bob) owns a bot and created a key for Carol's service.
const alice = state('Person', 'person:alice', { status: 'left', leftAt: LEFT });
const bob = state('Person', 'person:bob', { status: 'active', leftAt: null });
const bot = state('NHI', 'nhi:alice-bot', { lastUsedAt: LEFT - 86_400_000 });
const key = state('Credential', 'cred:alice-key', { credentialKind: 'access_key', status: 'active' });
const owns = relationship('OWNS', 'person:alice', 'nhi:alice-bot', 'evt-owns');
const manages = relationship('MANAGES', 'person:bob', 'person:alice', 'evt-manages');
const created = relationship('CREATED', 'person:alice', 'cred:alice-key', 'evt-key');

function script(subjectFound: boolean): ScriptedTransaction {
  return new ScriptedTransaction(
    new Map([
      [ACCOUNTABILITY_CANDIDATES, () => [record({ id: 'nhi:alice-bot' })]],
      [
        OFFBOARDING_NEIGHBOURHOOD,
        () =>
          subjectFound ? [record({ subject: driverNode(alice), relationships: [entry(manages), entry(created)] })] : [],
      ],
      [LINEAGE_SUBGRAPH, () => [record({ nodes: [driverNode(alice), driverNode(bot)], relationships: [entry(owns)] })]],
      [
        NODES_BY_IDS,
        (params: Params) =>
          [bob, key].filter((s) => (params['ids'] as string[]).includes(s.id)).map((s) => record({ n: driverNode(s) })),
      ],
    ]),
  );
}

describe('Neo4j offboarding context (scripted transaction)', () => {
  it('assembles the subject, the lineage slice and the neighbourhood, fetching only the nodes the slice lacks', async () => {
    const tx = script(true);
    const context = await offboardingContext(tx.runner, 'person:alice', LEFT);

    expect(tx.calls.map((c) => c.query)).toEqual([
      ACCOUNTABILITY_CANDIDATES,
      OFFBOARDING_NEIGHBOURHOOD,
      LINEAGE_SUBGRAPH,
      NODES_BY_IDS,
    ]);
    expect(tx.calls[1]!.params).toEqual({ subjectId: 'person:alice', asOf: LEFT, candidates: ['nhi:alice-bot'] });
    expect(tx.calls[3]!.params).toEqual({ ids: ['person:bob', 'cred:alice-key'] });
    expect(context?.subject.id).toBe('person:alice');
    expect(context?.candidateNhiIds).toEqual(['nhi:alice-bot']);
    expect(context?.nodes.map((n) => n.id)).toEqual(['person:alice', 'nhi:alice-bot', 'person:bob', 'cred:alice-key']);
    expect(context?.relationships.map((r) => `${r.type} ${r.from} ${r.to}`)).toEqual([
      'OWNS person:alice nhi:alice-bot',
      'MANAGES person:bob person:alice',
      'CREATED person:alice cred:alice-key',
    ]);

    const trigger = {
      subjectId: 'person:alice',
      subjectKind: 'Person' as const,
      eventId: 'evt-left',
      eventSource: 'hr',
      eventType: 'hr.person.left',
      effectiveAt: LEFT,
    };
    expect(
      planOffboarding(context, trigger, LEFT).actions.map((a) => [a.action, a.targetId, a.suggestedOwnerId]),
    ).toEqual([
      ['REASSIGN', 'nhi:alice-bot', 'person:bob'],
      ['ROTATE', 'cred:alice-key', null],
    ]);
  });

  it('is null for a subject the graph does not hold', async () => {
    expect(await offboardingContext(script(false).runner, 'person:alice', LEFT)).toBeNull();
  });
});
