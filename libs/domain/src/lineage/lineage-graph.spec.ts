import { fixtureNode } from '../testing/graph-fixtures';
import type { RelationKind } from '../model/graph-model';
import type { GraphRelationship } from '../model/graph-types';
import { resolveLineage } from './accountability';
import { LineageGraph } from './lineage-graph';

const T0 = Date.parse('2025-01-01T00:00:00Z');
const NOW = Date.parse('2025-03-01T00:00:00Z');

function rel(type: RelationKind, from: string, to: string, validFrom = T0): GraphRelationship {
  return { type, from, to, validFrom, validTo: null, firstSeen: validFrom, lastSeen: validFrom, confidence: 'declared', source: 'test', evidence: [`${from}>${to}`], attributes: {} };
}

describe('LineageGraph', () => {
  const nodes = [
    fixtureNode('Person', 'person:ann', T0, { attributes: { status: 'active' } }),
    fixtureNode('Person', 'person:ben', T0, { attributes: { status: 'active' } }),
    fixtureNode('NHI', 'nhi:a', T0),
    fixtureNode('NHI', 'nhi:b', T0),
    fixtureNode('Credential', 'cred:shared', T0),
  ];
  // One credential authenticating two NHIs since the same instant, each owned by someone active.
  const relationships = [
    rel('AUTHENTICATES', 'cred:shared', 'nhi:a'),
    rel('AUTHENTICATES', 'cred:shared', 'nhi:b'),
    rel('OWNS', 'person:ben', 'nhi:b'),
    rel('OWNS', 'person:ann', 'nhi:a'),
  ];

  it('lists the edges out of a node that started together by the far end, whatever order the store returned them in', () => {
    const forward = new LineageGraph(nodes, relationships);
    const backward = new LineageGraph(nodes, [...relationships].reverse());
    expect(forward.outOf('cred:shared', 'AUTHENTICATES', NOW).map((r) => r.to)).toEqual(['nhi:a', 'nhi:b']);
    expect(backward.outOf('cred:shared', 'AUTHENTICATES', NOW).map((r) => r.to)).toEqual(['nhi:a', 'nhi:b']);
  });

  it('so a credential resolves through the same NHI to the same person on every store', () => {
    const chains = [relationships, [...relationships].reverse()].map((rels) => {
      const lineage = resolveLineage(new LineageGraph(nodes, rels), 'cred:shared', NOW);
      return [lineage?.accountable?.id, lineage?.chain.map((step) => [step.from.id, step.relation, step.to.id])];
    });
    expect(chains).toEqual([
      ['person:ann', [['person:ann', 'OWNS', 'nhi:a'], ['cred:shared', 'AUTHENTICATES', 'nhi:a']]],
      ['person:ann', [['person:ann', 'OWNS', 'nhi:a'], ['cred:shared', 'AUTHENTICATES', 'nhi:a']]],
    ]);
  });
});
