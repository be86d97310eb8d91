import type { GraphRelationship, NodeState } from '@lineage/domain';
import type { Integer } from 'neo4j-driver';
import { Node, Relationship, int, isInt } from 'neo4j-driver';
import {
  nodeProperties,
  relationshipProperties,
  toGraphNode,
  toGraphRelationship,
  toGraphRelationshipEntry,
  toNodeState,
} from './neo4j-mapping';
import { toCypher } from './neo4j-values';

/**
 * What the driver would hand back for a node written with `nodeProperties`: integers arrive as
 * the driver's `Integer` when lossless integers are on, so the round trip converts them the way
 * the wire does, and the mapping has to read them back.
 */
function storedNode(props: Record<string, unknown>, labels: string[] = ['Node']): Node<Integer> {
  return new Node(int(1), labels, toCypher(props) as Record<string, unknown>, 'element-1');
}

function storedRelationship(type: string, props: Record<string, unknown>): Relationship<Integer> {
  return new Relationship(int(7), int(1), int(2), type, toCypher(props) as Record<string, unknown>, 'element-7');
}

const person: NodeState = {
  id: 'person:e1001',
  kind: 'Person',
  name: 'Ada Lovelace',
  source: 'hr',
  firstSeen: 1_700_000_000_000,
  lastSeen: 1_700_000_500_000,
  validFrom: 1_700_000_000_000,
  validTo: null,
  placeholder: false,
  attributes: {
    email: 'ada@example.com',
    leftAt: 1_700_000_400_000,
    department: null,
    teams: ['core', 'infra'],
    contractor: false,
  },
  propertyTimes: {
    email: 1_700_000_000_000,
    leftAt: 1_700_000_400_000,
    department: 1_700_000_300_000,
    $name: 1_700_000_000_000,
  },
};

const grant: GraphRelationship = {
  type: 'GRANTS',
  from: 'role:admin',
  to: 'resource:bucket',
  validFrom: 1_700_000_000_000,
  validTo: 1_700_000_900_000,
  firstSeen: 1_700_000_000_000,
  lastSeen: 1_700_000_800_000,
  confidence: 'declared',
  source: 'iam',
  evidence: ['evt-1', 'evt-2'],
  attributes: { actions: ['s3:GetObject', 's3:PutObject'], level: 'write' },
};

describe('node mapping', () => {
  it('stores attributes as real properties, integers as Cypher integers, and leaves nulls out', () => {
    const props = toCypher(nodeProperties(person)) as Record<string, unknown>;
    expect(props['email']).toBe('ada@example.com');
    expect(isInt(props['leftAt'])).toBe(true);
    expect(isInt(props['validFrom'])).toBe(true);
    expect(props).not.toHaveProperty('department');
    expect(props).not.toHaveProperty('validTo');
    expect(props['attributeKeys']).toEqual(['contractor', 'department', 'email', 'leftAt', 'teams']);
    expect(JSON.parse(props['propertyTimes'] as string)).toEqual(person.propertyTimes);
  });

  it('reads back exactly the node state it wrote, a cleared attribute as null', () => {
    expect(toNodeState(storedNode(nodeProperties(person), ['Node', 'Person']))).toEqual(person);
  });

  it('reads plain numbers too (the driver runs with disableLosslessIntegers)', () => {
    const node = new Node(1, ['Node', 'Person'], { ...nodeProperties(person) }, 'e');
    expect(toGraphNode(node)).toEqual((({ propertyTimes: _t, ...rest }) => rest)(person));
  });

  it('keeps a closed interval and a placeholder flag', () => {
    const retired: NodeState = {
      ...person,
      id: 'nhi:x',
      kind: 'NHI',
      validTo: 1_700_000_600_000,
      placeholder: true,
      attributes: {},
      propertyTimes: {},
    };
    const read = toNodeState(storedNode(nodeProperties(retired)));
    expect(read.validTo).toBe(1_700_000_600_000);
    expect(read.placeholder).toBe(true);
    expect(read.kind).toBe('NHI');
  });

  it('refuses an attribute that would overwrite a core property', () => {
    const clash: NodeState = { ...person, attributes: { validTo: 5 } };
    expect(() => nodeProperties(clash)).toThrow(/attribute "validTo" of node person:e1001 collides/);
  });

  it('names the node and property when stored data is not what the adapter writes', () => {
    const props = { ...nodeProperties(person), kind: 'Spaceship' };
    expect(() => toNodeState(storedNode(props))).toThrow(/kind of node person:e1001/);
    expect(() => toNodeState(storedNode({ ...nodeProperties(person), propertyTimes: '{not json' }))).toThrow(
      /propertyTimes of node person:e1001/,
    );
    expect(() => toGraphNode({ id: 'not a driver node' })).toThrow(/stored node/);
  });
});

describe('relationship mapping', () => {
  it('reads back one interval with its attributes, evidence and end ids', () => {
    const rel = storedRelationship('GRANTS', relationshipProperties(grant));
    expect(toGraphRelationship(rel, grant.from, grant.to)).toEqual(grant);
  });

  it('reads the {rel, from, to} entries the queries return', () => {
    const open: GraphRelationship = {
      ...grant,
      type: 'OWNS',
      from: 'person:e1',
      to: 'nhi:a',
      validTo: null,
      attributes: {},
      source: null,
    };
    const entry = { rel: storedRelationship('OWNS', relationshipProperties(open)), from: 'person:e1', to: 'nhi:a' };
    expect(toGraphRelationshipEntry(entry)).toEqual(open);
  });

  it('rejects a relationship type or confidence the model does not know', () => {
    expect(() => toGraphRelationship(storedRelationship('LIKES', relationshipProperties(grant)), 'a', 'b')).toThrow(
      /relationship type/,
    );
    const bad = storedRelationship('GRANTS', { ...relationshipProperties(grant), confidence: 'rumoured' });
    expect(() => toGraphRelationship(bad, 'role:admin', 'resource:bucket')).toThrow(
      /confidence of GRANTS role:admin -> resource:bucket/,
    );
  });
});

describe('toCypher', () => {
  it('turns integral numbers into Cypher integers, through lists and maps, and leaves the rest', () => {
    const converted = toCypher({
      t: 1_700_000_000_000,
      ratio: 0.5,
      list: [1, 'a'],
      nested: { n: 3, skip: undefined },
      none: null,
    }) as Record<string, unknown>;
    expect(isInt(converted['t']) && converted['t'].toNumber()).toBe(1_700_000_000_000);
    expect(converted['ratio']).toBe(0.5);
    expect(isInt((converted['list'] as unknown[])[0])).toBe(true);
    expect((converted['list'] as unknown[])[1]).toBe('a');
    expect(isInt((converted['nested'] as Record<string, unknown>)['n'])).toBe(true);
    expect(converted['nested']).not.toHaveProperty('skip');
    expect(converted['none']).toBeNull();
  });
});
