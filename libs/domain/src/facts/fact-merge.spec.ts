import type { GraphRelationship } from '../model/graph-types';
import type { NodeFact, RelateFact } from './graph-fact';
import { MAX_EVIDENCE, addEvidence, applyIntervalChanges, mergeNode, relate, retireNode, unrelate } from './fact-merge';

const fact = (time: number, attributes: NodeFact['attributes'], defines = false, evidence = `e${time}`): NodeFact => ({
  op: 'node',
  kind: 'Person',
  id: 'person:p',
  defines,
  attributes,
  time,
  evidence,
  source: 'test',
});

const grant = (time: number): RelateFact => ({ op: 'relate', type: 'HAS_ROLE', from: 'nhi:a', to: 'role:r', confidence: 'declared', time, evidence: `g${time}`, source: 'test' });
const revoke = (time: number) => ({ type: 'HAS_ROLE' as const, from: 'nhi:a', to: 'role:r', time, evidence: `r${time}`, source: 'test' });
const run = (steps: ((current: readonly GraphRelationship[]) => ReturnType<typeof relate>)[]) =>
  steps.reduce<GraphRelationship[]>((list, step) => applyIntervalChanges(list, step(list)), []).map((i) => [i.validFrom, i.validTo]);

describe('mergeNode', () => {
  it('keeps, per property, the value written at the latest event time', () => {
    const late = mergeNode(mergeNode(undefined, fact(20, { department: 'sales', title: 'lead' })), fact(10, { department: 'eng', email: 'p@x' }));
    expect(late.attributes).toEqual({ department: 'sales', title: 'lead', email: 'p@x' });
    const inOrder = mergeNode(mergeNode(undefined, fact(10, { department: 'eng', email: 'p@x' })), fact(20, { department: 'sales', title: 'lead' }));
    expect(inOrder.attributes).toEqual(late.attributes);
  });

  it('shares the property objects when a fact wins no property, and never changes the ones it was given', () => {
    const node = mergeNode(undefined, fact(10, { department: 'eng' }, true));
    const seenAgain = mergeNode(node, fact(20, {}));
    expect(seenAgain.attributes).toBe(node.attributes);
    expect(seenAgain.propertyTimes).toBe(node.propertyTimes);
    expect(seenAgain.lastSeen).toBe(20);
    // An older value: nothing won.
    const older = mergeNode(node, fact(5, { department: 'sales' }));
    expect([older.attributes, older.propertyTimes]).toEqual([node.attributes, node.propertyTimes]);
    expect(older.attributes).toBe(node.attributes);
    expect(older.propertyTimes).toBe(node.propertyTimes);
    // The same value again, later: its time moves, the attributes stay shared.
    const restated = mergeNode(node, fact(25, { department: 'eng' }));
    expect(restated.attributes).toBe(node.attributes);
    expect(restated.propertyTimes).toEqual({ ...node.propertyTimes, department: 25 });
    expect(node.propertyTimes['department']).toBe(10);
    const before = { attributes: { ...node.attributes }, times: { ...node.propertyTimes } };
    const moved = mergeNode(node, fact(30, { department: 'sales' }));
    expect(moved.attributes).toEqual({ department: 'sales' });
    expect(moved.propertyTimes).toEqual({ ...before.times, department: 30 });
    expect(node.attributes).toEqual(before.attributes);
    expect(node.propertyTimes).toEqual(before.times);
    // A name or a kind won is a change of the times, copied the same way.
    const named = mergeNode(node, { ...fact(40, {}), name: 'Pat' });
    expect(named.propertyTimes).not.toBe(node.propertyTimes);
    expect(node.propertyTimes).toEqual(before.times);
  });

  it('breaks a tie at the same instant the same way whatever the order', () => {
    const a = mergeNode(mergeNode(undefined, fact(5, { status: 'left' })), fact(5, { status: 'active' }));
    const b = mergeNode(mergeNode(undefined, fact(5, { status: 'active' })), fact(5, { status: 'left' }));
    expect(a.attributes['status']).toBe(b.attributes['status']);
  });

  it('dates a node by its defining event, not by references seen before it', () => {
    const placeholder = mergeNode(undefined, fact(30, {}));
    expect(placeholder).toMatchObject({ placeholder: true, validFrom: 30 });
    const defined = mergeNode(placeholder, fact(40, { email: 'p@x' }, true));
    expect(defined).toMatchObject({ placeholder: false, validFrom: 40, firstSeen: 30, lastSeen: 40 });
  });

  it('a retired node is defined again only by a later defining event', () => {
    const retired = retireNode(mergeNode(undefined, fact(10, {}, true)), { op: 'retire', kind: 'Person', id: 'person:p', time: 20, evidence: 'x', source: 'test' });
    expect(retired.validTo).toBe(20);
    expect(mergeNode(retired, fact(15, {}, true)).validTo).toBe(20);
    expect(mergeNode(retired, fact(25, {}, true)).validTo).toBeNull();
    expect(mergeNode(retired, fact(25, {}, false)).validTo).toBe(20);
  });
});

describe('relationship intervals', () => {
  it('grant, revoke, grant again: two intervals', () => {
    expect(run([(l) => relate(l, grant(1)), (l) => unrelate(l, revoke(3)), (l) => relate(l, grant(5))])).toEqual([
      [1, 3],
      [5, null],
    ]);
  });

  it('a late grant inside an open interval only adds evidence', () => {
    const list = [(l: readonly GraphRelationship[]) => relate(l, grant(1)), (l: readonly GraphRelationship[]) => relate(l, grant(4))];
    const final = list.reduce<GraphRelationship[]>((acc, step) => applyIntervalChanges(acc, step(acc)), []);
    expect(final).toHaveLength(1);
    expect(final[0]).toMatchObject({ validFrom: 1, validTo: null, lastSeen: 4, evidence: ['g1', 'g4'] });
  });

  it('a late revoke older than a re-grant does not undo the re-grant', () => {
    expect(run([(l) => relate(l, grant(1)), (l) => unrelate(l, revoke(3)), (l) => relate(l, grant(5)), (l) => unrelate(l, revoke(2))])).toEqual([
      [1, 2],
      [5, null],
    ]);
  });

  it('a revoke before any grant leaves a tombstone that closes a late older grant', () => {
    expect(run([(l) => unrelate(l, revoke(3)), (l) => relate(l, grant(1))])).toEqual([[1, 3]]);
  });

  it('the same outcome for a grant that arrives before or after its revoke', () => {
    const forward = run([(l) => relate(l, grant(1)), (l) => unrelate(l, revoke(3))]);
    const backward = run([(l) => unrelate(l, revoke(3)), (l) => relate(l, grant(1))]);
    expect(backward).toEqual(forward);
  });
});

describe('addEvidence', () => {
  it('keeps the first event and the most recent ones, bounded', () => {
    let evidence: readonly string[] = [];
    for (let i = 0; i < MAX_EVIDENCE + 10; i++) evidence = addEvidence(evidence, `e${i}`);
    expect(evidence).toHaveLength(MAX_EVIDENCE);
    expect(evidence[0]).toBe('e0');
    expect(evidence.at(-1)).toBe(`e${MAX_EVIDENCE + 9}`);
    expect(addEvidence(evidence, 'e0')).toBe(evidence);
  });
});
