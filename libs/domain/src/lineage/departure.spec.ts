import type { GraphNode } from '../model/graph-types';
import { departureMembers, findOrphanedBy, nodeChangeFrom, orphansAmong, relationshipChangeFrom } from './accountability';
import { LineageGraph } from './lineage-graph';
import { fixtureNode } from '../testing';

/** A node that has existed since 100. */
const node = (id: string, kind: GraphNode['kind'], changes: Partial<GraphNode> = {}): GraphNode => fixtureNode(kind, id, 100, changes);
const interval = (validFrom: number, validTo: number | null = null) => ({ validFrom, validTo });
const owns = 'OWNS' as const;

describe('nodeChangeFrom and relationshipChangeFrom: from when a write changes what the lineage rules see', () => {
  it('a node seen again, or given a property the rules do not read, changes nothing', () => {
    const before = node('nhi:a', 'NHI');
    expect(nodeChangeFrom(before, { ...before, lastSeen: 900 })).toBeNull();
    expect(nodeChangeFrom(before, { ...before, attributes: { platform: 'aws' }, name: 'etl' })).toBeNull();
  });

  it('a placeholder defined later than it was first named changes the time in between', () => {
    const placeholder = node('nhi:a', 'NHI', { placeholder: true, validFrom: 100 });
    expect(nodeChangeFrom(placeholder, { ...placeholder, placeholder: false, validFrom: 700 })).toBe(100);
  });

  it('a retirement changes from when it takes effect; a kind changes every time', () => {
    const before = node('workload:w', 'Workload');
    expect(nodeChangeFrom(before, { ...before, validTo: 500 })).toBe(500);
    expect(nodeChangeFrom(node('x:1', 'NHI'), node('x:1', 'Workload'))).toBe(Number.MIN_SAFE_INTEGER);
  });

  it('leftAt and endedAt change from the earlier of their two values', () => {
    const person = node('person:p', 'Person');
    expect(nodeChangeFrom(person, { ...person, attributes: { leftAt: 800 } })).toBe(800);
    expect(nodeChangeFrom({ ...person, attributes: { leftAt: 800 } }, { ...person, attributes: { leftAt: 600 } })).toBe(600);
    expect(nodeChangeFrom({ ...person, attributes: { leftAt: 800 } }, { ...person, attributes: { leftAt: null } })).toBe(800);
    const vendor = node('vendor:v', 'Vendor');
    expect(nodeChangeFrom(vendor, { ...vendor, attributes: { endedAt: 300 } })).toBe(300);
  });

  it("a lineage relationship changes where its validity does; others' changes do not count", () => {
    expect(relationshipChangeFrom(owns, [], [interval(400)])).toBe(400);
    expect(relationshipChangeFrom(owns, [interval(400)], [interval(400, 900)])).toBe(900);
    expect(relationshipChangeFrom(owns, [interval(400)], [interval(200)])).toBe(200);
    expect(relationshipChangeFrom(owns, [interval(400, 500)], [interval(400, 500), interval(700)])).toBe(700);
    // Confirmed again (other columns changed): nothing.
    expect(relationshipChangeFrom(owns, [interval(400, 500), interval(700)], [interval(400, 500), interval(700)])).toBeNull();
    expect(relationshipChangeFrom('HAS_ROLE', [], [interval(400)])).toBeNull();
  });
});

describe('departureMembers and orphansAmong make findOrphanedBy', () => {
  // p owned a and b; q took b over after p left; c was always q's.
  const p = node('person:p', 'Person', { attributes: { leftAt: 1000 } });
  const q = node('person:q', 'Person');
  const rel = (from: string, to: string, validFrom: number) => ({
    type: 'OWNS' as const, from, to, validFrom, validTo: null, firstSeen: validFrom, lastSeen: validFrom, confidence: 'declared' as const, source: 'test', evidence: ['e'], attributes: {},
  });
  const graph = new LineageGraph(
    [p, q, node('nhi:a', 'NHI'), node('nhi:b', 'NHI'), node('nhi:c', 'NHI')],
    [rel('person:p', 'nhi:a', 100), rel('person:p', 'nhi:b', 100), rel('person:q', 'nhi:b', 1500), rel('person:q', 'nhi:c', 100)],
  );

  it('the members are what the leaver answered for the instant before leaving, whatever happened after', () => {
    expect(departureMembers(graph, p, ['nhi:a', 'nhi:b', 'nhi:c', 'person:q'])).toEqual(['nhi:a', 'nhi:b']);
    expect(departureMembers(graph, q, ['nhi:b', 'nhi:c'])).toEqual([]);
  });

  it('the orphans are the members no active person answers for as of the time asked', () => {
    expect(orphansAmong(graph, p, ['nhi:a', 'nhi:b'], 1200).map((o) => o.root.id)).toEqual(['nhi:a', 'nhi:b']);
    expect(orphansAmong(graph, p, ['nhi:a', 'nhi:b'], 2000).map((o) => o.root.id)).toEqual(['nhi:a']);
    expect(orphansAmong(graph, p, ['nhi:a', 'nhi:b'], 999)).toEqual([]);
    expect(findOrphanedBy(graph, 'person:p', ['nhi:a', 'nhi:b', 'nhi:c'], 2000)).toEqual(orphansAmong(graph, p, ['nhi:a', 'nhi:b'], 2000));
  });
});
