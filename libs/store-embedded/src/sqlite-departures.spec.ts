import type { AcceptedEvent, GraphFact } from '@lineage/domain';
import { EmbeddedGraphStore } from './embedded-graph-store';
import { DEPARTURE_REFRESH_PER_BATCH } from './sqlite-departures';

type Draft = GraphFact extends infer F ? (F extends GraphFact ? Omit<F, 'time' | 'evidence' | 'source'> : never) : never;
let ids = 0;
const event = (time: number, ...drafts: Draft[]): AcceptedEvent => {
  const id = `e${++ids}`;
  return { source: 'test', id, type: 'test.fact', time, subject: null, summary: id, entityIds: [], facts: drafts.map((d) => ({ ...d, time, evidence: id, source: 'test' })) };
};
const person = (id: string, attributes: Record<string, number | string | null> = {}): Draft => ({ op: 'node', kind: 'Person', id, defines: true, attributes });
const nhi = (id: string): Draft => ({ op: 'node', kind: 'NHI', id, defines: true });
const owns = (from: string, to: string): Draft => ({ op: 'relate', type: 'OWNS', from, to, confidence: 'declared' });
const leaves = (id: string, at: number): Draft => ({ op: 'node', kind: 'Person', id, defines: false, attributes: { leftAt: at } });

describe('departures kept by the embedded writer', () => {
  let store: EmbeddedGraphStore;
  const apply = (...events: AcceptedEvent[]) => store.applyBatch({ events, deadLetters: [] });
  const kept = (personId: string) =>
    store.db.prepare('SELECT left_at AS leftAt, members FROM departures WHERE person_id = ?').get(personId) as { leftAt: number; members: string | null } | undefined;
  const orphans = async (personId: string, asOf: number) => (await store.orphanedBy(personId, asOf)).map((o) => o.lineage.root.id);

  beforeEach(() => {
    store = EmbeddedGraphStore.open({ dataDir: ':memory:' });
  });
  afterEach(() => store.close());

  it('are computed in the batch that records the leaving, and are what orphanedBy reads', async () => {
    await apply(event(100, person('person:p'), nhi('nhi:a'), nhi('nhi:b'), owns('person:p', 'nhi:a'), owns('person:p', 'nhi:b')));
    expect(kept('person:p')).toBeUndefined();
    await apply(event(1000, leaves('person:p', 1000)));
    expect(kept('person:p')).toEqual({ leftAt: 1000, members: '["nhi:a","nhi:b"]' });
    expect(await orphans('person:p', 2000)).toEqual(['nhi:a', 'nhi:b']);

    // What is read is the kept departure: had it said less, so would the answer.
    store.db.prepare(`UPDATE departures SET members = '["nhi:b"]'`).run();
    expect(await orphans('person:p', 2000)).toEqual(['nhi:b']);
  });

  it('go stale when a late event changes the time before the leaving, and are computed again within the budget', async () => {
    await apply(event(100, person('person:p'), person('person:q'), nhi('nhi:a'), owns('person:p', 'nhi:a')));
    await apply(event(1000, leaves('person:p', 1000)));
    expect(await orphans('person:p', 2000)).toEqual(['nhi:a']);

    // Late: q owned nhi:a before p left (q comes first in the rules' order); and, in the same batch,
    // an event after the leaving, which alone would change nothing kept.
    await apply(event(500, owns('person:q', 'nhi:a')), event(1500, nhi('nhi:z')));
    // The batch recomputed it straight away (it is within the batch's budget).
    expect(kept('person:p')?.members).not.toBeNull();
    expect(await orphans('person:p', 2000)).toEqual([]);
  });

  it('stay as they are when later events change only what happened after the leaving', async () => {
    await apply(event(100, person('person:p'), nhi('nhi:a'), owns('person:p', 'nhi:a')));
    await apply(event(1000, leaves('person:p', 1000)));
    store.db.prepare(`UPDATE departures SET members = '["nhi:a","marker"]'`).run();
    await apply(event(1500, owns('person:p', 'nhi:a')), event(1600, person('person:q')), event(1700, owns('person:q', 'nhi:a')));
    // Untouched: the marker is still there (a recomputation would have dropped it).
    expect(kept('person:p')?.members).toBe('["nhi:a","marker"]');
  });

  it('are refreshed a few a batch when many go stale at once, the latest leavers first', async () => {
    const people = Array.from({ length: DEPARTURE_REFRESH_PER_BATCH + 3 }, (_, i) => `person:p${String(i).padStart(2, '0')}`);
    await apply(event(100, ...people.flatMap((id, i) => [person(id), nhi(`nhi:${i}`), owns(id, `nhi:${i}`)])));
    await apply(...people.map((id, i) => event(1000 + i, leaves(id, 1000 + i))));
    expect(people.every((id) => kept(id)?.members !== null)).toBe(true);

    // A late event from before every leaving (p00 owned one more NHI): all stale, then the latest eight computed again.
    await apply(event(200, nhi('nhi:late'), owns(people[0]!, 'nhi:late')));
    const fresh = people.filter((id) => kept(id)?.members !== null);
    expect(fresh).toEqual(people.slice(-DEPARTURE_REFRESH_PER_BATCH));
    // The stale ones still answer right, from the graph.
    expect(await orphans(people[0]!, 5000)).toEqual(['nhi:0', 'nhi:late']);
    await apply(event(6000, nhi('nhi:later')));
    expect(people.every((id) => kept(id)?.members !== null)).toBe(true);
    expect(kept(people[0]!)?.members).toBe('["nhi:0","nhi:late"]');
  });

  it('are forgotten when the leaving is withdrawn, and computed again when it moves', async () => {
    await apply(event(100, person('person:p'), nhi('nhi:a'), owns('person:p', 'nhi:a')));
    await apply(event(1000, leaves('person:p', 1000)));
    await apply(event(1100, leaves('person:p', 900)));
    expect(kept('person:p')).toEqual({ leftAt: 900, members: '["nhi:a"]' });
    await apply(event(1200, { op: 'node', kind: 'Person', id: 'person:p', defines: false, attributes: { leftAt: null } }));
    expect(kept('person:p')).toBeUndefined();
    expect(await orphans('person:p', 2000)).toEqual([]);
  });
});
