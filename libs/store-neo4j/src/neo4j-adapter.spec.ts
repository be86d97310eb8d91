import { fixtureNodeState } from '@lineage/domain/testing';
import type { AcceptedEvent, GraphFact, GraphRelationship, IngestBatch, NodeState } from '@lineage/domain';
import { int, isInt, Node, Record as Neo4jRecord, Relationship } from 'neo4j-driver';
import { writeBatch } from './neo4j-batch-writer';
import { ROLE_REACH, BLAST_ROOT, HOLDERS, Neo4jBlastRadius, ROLE_GRANTS } from './neo4j-blast-radius';
import {
  CREATE_INTERVALS,
  DELETE_INTERVALS,
  DELETE_PROVISIONAL,
  LOAD_ANCHORED_TO,
  LOAD_NODES,
  LOAD_RELATIONSHIP_KEYS,
  LOCK_NODES,
  LOCK_OR_CREATE_NODES,
  UPSERT_NODES,
  writeFacts,
} from './neo4j-graph-writes';
import {
  BUMP_COUNTERS,
  RECORD_EVENTS,
  SAVE_CHECKPOINT,
  WRITE_DEAD_LETTERS,
  WRITE_FOLLOW_UPS,
  WRITE_TIMELINE,
  writeFollowUps,
  recordEvents,
} from './neo4j-ledger';
import { ACTIVE_CREDENTIALS, LINEAGE_SUBGRAPH, fetchLineageGraph } from './neo4j-lineage-queries';
import { nodeProperties, relationshipProperties } from './neo4j-mapping';
import { RESERVE_SEQUENCE } from './neo4j-sequences';
import type { Neo4jSessions, QueryRunner } from './neo4j-session';
import { resolveLineage } from '@lineage/domain';

/**
 * The adapter's own logic without a server: a scripted transaction answers each query text the
 * way Neo4j would (driver Records of driver Nodes and Relationships), and the tests check what
 * the adapter writes back and the domain answers it builds. Cypher semantics themselves are
 * exercised by the conformance suite against a real Neo4j (NEO4J_URI).
 */

type Params = Record<string, unknown>;
type Responder = (params: Params) => Neo4jRecord[];

class ScriptedTransaction {
  readonly calls: { query: string; params: Params }[] = [];
  constructor(private readonly script: Map<string, Responder> = new Map()) {}

  run(query: string, params: Params = {}): Promise<{ records: Neo4jRecord[] }> {
    this.calls.push({ query, params });
    return Promise.resolve({ records: this.script.get(query)?.(params) ?? [] });
  }

  callsOf(query: string): Params[] {
    return this.calls.filter((call) => call.query === query).map((call) => call.params);
  }

  get runner(): QueryRunner {
    return this as unknown as QueryRunner;
  }
}

/** Plain JavaScript values of a parameter (the adapter sends integers as driver Integers). */
function plain(value: unknown): unknown {
  if (isInt(value)) return value.toNumber();
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

const record = (fields: Params): Neo4jRecord => new Neo4jRecord(Object.keys(fields), Object.values(fields));
const driverNode = (state: NodeState): Node => new Node(int(0), ['Node', state.kind], nodeProperties(state), state.id);
const driverRel = (rel: GraphRelationship) => ({
  rel: new Relationship(int(0), int(0), int(0), rel.type, relationshipProperties(rel), `${rel.from}-${rel.to}`),
  from: rel.from,
  to: rel.to,
});

const T0 = 1_700_000_000_000;

const nodeState = (id: string, kind: NodeState['kind'], extra: Partial<NodeState> = {}): NodeState => fixtureNodeState(kind, id, T0, extra);

function interval(
  type: GraphRelationship['type'],
  from: string,
  to: string,
  extra: Partial<GraphRelationship> = {},
): GraphRelationship {
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
    evidence: ['evt-0'],
    attributes: {},
    ...extra,
  };
}

/** A transaction that creates every relationship it is asked to (the end nodes exist). */
function createsAll(script = new Map<string, Responder>()): Map<string, Responder> {
  for (const query of Object.values(CREATE_INTERVALS)) {
    script.set(query, (params) => [record({ created: int((params['rows'] as unknown[]).length) })]);
  }
  return script;
}

describe('writeFacts', () => {
  it('merges a defining fact into the stored placeholder and fixes its kind label', async () => {
    // A reference guessed the node was a Workload; the defining event says it is an NHI.
    const stored = nodeState('svc:deployer', 'Workload', { placeholder: true, propertyTimes: {} });
    const tx = new ScriptedTransaction(createsAll(new Map([[LOAD_NODES, () => [record({ n: driverNode(stored) })]]])));
    const fact: GraphFact = {
      op: 'node',
      id: 'svc:deployer',
      kind: 'NHI',
      defines: true,
      name: 'deployer',
      attributes: { platform: 'aws', environment: 'prod' },
      time: T0 + 1000,
      evidence: 'evt-1',
      source: 'iam',
    };

    await writeFacts(tx.runner, [fact]);

    expect(tx.callsOf(UPSERT_NODES.Workload)).toHaveLength(0);
    const [upsert] = tx.callsOf(UPSERT_NODES.NHI);
    const row = (plain(upsert!['rows']) as { id: string; props: Params }[])[0]!;
    expect(row.id).toBe('svc:deployer');
    expect(row.props).toMatchObject({
      kind: 'NHI',
      name: 'deployer',
      platform: 'aws',
      environment: 'prod',
      placeholder: false,
      validFrom: T0 + 1000,
    });
    expect(UPSERT_NODES.NHI).toMatch(
      /REMOVE n:Person:Credential:Workload:Vendor:Role:Resource:SecretStore\nSET n:NHI$/,
    );
  });

  it('closes a stored interval by replacing the key: delete, then create the new list', async () => {
    const granted = interval('HAS_ROLE', 'nhi:ci', 'role:deploy');
    const tx = new ScriptedTransaction(
      createsAll(
        new Map<string, Responder>([
          [
            LOAD_NODES,
            () => [
              record({ n: driverNode(nodeState('nhi:ci', 'NHI')) }),
              record({ n: driverNode(nodeState('role:deploy', 'Role')) }),
            ],
          ],
          [LOAD_RELATIONSHIP_KEYS, () => [record({ entry: driverRel(granted) })]],
        ]),
      ),
    );

    await writeFacts(tx.runner, [
      {
        op: 'unrelate',
        type: 'HAS_ROLE',
        from: 'nhi:ci',
        to: 'role:deploy',
        time: T0 + 5000,
        evidence: 'evt-9',
        source: 'iam',
      },
    ]);

    const deleteIndex = tx.calls.findIndex((call) => call.query === DELETE_INTERVALS.HAS_ROLE);
    const createIndex = tx.calls.findIndex((call) => call.query === CREATE_INTERVALS.HAS_ROLE);
    expect(deleteIndex).toBeGreaterThan(-1);
    expect(createIndex).toBeGreaterThan(deleteIndex);
    expect(plain(tx.calls[deleteIndex]!.params['keys'])).toEqual([{ from: 'nhi:ci', to: 'role:deploy' }]);
    const rows = plain(tx.calls[createIndex]!.params['rows']) as { from: string; to: string; props: Params }[];
    expect(rows).toHaveLength(1);
    expect(rows[0]!.props).toMatchObject({ validFrom: T0, validTo: T0 + 5000, evidence: ['evt-0', 'evt-9'] });
    // The closed interval needs no node writes.
    expect(Object.values(UPSERT_NODES).some((query) => tx.callsOf(query).length > 0)).toBe(false);
  });

  it('gives a relationship end that no fact described and the store lacks a placeholder of the inferred kind', async () => {
    // Neither end exists: locking creates both provisionally, and the placeholders replace them.
    const tx = new ScriptedTransaction(
      createsAll(
        new Map([
          [LOCK_OR_CREATE_NODES, (params: Params) => (params['ids'] as string[]).map((id) => record({ created: id }))],
        ]),
      ),
    );
    await writeFacts(tx.runner, [
      {
        op: 'relate',
        type: 'OWNS',
        from: 'person:e7',
        to: 'nhi:bot',
        confidence: 'declared',
        time: T0,
        evidence: 'evt-2',
        source: 'iam',
      },
    ]);

    const person = (plain(tx.callsOf(UPSERT_NODES.Person)[0]?.['rows']) as { props: Params }[])[0]!.props;
    const nhi = (plain(tx.callsOf(UPSERT_NODES.NHI)[0]?.['rows']) as { props: Params }[])[0]!.props;
    expect(person).toMatchObject({ id: 'person:e7', kind: 'Person', placeholder: true, validFrom: T0 });
    expect(person).not.toHaveProperty('provisional');
    expect(nhi).toMatchObject({ id: 'nhi:bot', kind: 'NHI', placeholder: true });
    expect(plain(tx.callsOf(CREATE_INTERVALS.OWNS)[0]?.['rows'])).toEqual([
      expect.objectContaining({ from: 'person:e7', to: 'nhi:bot' }),
    ]);
    expect(tx.callsOf(DELETE_PROVISIONAL)).toHaveLength(0);
  });

  it('locks every node it merges or relates, in id order, before reading any of them', async () => {
    const tx = new ScriptedTransaction(createsAll());
    await writeFacts(tx.runner, [
      { op: 'node', id: 'person:z', kind: 'Person', defines: true, time: T0, evidence: 'e', source: 's' },
      {
        op: 'relate',
        type: 'OWNS',
        from: 'person:m',
        to: 'nhi:a',
        confidence: 'declared',
        time: T0,
        evidence: 'e',
        source: 's',
      },
    ]);
    expect(tx.calls[0]?.query).toBe(LOCK_OR_CREATE_NODES);
    expect(plain(tx.calls[0]?.params['ids'])).toEqual(['nhi:a', 'person:m', 'person:z']);
    expect(tx.calls.findIndex((call) => call.query === LOAD_NODES)).toBeGreaterThan(0);
  });

  it('locks the far end of an anchored relationship and reads the anchor again before closing it', async () => {
    const managed = interval('MANAGES', 'person:m1', 'person:r');
    const tx = new ScriptedTransaction(
      createsAll(new Map([[LOAD_ANCHORED_TO, () => [record({ entry: driverRel(managed) })]]])),
    );
    await writeFacts(tx.runner, [
      {
        op: 'unrelate-others',
        type: 'MANAGES',
        anchor: 'to',
        anchorId: 'person:r',
        keep: ['person:m2'],
        time: T0 + 10,
        evidence: 'evt-m',
        source: 'hr',
      },
    ]);

    expect(tx.callsOf(LOCK_NODES).map((params) => plain(params['ids']))).toEqual([['person:r'], ['person:m1']]);
    expect(tx.callsOf(LOAD_ANCHORED_TO)).toHaveLength(2);
    const rows = plain(tx.callsOf(CREATE_INTERVALS.MANAGES)[0]?.['rows']) as { props: Params }[];
    expect(rows.map((row) => row.props['validTo'])).toEqual([T0 + 10]);
  });

  it('deletes a provisional node that no write replaced', async () => {
    const tx = new ScriptedTransaction(
      createsAll(
        new Map([[LOCK_OR_CREATE_NODES, () => [record({ created: 'person:new' }), record({ created: 'ghost:1' })]]]),
      ),
    );
    await writeFacts(tx.runner, [
      { op: 'node', id: 'person:new', kind: 'Person', defines: true, time: T0, evidence: 'e', source: 's' },
    ]);
    expect(tx.callsOf(DELETE_PROVISIONAL).map((params) => plain(params['ids']))).toEqual([['ghost:1']]);
  });

  it('fails the transaction when Neo4j creates fewer relationships than asked', async () => {
    const tx = new ScriptedTransaction(new Map([[CREATE_INTERVALS.OWNS, () => [record({ created: int(0) })]]]));
    await expect(
      writeFacts(tx.runner, [
        {
          op: 'relate',
          type: 'OWNS',
          from: 'person:e7',
          to: 'nhi:bot',
          confidence: 'declared',
          time: T0,
          evidence: 'e',
          source: 's',
        },
      ]),
    ).rejects.toThrow(/created 0 of 1 relationships/);
  });
});

function event(id: string, facts: GraphFact[] = [], extra: Partial<AcceptedEvent> = {}): AcceptedEvent {
  return {
    source: 'hr',
    id,
    type: 'hr.person.joined',
    time: T0,
    subject: null,
    summary: `event ${id}`,
    entityIds: [],
    facts,
    ...extra,
  };
}

/** RECORD_EVENTS as Neo4j answers it when the events with these ids were already stored. */
function alreadyStored(...ids: string[]): Responder {
  return (params) =>
    (params['events'] as { index: unknown; id: string }[]).map((row) =>
      record({ index: row.index, created: !ids.includes(row.id) }),
    );
}

describe('recordEvents', () => {
  it('sends one row per idempotency key and counts a repeat inside the batch as a duplicate', async () => {
    const tx = new ScriptedTransaction(new Map([[RECORD_EVENTS, alreadyStored('old')]]));
    const outcomes = await recordEvents(tx.runner, [event('a'), event('old'), event('a'), event('b')], T0);

    expect(outcomes).toEqual(['accepted', 'duplicate', 'duplicate', 'accepted']);
    const sent = plain(tx.callsOf(RECORD_EVENTS)[0]!['events']) as { index: number; id: string }[];
    expect(sent.map((row) => [row.index, row.id])).toEqual([
      [0, 'a'],
      [1, 'old'],
      [3, 'b'],
    ]);
  });
});

describe('writeBatch', () => {
  it('applies only the accepted events, and writes timeline, counters, dead letters and checkpoint', async () => {
    const script = createsAll(
      new Map<string, Responder>([
        [RECORD_EVENTS, alreadyStored('seen')],
        [RESERVE_SEQUENCE, () => [record({ last: int(4) })]],
      ]),
    );
    const tx = new ScriptedTransaction(script);
    const joined = (id: string, personId: string): AcceptedEvent =>
      event(id, [{ op: 'node', id: personId, kind: 'Person', defines: true, time: T0, evidence: id, source: 'hr' }], {
        entityIds: [personId, personId],
      });
    const batch: IngestBatch = {
      events: [joined('seen', 'person:old'), joined('new', 'person:new')],
      deadLetters: [
        {
          raw: Buffer.from('{"broken":'),
          reason: 'invalid JSON',
          field: null,
          origin: 'http',
          source: null,
          type: null,
          receivedAt: T0,
        },
        {
          raw: Buffer.from('{}'),
          reason: 'data.personId: required',
          field: 'data.personId',
          origin: 'http',
          source: 'hr',
          type: 'hr.person.joined',
          receivedAt: T0,
        },
      ],
      checkpoint: { stream: 'file:demo.ndjson', position: '42' },
    };

    const result = await writeBatch(tx.runner, batch);

    expect(result.outcomes).toEqual(['duplicate', 'accepted']);
    expect(plain(tx.callsOf(LOAD_NODES)[0]!['ids'])).toEqual(['person:new']);
    expect(plain(tx.callsOf(WRITE_TIMELINE)[0]!['entries'])).toEqual([
      {
        entityId: 'person:new',
        source: 'hr',
        eventId: 'new',
        time: T0,
        type: 'hr.person.joined',
        subject: null,
        summary: 'event new',
      },
    ]);
    expect(plain(tx.callsOf(BUMP_COUNTERS)[0]!['counters'])).toEqual([
      { source: '(unknown)', type: '(unknown)', accepted: 0, duplicates: 0, rejected: 1, lastEventTime: null },
      { source: 'hr', type: 'hr.person.joined', accepted: 1, duplicates: 1, rejected: 1, lastEventTime: T0 },
    ]);
    const letters = plain(tx.callsOf(WRITE_DEAD_LETTERS)[0]!['letters']) as {
      seq: number;
      raw: string;
      field: string | null;
    }[];
    expect(letters.map((l) => [l.seq, Buffer.from(l.raw, 'base64').toString(), l.field])).toEqual([
      [5, '{"broken":', null],
      [6, '{}', 'data.personId'],
    ]);
    expect(plain(tx.callsOf(SAVE_CHECKPOINT)[0])).toMatchObject({ stream: 'file:demo.ndjson', position: '42' });
  });
});

describe('writeFollowUps', () => {
  it('numbers the follow-ups from the FollowUp sequence in the order of their events, not of their keys', async () => {
    const tx = new ScriptedTransaction(new Map([[RESERVE_SEQUENCE, () => [record({ last: int(10) })]]]));
    const asking = (id: string) => event(id, [], { followUps: [{ kind: 'offboarding.plan', payload: id }] });
    await writeFollowUps(tx.runner, [asking('z'), event('none', []), asking('a')], T0);

    expect(plain(tx.callsOf(RESERVE_SEQUENCE)[0])).toEqual({ name: 'FollowUp', count: 2 });
    const rows = plain(tx.callsOf(WRITE_FOLLOW_UPS)[0]!['rows']) as { key: string; seq: number }[];
    expect(rows.map((row) => [row.key, row.seq])).toEqual([
      ['["offboarding.plan","hr","z"]', 11],
      ['["offboarding.plan","hr","a"]', 12],
    ]);
  });
});

describe('lineage from a fetched subgraph', () => {
  it('maps the records of LINEAGE_SUBGRAPH into a graph the domain resolves', async () => {
    const owner = nodeState('person:e1', 'Person', { attributes: { status: 'active' } });
    const nhi = nodeState('nhi:ci', 'NHI');
    const key = nodeState('cred:k1', 'Credential');
    const tx = new ScriptedTransaction(
      new Map([
        [
          LINEAGE_SUBGRAPH,
          (params: Params) => {
            expect(plain(params['seeds'])).toEqual(['cred:k1']);
            expect(params['downstream']).toEqual(['AUTHENTICATES']);
            return [
              record({
                nodes: [driverNode(key), driverNode(nhi), driverNode(owner)],
                relationships: [
                  driverRel(interval('OWNS', 'person:e1', 'nhi:ci', { evidence: ['evt-own'] })),
                  driverRel(interval('AUTHENTICATES', 'cred:k1', 'nhi:ci')),
                ],
              }),
            ];
          },
        ],
      ]),
    );

    const graph = await fetchLineageGraph(tx.runner, ['cred:k1', 'cred:k1']);
    const lineage = resolveLineage(graph, 'cred:k1', T0 + 1);

    expect(lineage?.status).toBe('ACCOUNTABLE');
    expect(lineage?.accountable?.id).toBe('person:e1');
    expect(lineage?.chain.map((step) => [step.from.id, step.relation, step.to.id])).toEqual([
      ['person:e1', 'OWNS', 'nhi:ci'],
      ['cred:k1', 'AUTHENTICATES', 'nhi:ci'],
    ]);
  });
});

describe('blastRadius', () => {
  const sessionsOver = (tx: ScriptedTransaction): Neo4jSessions =>
    ({ read: <T>(work: (runner: QueryRunner) => Promise<T>) => work(tx.runner) }) as unknown as Neo4jSessions;

  it('prefixes a credential to its paths, keeps the strongest grant, flags a cut chain and lists holders', async () => {
    const cred = nodeState('cred:k1', 'Credential');
    const bucket = nodeState('resource:bucket', 'Resource');
    const tx = new ScriptedTransaction(
      new Map<string, Responder>([
        [BLAST_ROOT, () => [record({ root: driverNode(cred), principals: ['nhi:ci'] })]],
        [
          ROLE_REACH[2]!,
          (params) => {
            expect(plain(params)).toMatchObject({ principals: ['nhi:ci'], maxDepth: 2 });
            return [
              record({ ids: ['nhi:ci', 'role:read'], cut: false }),
              record({ ids: ['nhi:ci', 'role:read', 'role:admin'], cut: true }),
            ];
          },
        ],
        [
          ROLE_GRANTS,
          () => [
            record({ roleId: 'role:read', resource: driverNode(bucket), level: 'read', actions: ['s3:GetObject'] }),
            record({ roleId: 'role:admin', resource: driverNode(bucket), level: 'admin', actions: null }),
          ],
        ],
        [
          HOLDERS,
          () => [
            record({ n: driverNode(nodeState('workload:web', 'Workload')) }),
            record({ n: driverNode(nodeState('store:ci-vars', 'SecretStore')) }),
          ],
        ],
      ]),
    );

    const radius = await new Neo4jBlastRadius(sessionsOver(tx)).blastRadius({
      rootId: 'cred:k1',
      maxDepth: 2,
      asOf: T0 + 1,
    });

    expect(radius?.truncated).toBe(true);
    expect(radius?.resources.map((r) => [r.resource.id, r.level, r.path, r.actions])).toEqual([
      ['resource:bucket', 'admin', ['cred:k1', 'nhi:ci', 'role:read', 'role:admin', 'resource:bucket'], []],
    ]);
    expect(radius?.sharedWith.map((n) => n.id)).toEqual(['store:ci-vars', 'workload:web']);
    // A credential's holders are looked up for the credential alone: no credential query.
    expect(tx.callsOf(ACTIVE_CREDENTIALS)).toHaveLength(0);
    expect(plain(tx.callsOf(HOLDERS)[0]!['held'])).toEqual(['cred:k1']);
  });

  it('answers null for an unknown root and rejects a depth outside 1..10 naming maxDepth', async () => {
    const tx = new ScriptedTransaction();
    const blast = new Neo4jBlastRadius(sessionsOver(tx));
    await expect(blast.blastRadius({ rootId: 'nhi:none', maxDepth: 3, asOf: T0 })).resolves.toBeNull();
    await expect(blast.blastRadius({ rootId: 'nhi:none', maxDepth: 11, asOf: T0 })).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'maxDepth',
    });
    await expect(blast.blastRadius({ rootId: 'nhi:none', maxDepth: 0, asOf: T0 })).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'maxDepth',
    });
  });
});
