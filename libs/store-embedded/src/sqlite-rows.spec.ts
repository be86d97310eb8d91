import { type NodeFact, type NodeState, mergeNode, retireNode } from '@lineage/domain';
import { fixtureNodeState } from '@lineage/domain/testing';
import { decodePropertyTimes, encodePropertyTimes } from './sqlite-rows';

const T0 = Date.UTC(2024, 0, 1);

function fact(time: number, overrides: Partial<NodeFact> = {}): NodeFact {
  return { op: 'node', id: 'nhi:aws:sa-1', kind: 'NHI', defines: true, time, evidence: `evt-${time}`, source: 'iam.aws', ...overrides };
}

function roundTrip(node: NodeState): Record<string, number> {
  return decodePropertyTimes(encodePropertyTimes(node), node);
}

/** A small seeded generator (mulberry32), so the shuffled histories below are the same every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('stored property times', () => {
  it('keep one time for the properties one event wrote, and nothing else', () => {
    const node = mergeNode(undefined, fact(T0, { name: 'etl', attributes: { nhiKind: 'service_account', platform: 'aws', environment: 'prod' } }));
    expect(encodePropertyTimes(node)).toBe(`[${T0}]`);
    expect(roundTrip(node)).toEqual(node.propertyTimes);
  });

  it('keep the times that differ from the one most properties share', () => {
    let node = mergeNode(undefined, fact(T0, { name: 'etl', attributes: { nhiKind: 'service_account', platform: 'aws', environment: 'prod' } }));
    node = mergeNode(node, fact(T0 + 5, { defines: false, attributes: { environment: 'staging' } }));
    expect(JSON.parse(encodePropertyTimes(node))).toEqual([T0, { environment: T0 + 5 }]);
    expect(roundTrip(node)).toEqual(node.propertyTimes);
  });

  it('take as their base the time most shown properties share, the first shown of equal counts', () => {
    // The first shown property has the rarer time: the base is still the one most share.
    const most = fixtureNodeState('NHI', 'nhi:aws:sa-1', T0, { attributes: { a: 1, b: 2, c: 3 }, propertyTimes: { a: T0 + 1, b: T0, c: T0, $kind: T0 } });
    expect(JSON.parse(encodePropertyTimes(most))).toEqual([T0, { a: T0 + 1 }]);
    expect(roundTrip(most)).toEqual(most.propertyTimes);
    // Two times, two properties each: the first shown property's time is the base.
    const tie = fixtureNodeState('NHI', 'nhi:aws:sa-1', T0, { attributes: { a: 1, b: 2, c: 3 }, propertyTimes: { a: T0 + 1, b: T0, c: T0 + 1, $kind: T0 } });
    expect(JSON.parse(encodePropertyTimes(tie))).toEqual([T0 + 1, { b: T0, $kind: T0 }]);
    expect(roundTrip(tie)).toEqual(tie.propertyTimes);
  });

  it('keep a time for a property the row does not show, even at the base time: a placeholder’s kind', () => {
    const node = fixtureNodeState('NHI', 'nhi:aws:sa-1', T0, { placeholder: true, attributes: { platform: 'aws' }, propertyTimes: { platform: T0, $kind: T0 } });
    expect(JSON.parse(encodePropertyTimes(node))).toEqual([T0, { $kind: T0 }]);
    expect(roundTrip(node)).toEqual(node.propertyTimes);
  });

  it('keep a name set to null, which the row cannot show', () => {
    let node = mergeNode(undefined, fact(T0, { name: 'etl', attributes: { platform: 'aws' } }));
    node = mergeNode(node, fact(T0 + 9, { name: null as unknown as string }));
    expect(node.name).toBeNull();
    expect(roundTrip(node)).toEqual(node.propertyTimes);
    expect(roundTrip(node)['$name']).toBe(T0 + 9);
  });

  it('are stored whole where a property the row shows has no time', () => {
    const node = fixtureNodeState('NHI', 'nhi:aws:sa-1', T0, { attributes: { platform: 'aws' }, propertyTimes: { $kind: T0 } });
    expect(JSON.parse(encodePropertyTimes(node))).toEqual({ $kind: T0 });
    expect(roundTrip(node)).toEqual({ $kind: T0 });
  });

  it('of a placeholder and of a retired node survive the round trip', () => {
    const placeholder = mergeNode(undefined, fact(T0, { defines: false }));
    expect(roundTrip(placeholder)).toEqual(placeholder.propertyTimes);
    const retired = retireNode(mergeNode(undefined, fact(T0, { attributes: { status: 'active' } })), { op: 'retire', id: 'nhi:aws:sa-1', kind: 'NHI', time: T0 + 1, evidence: 'e', source: 's' });
    expect(roundTrip(retired)).toEqual(retired.propertyTimes);
  });

  it('written before the compact form are read as they were stored', () => {
    const node = fixtureNodeState('NHI', 'nhi:aws:sa-1', T0, { attributes: { platform: 'aws' } });
    expect(decodePropertyTimes(JSON.stringify({ platform: T0 - 1, $kind: T0 }), node)).toEqual({ platform: T0 - 1, $kind: T0 });
  });

  it('keep a property named like the prototype as the row’s own', () => {
    const node = fixtureNodeState('NHI', 'nhi:aws:sa-1', T0, { attributes: JSON.parse('{"__proto__": "x", "platform": "aws"}') as Record<string, string> });
    for (const protoTime of [T0, T0 + 1]) {
      const times = { ...(JSON.parse(`{"__proto__": ${protoTime}, "platform": ${T0}}`) as object), $kind: T0 } as Record<string, number>;
      const decoded = roundTrip({ ...node, propertyTimes: times });
      expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
      expect(Object.entries(decoded).sort()).toEqual([['$kind', T0], ['__proto__', protoTime], ['platform', T0]]);
    }
  });

  it('merge the same after a round trip, whatever order a node’s events arrive in', () => {
    const next = random(7);
    const keys = ['status', 'platform', 'environment', 'owner'];
    for (let history = 0; history < 200; history++) {
      const facts = Array.from({ length: 2 + Math.floor(next() * 6) }, () =>
        fact(T0 + Math.floor(next() * 4), {
          defines: next() < 0.6,
          ...(next() < 0.4 ? { name: next() < 0.2 ? (null as unknown as string) : `n${Math.floor(next() * 3)}` } : {}),
          attributes: Object.fromEntries(keys.filter(() => next() < 0.5).map((key) => [key, next() < 0.2 ? null : `v${Math.floor(next() * 3)}`])),
        }),
      );
      // Once in memory only, once through the stored form after every event, as the writer keeps it.
      let direct: NodeState | undefined;
      let stored: NodeState | undefined;
      for (const f of facts) {
        direct = mergeNode(direct, f);
        const merged = mergeNode(stored, f);
        stored = { ...merged, propertyTimes: roundTrip(merged) };
      }
      expect(stored).toEqual(direct);
    }
  });
});
