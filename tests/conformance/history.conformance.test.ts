import type { AcceptedEvent, GraphStore } from '@lineage/domain';
import { followUpKey } from '@lineage/domain';
import { describeEachStore } from './conformance-stores';
import { apply, event, inherit, node, person, ref, rel, snapshot, t, unrel, update } from './graph-script';

const T0 = t('2025-01-01T00:00:00Z');
const T1 = t('2025-02-01T00:00:00Z');
const T2 = t('2025-03-01T00:00:00Z');
const T3 = t('2025-04-01T00:00:00Z');
const NOW = t('2026-01-01T00:00:00Z');
const TIMES = [T0, T1 + 1, T2 + 1, T3 + 1, NOW];

/** A small enterprise's history, with each subject's events in order. */
function history(): AcceptedEvent[] {
  return [
    event(T0, [person('person:m1'), person('person:m2'), person('person:r', { department: 'eng' })], { id: 'h1', subject: 'people' }),
    event(T0 + 1, [ref('Person', 'person:m1'), rel('MANAGES', 'person:m1', 'person:r')], { id: 'h2', subject: 'person:r' }),
    event(T2, [update('Person', 'person:r', { department: 'sales' }), { op: 'unrelate-others', type: 'MANAGES', anchor: 'to', anchorId: 'person:r', keep: ['person:m2'] }, rel('MANAGES', 'person:m2', 'person:r')], { id: 'h3', subject: 'person:r' }),
    event(T0, [node('NHI', 'nhi:a'), node('Role', 'role:x'), rel('HAS_ROLE', 'nhi:a', 'role:x')], { id: 'i1', subject: 'nhi:a' }),
    event(T1, [unrel('HAS_ROLE', 'nhi:a', 'role:x')], { id: 'i2', subject: 'nhi:a' }),
    event(T3, [rel('HAS_ROLE', 'nhi:a', 'role:x')], { id: 'i3', subject: 'nhi:a' }),
    event(T1, [rel('OWNS', 'person:m2', 'nhi:a')], { id: 'i4', subject: 'nhi:a-owner' }),
  ];
}
const IDS = ['person:m1', 'person:m2', 'person:r', 'nhi:a', 'role:x'];

describeEachStore('history, idempotency and event-time order', (open) => {
  let store: GraphStore;
  beforeEach(async () => {
    store = await open();
  });
  afterEach(async () => store.close());

  it('re-applying a batch changes nothing and counts duplicates', async () => {
    const events = history();
    const first = await store.applyBatch({ events, deadLetters: [] });
    expect(first.outcomes).toEqual(events.map(() => 'accepted'));
    const once = await snapshot(store, IDS, TIMES);
    const again = await store.applyBatch({ events, deadLetters: [] });
    expect(again.outcomes).toEqual(events.map(() => 'duplicate'));
    expect(await snapshot(store, IDS, TIMES)).toEqual(once);
    const status = await store.ingestionStatus();
    expect(status.sources).toEqual([expect.objectContaining({ source: 'conformance', type: 'test.fact', accepted: events.length, duplicates: events.length, rejected: 0 })]);
  });

  it('a duplicate inside one batch applies once', async () => {
    const [first] = history();
    const outcome = await store.applyBatch({ events: [first!, first!], deadLetters: [] });
    expect(outcome.outcomes).toEqual(['accepted', 'duplicate']);
  });

  it('a batch of many events, some sent before and some twice within it, accepts each new one once and files it under its own entity', async () => {
    // 150 events, each about an entity of its own: more than a store may write in one statement.
    const each = Array.from({ length: 150 }, (_, i) => event(T0 + i, [ref('NHI', `nhi:b${i}`)], { id: `b${i}` }));
    await store.applyBatch({ events: each.slice(70, 90), deadLetters: [] });
    // Event 5 again right after it, event 3 again far after it, and 70–89 stored already.
    const sent = [...each.slice(0, 6), each[5]!, ...each.slice(6, 120), each[3]!, ...each.slice(120)];
    const outcome = await store.applyBatch({ events: sent, deadLetters: [] });
    const stored = (event: AcceptedEvent) => Number(event.id.slice(1)) >= 70 && Number(event.id.slice(1)) < 90;
    expect(outcome.outcomes).toEqual(sent.map((event, i) => (i === 6 || i === 121 || stored(event) ? 'duplicate' : 'accepted')));
    for (let i = 0; i < 150; i += 1) {
      const entries = (await store.timeline(`nhi:b${i}`, null, null, { first: 10 })).items;
      expect(entries.map((entry) => [entry.eventId, entry.time])).toEqual([[`b${i}`, T0 + i]]);
    }
    const status = await store.ingestionStatus();
    expect(status.sources).toEqual([expect.objectContaining({ source: 'conformance', accepted: 150, duplicates: 22 })]);
  });

  it('a late (older) fact does not undo a newer one', async () => {
    await apply(store, ...history());
    // Arriving late: an older department, an older manager, an older grant.
    await apply(
      store,
      event(T1, [update('Person', 'person:r', { department: 'finance' })]),
      event(T1, [{ op: 'unrelate-others', type: 'MANAGES', anchor: 'to', anchorId: 'person:r', keep: ['person:m1'] }, rel('MANAGES', 'person:m1', 'person:r')]),
      event(T0 + 5, [rel('HAS_ROLE', 'nhi:a', 'role:x')]),
    );
    expect((await store.getNode('person:r'))?.attributes['department']).toBe('sales');
    const managers = await store.neighbours({ id: 'person:r', type: 'MANAGES', direction: 'in', asOf: NOW, page: { first: 10 } });
    expect(managers.items.map((m) => m.node.id)).toEqual(['person:m2']);
    const roles = (asOf: number) => store.neighbours({ id: 'nhi:a', type: 'HAS_ROLE', direction: 'out', asOf, page: { first: 10 } });
    expect((await roles(T1 + 1)).items).toEqual([]);
    expect((await roles(NOW)).items.map((r) => r.node.id)).toEqual(['role:x']);
    // Each neighbour comes with the relationship that links it, both read from one row.
    expect((await roles(NOW)).items[0]).toMatchObject({
      node: { id: 'role:x', kind: 'Role', placeholder: false },
      relationship: { type: 'HAS_ROLE', from: 'nhi:a', to: 'role:x', validTo: null },
    });
  });

  it('a later reference moves only lastSeen, an earlier one firstSeen, and a newer property still lands', async () => {
    await apply(store, event(T1, [node('NHI', 'nhi:s', { platform: 'aws', environment: 'prod' }, 'etl')]));
    const defined = await store.getNode('nhi:s');

    // Batches of their own, as the writer meets them: each reads the stored node back.
    await apply(store, event(T2, [ref('NHI', 'nhi:s')]));
    expect(await store.getNode('nhi:s')).toEqual({ ...defined, lastSeen: T2 });

    await apply(store, event(T0, [ref('NHI', 'nhi:s')]));
    expect(await store.getNode('nhi:s')).toEqual({ ...defined, firstSeen: T0, lastSeen: T2 });

    // A reference older than lastSeen changes nothing; a newer property after it still wins.
    await apply(store, event(T1 + 5, [ref('NHI', 'nhi:s')]));
    await apply(store, event(T3, [update('NHI', 'nhi:s', { environment: 'staging' })]));
    await apply(store, event(T2 + 5, [update('NHI', 'nhi:s', { environment: 'dev' })]));
    expect(await store.getNode('nhi:s')).toEqual({ ...defined, firstSeen: T0, lastSeen: T3, attributes: { platform: 'aws', environment: 'staging' } });
  });

  it('a removal that arrives before its grant still closes it', async () => {
    await apply(store, event(T2, [unrel('HAS_ROLE', 'nhi:b', 'role:y')]));
    await apply(store, event(T1, [node('NHI', 'nhi:b'), node('Role', 'role:y'), rel('HAS_ROLE', 'nhi:b', 'role:y')]));
    const roles = (asOf: number) => store.neighbours({ id: 'nhi:b', type: 'HAS_ROLE', direction: 'out', asOf, page: { first: 10 } });
    expect((await roles(T1 + 1)).items.map((r) => r.node.id)).toEqual(['role:y']);
    expect((await roles(T3)).items).toEqual([]);
  });

  it('a removal of something never seen keeps its ends as placeholders until they are described', async () => {
    await apply(store, event(T2, [unrel('HAS_ROLE', 'nhi:c', 'role:z')]));
    expect(await store.getNode('nhi:c')).toMatchObject({ kind: 'NHI', placeholder: true, validFrom: T2 });
    expect(await store.getNode('role:z')).toMatchObject({ kind: 'Role', placeholder: true });
    // The grant, then the NHI's own creation, arrive later and still meet the removal.
    await apply(store, event(T1, [rel('HAS_ROLE', 'nhi:c', 'role:z')]));
    await apply(store, event(T0, [node('NHI', 'nhi:c')]));
    expect(await store.getNode('nhi:c')).toMatchObject({ placeholder: false, validFrom: T0 });
    const roles = (asOf: number) => store.neighbours({ id: 'nhi:c', type: 'HAS_ROLE', direction: 'out', asOf, page: { first: 10 } });
    expect((await roles(T1 + 1)).items.map((r) => r.node.id)).toEqual(['role:z']);
    expect((await roles(T3)).items).toEqual([]);
  });

  it('a node named as one kind and described, in a later batch, as another takes the kind it is described as', async () => {
    await apply(store, event(T0, [ref('NHI', 'x:1')]));
    expect(await store.getNode('x:1')).toMatchObject({ kind: 'NHI', placeholder: true });
    await apply(store, event(T1, [node('Workload', 'x:1', { environment: 'prod' })]));
    expect(await store.getNode('x:1')).toMatchObject({ kind: 'Workload', placeholder: false, attributes: { environment: 'prod' } });
    // Named again as it first was: still what it was described as, and seen later.
    await apply(store, event(T2, [ref('NHI', 'x:1')]));
    expect(await store.getNode('x:1')).toMatchObject({ kind: 'Workload', placeholder: false, lastSeen: T2 });
  });

  it('a rotated credential’s successor takes over its open relationships, even one nothing has described yet', async () => {
    await apply(
      store,
      event(T0, [
        node('NHI', 'nhi:r'),
        node('Credential', 'cred:r1'),
        node('SecretStore', 'store:v'),
        node('Workload', 'workload:w'),
        rel('AUTHENTICATES', 'cred:r1', 'nhi:r'),
        rel('STORED_IN', 'cred:r1', 'store:v'),
        rel('USES', 'workload:w', 'cred:r1'),
      ]),
    );
    // A later batch: the rotation names a successor no event has described.
    await apply(store, event(T1, [inherit('cred:r1', 'cred:r2', ['AUTHENTICATES', 'STORED_IN', 'USES'])]));
    expect(await store.getNode('cred:r2')).toMatchObject({ kind: 'Credential', placeholder: true, validFrom: T1 });
    expect(await store.getNode('nhi:r')).toMatchObject({ placeholder: false, validFrom: T0 });
    const at = async (id: string, type: 'AUTHENTICATES' | 'STORED_IN' | 'USES', direction: 'out' | 'in', asOf: number) =>
      (await store.neighbours({ id, type, direction, asOf, page: { first: 10 } })).items.map((n) => n.node.id);
    expect(await at('cred:r2', 'AUTHENTICATES', 'out', T1 + 1)).toEqual(['nhi:r']);
    expect(await at('cred:r2', 'STORED_IN', 'out', T1 + 1)).toEqual(['store:v']);
    // A credential is the target of USES: the workload that used the old one uses the new one.
    expect(await at('cred:r2', 'USES', 'in', T1 + 1)).toEqual(['workload:w']);
    expect(await at('cred:r2', 'AUTHENTICATES', 'out', T0 + 1)).toEqual([]);
  });

  it('a rotation in the same batch as the relationships it passes on, and a second rotation after it, pass them all on', async () => {
    await apply(
      store,
      event(T0, [node('NHI', 'nhi:s'), node('Credential', 'cred:s1'), node('Workload', 'workload:s'), rel('AUTHENTICATES', 'cred:s1', 'nhi:s'), rel('USES', 'workload:s', 'cred:s1')]),
      event(T1, [inherit('cred:s1', 'cred:s2', ['AUTHENTICATES', 'STORED_IN', 'USES'])]),
      event(T2, [inherit('cred:s2', 'cred:s3', ['AUTHENTICATES', 'STORED_IN', 'USES'])]),
    );
    const at = async (id: string, type: 'AUTHENTICATES' | 'USES', direction: 'out' | 'in') =>
      (await store.neighbours({ id, type, direction, asOf: T2 + 1, page: { first: 10 } })).items.map((n) => n.node.id);
    expect(await at('cred:s3', 'AUTHENTICATES', 'out')).toEqual(['nhi:s']);
    expect(await at('cred:s3', 'USES', 'in')).toEqual(['workload:s']);
  });

  it('any order that keeps each subject’s order gives the same graph', async () => {
    const reference = await open();
    await apply(reference, ...history());
    const expected = await snapshot(reference, IDS, TIMES);
    await reference.close();

    // Interleave the subjects differently: reverse the order of subjects, keep each subject's order.
    const bySubject = new Map<string, AcceptedEvent[]>();
    for (const e of history()) bySubject.set(e.subject!, [...(bySubject.get(e.subject!) ?? []), e]);
    const interleaved = [...bySubject.values()].reverse().flat();
    for (const e of interleaved) await apply(store, e);
    expect(await snapshot(store, IDS, TIMES)).toEqual(expected);
  });

  it('keeps every interval: a relationship revoked and granted again has two', async () => {
    await apply(store, ...history());
    const at = (asOf: number) => store.neighbours({ id: 'nhi:a', type: 'HAS_ROLE', direction: 'out', asOf, page: { first: 10 } });
    expect((await at(T0 + 1)).items[0]?.relationship).toMatchObject({ validFrom: T0, validTo: T1, evidence: ['i1', 'i2'] });
    expect((await at(T2)).items).toEqual([]);
    expect((await at(NOW)).items[0]?.relationship).toMatchObject({ validFrom: T3, validTo: null, evidence: ['i3'] });
  });

  it('pages a timeline of the events about an entity', async () => {
    await apply(store, ...history());
    const first = await store.timeline('nhi:a', null, null, { first: 2 });
    expect(first.totalCount).toBe(4);
    // Same time: ordered by source, then id.
    expect(first.items.map((e) => e.eventId)).toEqual(['i1', 'i2']);
    const rest = await store.timeline('nhi:a', null, null, { first: 10, after: first.endCursor });
    expect(rest.items.map((e) => e.eventId)).toEqual(['i4', 'i3']);
    expect(rest.hasNextPage).toBe(false);
    const window = await store.timeline('nhi:a', T1, T2, { first: 10 });
    expect(window.items.map((e) => e.eventId).sort()).toEqual(['i2', 'i4']);
  });

  it('orders a timeline’s events at one time by source, then id, not by arrival, and pages through them so', async () => {
    // Arriving in the opposite order to (source, id), some in a batch of their own.
    const at = (id: string, source: string) => event(T1, [ref('NHI', 'nhi:t')], { id, source });
    await apply(store, at('z', 'iam'), at('a', 'iam'));
    await apply(store, at('m', 'cloud'), event(T0, [node('NHI', 'nhi:t')], { id: 'created', source: 'iam' }));
    const expected = ['created', 'm', 'a', 'z'];
    expect((await store.timeline('nhi:t', null, null, { first: 10 })).items.map((e) => e.eventId)).toEqual(expected);
    const seen: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await store.timeline('nhi:t', null, null, { first: 1, ...(after ? { after } : {}) });
      seen.push(...page.items.map((e) => e.eventId));
      if (!page.hasNextPage) break;
      after = page.endCursor!;
    }
    expect(seen).toEqual(expected);
  });

  it('gives follow-ups back in the order their events came, within a batch and across batches', async () => {
    const kind = 'conformance.follow-up';
    const asking = (id: string) => ({ ...event(T1, [ref('NHI', 'nhi:f')], { id }), followUps: [{ kind, payload: JSON.stringify({ id }) }] });
    // One batch whose events' keys sort the other way, then a later batch.
    await apply(store, asking('z'), asking('m'), asking('a'));
    await apply(store, asking('b'));
    const pending = await store.pendingFollowUps(kind, 10);
    expect(pending.map((f) => JSON.parse(f.payload) as { id: string }).map((p) => p.id)).toEqual(['z', 'm', 'a', 'b']);
    expect(pending[0]!.key).toBe(followUpKey(kind, 'conformance', 'z'));
    await store.completeFollowUps([pending[0]!.key, pending[2]!.key]);
    expect((await store.pendingFollowUps(kind, 3)).map((f) => f.key)).toEqual([followUpKey(kind, 'conformance', 'm'), followUpKey(kind, 'conformance', 'b')]);
    await store.completeFollowUps([]);
    expect(await store.pendingFollowUps(kind, 3)).toHaveLength(2);
  });

  it('commits dead letters, counters and the checkpoint with the batch', async () => {
    const [first] = history();
    await store.applyBatch({
      events: [first!],
      deadLetters: [{ raw: Buffer.from('{"broken'), reason: 'malformed JSON: Unexpected end', field: null, origin: 'file:x.ndjson:2', source: null, type: null, receivedAt: T0 }],
      checkpoint: { stream: 'file:x.ndjson', position: '1234' },
    });
    expect(await store.checkpoint('file:x.ndjson')).toBe('1234');
    expect(await store.checkpoint('file:other')).toBeNull();
    const status = await store.ingestionStatus();
    expect(status.deadLettered).toBe(1);
    expect(status.sources.find((s) => s.source === '(unknown)')).toMatchObject({ rejected: 1 });
    const letters = await store.deadLetters({ first: 10 });
    expect(letters.items[0]).toMatchObject({ reason: 'malformed JSON: Unexpected end', origin: 'file:x.ndjson:2' });
    expect(Buffer.from(letters.items[0]!.raw).toString()).toBe('{"broken');
  });
});
