import { type NodeFact, type NodeState, mergeNode, retireNode } from '@lineage/domain';
import { fixtureNodeState } from '@lineage/domain/testing';
import { decodePropertyTimes, encodePropertyTimes, fromNodeState } from './sqlite-rows';

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

describe('a node row to write', () => {
  const stored = mergeNode(undefined, fact(T0, { name: 'etl', attributes: { platform: 'aws', environment: 'prod' } }));
  // As read back, in a spacing the writer never makes: a text that is reused shows it.
  const row = [...fromNodeState(stored).slice(0, 9), '{"platform": "aws", "environment": "prod"}', `[ ${T0} ]`];

  it('reuses the stored texts of properties a merge left as they were', () => {
    const seenAgain = mergeNode(stored, fact(T0 + 9, { defines: false }));
    const written = fromNodeState(seenAgain, { state: stored, row });
    expect(written.slice(9)).toEqual(row.slice(9));
    expect(written[5]).toBe(T0 + 9);
    // A value said again later: the same attributes, new times.
    const restated = mergeNode(stored, fact(T0 + 9, { defines: false, attributes: { platform: 'aws' } }));
    expect(fromNodeState(restated, { state: stored, row }).slice(9)).toEqual([row[9], JSON.stringify([T0, { platform: T0 + 9 }])]);
  });

  it('encodes them again when a property changed, or when the times were stored whole', () => {
    const moved = mergeNode(stored, fact(T0 + 9, { defines: false, attributes: { environment: 'staging' } }));
    expect(fromNodeState(moved, { state: stored, row }).slice(9)).toEqual(fromNodeState(moved).slice(9));
    const whole = [...row.slice(0, 10), JSON.stringify(stored.propertyTimes)];
    const written = fromNodeState(stored, { state: stored, row: whole });
    expect(written[9]).toBe(row[9]);
    expect(written[10]).toBe(`[${T0}]`);
  });

  it('encodes the times again when the row would show other properties: a placeholder defined, a name set to null', () => {
    const unnamed: NodeState = { ...stored, name: null };
    expect(fromNodeState(unnamed, { state: stored, row })[10]).toBe(encodePropertyTimes(unnamed));
    const placeholder: NodeState = { ...stored, placeholder: true };
    expect(fromNodeState(stored, { state: placeholder, row })[10]).toBe(encodePropertyTimes(stored));
  });
});
