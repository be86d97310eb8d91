import type { GraphStore } from '@lineage/domain';
import { MAX_LINEAGE_DEPTH } from '@lineage/domain';
import { describeEachStore } from './conformance-stores';
import { apply, event, left, node, person, ref, rel, retire, t, unrel } from './graph-script';

const T0 = t('2025-01-01T00:00:00Z');
const T1 = t('2025-02-01T00:00:00Z');
const T2 = t('2025-03-01T00:00:00Z');
const T3 = t('2025-04-01T00:00:00Z');
const NOW = t('2026-01-01T00:00:00Z');

describeEachStore('lineage: who is accountable for an NHI', (open) => {
  let store: GraphStore;
  beforeEach(async () => {
    store = await open();
  });
  afterEach(async () => store.close());

  it('a declared owner beats the creator', async () => {
    await apply(
      store,
      event(T0, [person('person:alice'), person('person:bob')]),
      event(T1, [node('NHI', 'nhi:svc', { nhiKind: 'service_account' }), rel('CREATED', 'person:bob', 'nhi:svc'), rel('OWNS', 'person:alice', 'nhi:svc')], { id: 'created-svc' }),
    );
    const lineage = await store.lineage('nhi:svc', NOW);
    expect(lineage?.status).toBe('ACCOUNTABLE');
    expect(lineage?.accountable?.id).toBe('person:alice');
    expect(lineage?.chain.map((s) => [s.from.id, s.relation, s.to.id])).toEqual([['person:alice', 'OWNS', 'nhi:svc']]);
    expect(lineage?.chain[0]?.evidence).toEqual(['created-svc']);
  });

  it('the creator answers when the declared owner has left', async () => {
    await apply(
      store,
      event(T0, [person('person:alice'), person('person:bob')]),
      event(T1, [node('NHI', 'nhi:svc'), rel('CREATED', 'person:bob', 'nhi:svc'), rel('OWNS', 'person:alice', 'nhi:svc')]),
      event(T2, [left('person:alice', T2)]),
    );
    expect((await store.lineage('nhi:svc', NOW))?.accountable?.id).toBe('person:bob');
    // As of before she left, Alice still answered for it.
    expect((await store.lineage('nhi:svc', T1 + 1))?.accountable?.id).toBe('person:alice');
  });

  it('a chain person → NHI → NHI → credential resolves to the person', async () => {
    await apply(
      store,
      event(T0, [person('person:carol')]),
      event(T1, [node('NHI', 'nhi:pipeline-sa'), rel('CREATED', 'person:carol', 'nhi:pipeline-sa')]),
      event(T1 + 1, [node('NHI', 'nhi:deploy-bot'), rel('CREATED', 'nhi:pipeline-sa', 'nhi:deploy-bot')]),
      event(T1 + 2, [node('Credential', 'cred:key-1', { credentialKind: 'access_key', status: 'active' }), rel('AUTHENTICATES', 'cred:key-1', 'nhi:deploy-bot'), rel('CREATED', 'nhi:deploy-bot', 'cred:key-1')]),
    );
    const nhi = await store.lineage('nhi:deploy-bot', NOW);
    expect(nhi?.status).toBe('ACCOUNTABLE');
    expect(nhi?.accountable?.id).toBe('person:carol');
    expect(nhi?.chain.map((s) => [s.from.id, s.relation, s.to.id])).toEqual([
      ['person:carol', 'CREATED', 'nhi:pipeline-sa'],
      ['nhi:pipeline-sa', 'CREATED', 'nhi:deploy-bot'],
    ]);
    const credential = await store.lineage('cred:key-1', NOW);
    expect(credential?.accountable?.id).toBe('person:carol');
    expect(credential?.chain.at(-1)).toMatchObject({ from: { id: 'nhi:deploy-bot' }, relation: 'CREATED', to: { id: 'cred:key-1' } });
  });

  it('a credential that authenticates two NHIs since the same instant resolves through the first by id', async () => {
    // Both NHIs have an active owner: the tie is broken by the NHI's id, not by the order a store reads rows in.
    await apply(
      store,
      event(T0, [person('person:ann'), person('person:ben')]),
      event(T1, [
        node('NHI', 'nhi:b'), node('NHI', 'nhi:a'), rel('OWNS', 'person:ben', 'nhi:b'), rel('OWNS', 'person:ann', 'nhi:a'),
        node('Credential', 'cred:shared', { status: 'active' }), rel('AUTHENTICATES', 'cred:shared', 'nhi:b'), rel('AUTHENTICATES', 'cred:shared', 'nhi:a'),
      ]),
    );
    const lineage = await store.lineage('cred:shared', NOW);
    expect(lineage?.accountable?.id).toBe('person:ann');
    expect(lineage?.chain.map((s) => [s.from.id, s.relation, s.to.id])).toEqual([
      ['person:ann', 'OWNS', 'nhi:a'],
      ['cred:shared', 'AUTHENTICATES', 'nhi:a'],
    ]);
  });

  it('the owner of a workload covers the NHI it runs as', async () => {
    await apply(
      store,
      event(T0, [person('person:dave')]),
      event(T1, [node('NHI', 'nhi:payments-sa'), node('Workload', 'workload:payments'), rel('RUNS_AS', 'workload:payments', 'nhi:payments-sa'), rel('OWNS', 'person:dave', 'workload:payments')]),
    );
    const lineage = await store.lineage('nhi:payments-sa', NOW);
    expect(lineage?.accountable?.id).toBe('person:dave');
    expect(lineage?.chain.map((s) => s.relation)).toEqual(['OWNS', 'RUNS_AS']);
  });

  it("a vendor's sponsor covers a vendor NHI, until the contract ends", async () => {
    await apply(
      store,
      event(T0, [person('person:erin'), person('person:frank')]),
      event(T1, [node('Vendor', 'vendor:acme', { contractStatus: 'active' }), rel('SPONSORS', 'person:erin', 'vendor:acme')]),
      event(T1 + 1, [node('NHI', 'nhi:acme-app', { nhiKind: 'oauth_app' }), rel('SUPPLIES', 'vendor:acme', 'nhi:acme-app')]),
      event(T1 + 2, [node('NHI', 'nhi:acme-owned', { nhiKind: 'oauth_app' }), rel('SUPPLIES', 'vendor:acme', 'nhi:acme-owned'), rel('OWNS', 'person:frank', 'nhi:acme-owned')]),
    );
    const before = await store.lineage('nhi:acme-app', T2);
    expect(before?.status).toBe('ACCOUNTABLE');
    expect(before?.accountable?.id).toBe('person:erin');
    expect(before?.chain.map((s) => s.relation)).toEqual(['SPONSORS', 'SUPPLIES']);

    await apply(store, event(T3, [{ op: 'node', kind: 'Vendor', id: 'vendor:acme', defines: false, attributes: { contractStatus: 'ended', endedAt: T3 } }]));
    const after = await store.lineage('nhi:acme-app', NOW);
    expect(after?.status).toBe('ORPHANED');
    expect(after?.lastAccountable?.id).toBe('person:erin');
    // An ended vendor orphans its NHIs whatever else covers them.
    expect((await store.lineage('nhi:acme-owned', NOW))?.status).toBe('ORPHANED');
    expect((await store.lineage('nhi:acme-owned', T2))?.accountable?.id).toBe('person:frank');
  });

  it('follows NHIs creating NHIs as far as MAX_LINEAGE_DEPTH, and no further', async () => {
    // person:pat → nhi:gen-1 → … → nhi:gen-(MAX + 1), each created by the one before.
    const gen = (n: number) => `nhi:gen-${String(n).padStart(2, '0')}`;
    const chain = Array.from({ length: MAX_LINEAGE_DEPTH + 1 }, (_, i) =>
      event(T1 + i, [node('NHI', gen(i + 1)), rel('CREATED', i === 0 ? 'person:pat' : gen(i), gen(i + 1))]),
    );
    await apply(store, event(T0, [person('person:pat')]), ...chain);

    const deepest = await store.lineage(gen(MAX_LINEAGE_DEPTH), NOW);
    expect(deepest?.accountable?.id).toBe('person:pat');
    expect(deepest?.chain).toHaveLength(MAX_LINEAGE_DEPTH);
    expect((await store.lineage(gen(MAX_LINEAGE_DEPTH + 1), NOW))?.status).toBe('UNOWNED');

    // Pat's leaving orphans every NHI Pat answered for, and only those.
    await apply(store, event(T2, [left('person:pat', T2)]));
    const orphaned = await store.orphanedBy('person:pat', NOW);
    expect(orphaned.map((o) => o.lineage.root.id)).toEqual(Array.from({ length: MAX_LINEAGE_DEPTH }, (_, i) => gen(i + 1)));
  });

  it('an NHI with no chain is UNOWNED', async () => {
    await apply(store, event(T0, [node('NHI', 'nhi:stray', { nhiKind: 'bot' })]));
    const lineage = await store.lineage('nhi:stray', NOW);
    expect(lineage).toMatchObject({ status: 'UNOWNED', accountable: null, chain: [] });
    expect(await store.lineage('nhi:never-seen', NOW)).toBeNull();
  });

  it('a placeholder filled in later resolves like any node', async () => {
    // The IAM event names an owner before HR has said who that is.
    await apply(store, event(T1, [node('NHI', 'nhi:early'), ref('Person', 'person:gina'), rel('OWNS', 'person:gina', 'nhi:early')]));
    expect((await store.getNode('person:gina'))?.placeholder).toBe(true);
    await apply(store, event(T0, [person('person:gina', { email: 'gina@example.com' })], { id: 'gina-joined' }));
    const gina = await store.getNode('person:gina');
    expect(gina).toMatchObject({ placeholder: false, kind: 'Person', validFrom: T0 });
    expect(gina?.attributes['email']).toBe('gina@example.com');
    expect((await store.lineage('nhi:early', NOW))?.accountable?.id).toBe('person:gina');
  });

  it('a deleted NHI keeps its history', async () => {
    await apply(store, event(T0, [person('person:hal')]), event(T1, [node('NHI', 'nhi:old'), rel('OWNS', 'person:hal', 'nhi:old')]), event(T2, [retire('NHI', 'nhi:old')]));
    const nhi = await store.getNode('nhi:old');
    expect(nhi).toMatchObject({ validFrom: T1, validTo: T2 });
    expect((await store.lineage('nhi:old', T1 + 1))?.accountable?.id).toBe('person:hal');
  });
});

describeEachStore('orphanedBy: what a leaver leaves without an accountable human', (open) => {
  let store: GraphStore;
  beforeEach(async () => {
    store = await open();
    await apply(
      store,
      event(T0, [person('person:ivan'), person('person:judy'), person('person:ken')]),
      // Ivan owns one NHI, created another whose only other owner is Judy, and created a pipeline NHI that created a third.
      event(T1, [node('NHI', 'nhi:ivan-owned'), rel('OWNS', 'person:ivan', 'nhi:ivan-owned')]),
      event(T1, [node('NHI', 'nhi:co-owned'), rel('CREATED', 'person:ivan', 'nhi:co-owned'), rel('OWNS', 'person:judy', 'nhi:co-owned')]),
      event(T1, [node('NHI', 'nhi:ivan-pipeline'), rel('CREATED', 'person:ivan', 'nhi:ivan-pipeline')]),
      event(T1 + 1, [node('NHI', 'nhi:made-by-pipeline'), rel('CREATED', 'nhi:ivan-pipeline', 'nhi:made-by-pipeline')]),
      event(T1 + 1, [node('Credential', 'cred:pipeline-key', { status: 'active' }), rel('AUTHENTICATES', 'cred:pipeline-key', 'nhi:ivan-pipeline')]),
      event(T1 + 1, [node('Credential', 'cred:deleted-key', { status: 'active' }), rel('AUTHENTICATES', 'cred:deleted-key', 'nhi:ivan-pipeline')]),
      event(T1 + 1, [node('Credential', 'cred:revoked-key', { status: 'revoked' }), rel('AUTHENTICATES', 'cred:revoked-key', 'nhi:ivan-pipeline')]),
      event(T1 + 2, [retire('Credential', 'cred:deleted-key')]),
      // Ken's NHI is none of Ivan's business.
      event(T1, [node('NHI', 'nhi:ken-owned'), rel('OWNS', 'person:ken', 'nhi:ken-owned')]),
      event(T2, [left('person:ivan', T2)]),
    );
  });
  afterEach(async () => store.close());

  it('lists exactly the NHIs the leaver was accountable for that nobody else covers', async () => {
    const orphaned = await store.orphanedBy('person:ivan', NOW);
    expect(orphaned.map((o) => o.lineage.root.id)).toEqual(['nhi:ivan-owned', 'nhi:ivan-pipeline', 'nhi:made-by-pipeline']);
    for (const o of orphaned) {
      expect(o.lineage.status).toBe('ORPHANED');
      expect(o.lineage.lastAccountable?.id).toBe('person:ivan');
    }
    expect(orphaned.find((o) => o.lineage.root.id === 'nhi:ivan-pipeline')?.credentials.map((c) => c.id)).toEqual(['cred:pipeline-key']);
    expect((await store.lineage('nhi:co-owned', NOW))?.accountable?.id).toBe('person:judy');
  });

  it("follows every chain a leaver answers through: a workload's NHI, a sponsored vendor's NHIs and what they create", async () => {
    await apply(
      store,
      event(T0, [person('person:lena'), node('Vendor', 'vendor:acme')]),
      event(T1, [node('Workload', 'wl:lena-batch'), rel('OWNS', 'person:lena', 'wl:lena-batch')]),
      event(T1, [node('NHI', 'nhi:batch-runner'), rel('RUNS_AS', 'wl:lena-batch', 'nhi:batch-runner')]),
      event(T1, [rel('SPONSORS', 'person:lena', 'vendor:acme'), node('NHI', 'nhi:acme-sync'), rel('SUPPLIES', 'vendor:acme', 'nhi:acme-sync')]),
      event(T1 + 1, [node('NHI', 'nhi:acme-helper'), rel('CREATED', 'nhi:acme-sync', 'nhi:acme-helper')]),
      // Owned by an NHI Lena created: OWNS counts only from a person, so nobody answers for it, before or after.
      event(T1, [node('NHI', 'nhi:lena-tool'), rel('CREATED', 'person:lena', 'nhi:lena-tool'), node('NHI', 'nhi:tool-owned'), rel('OWNS', 'nhi:lena-tool', 'nhi:tool-owned')]),
      // Keys she made herself for her tool: the walk down from her reaches them too; only the live one is listed.
      event(T1 + 1, [node('Credential', 'cred:lena-key', { status: 'active' }), rel('CREATED', 'person:lena', 'cred:lena-key'), rel('AUTHENTICATES', 'cred:lena-key', 'nhi:lena-tool')]),
      event(T1 + 1, [node('Credential', 'cred:lena-old-key', { status: 'revoked' }), rel('CREATED', 'person:lena', 'cred:lena-old-key'), rel('AUTHENTICATES', 'cred:lena-old-key', 'nhi:lena-tool')]),
      event(T2, [left('person:lena', T2)]),
    );
    const orphaned = await store.orphanedBy('person:lena', NOW);
    expect(orphaned.map((o) => [o.lineage.root.id, o.lineage.chain.map((s) => s.relation).join(' ')])).toEqual([
      ['nhi:acme-helper', 'SPONSORS SUPPLIES CREATED'],
      ['nhi:acme-sync', 'SPONSORS SUPPLIES'],
      ['nhi:batch-runner', 'OWNS RUNS_AS'],
      ['nhi:lena-tool', 'CREATED'],
    ]);
    expect(orphaned.find((o) => o.lineage.root.id === 'nhi:lena-tool')?.credentials.map((c) => c.id)).toEqual(['cred:lena-key']);
    expect((await store.lineage('nhi:tool-owned', NOW))?.status).toBe('UNOWNED');
  });

  it('is empty before the person left, and for a person who never left', async () => {
    expect(await store.orphanedBy('person:ivan', T1 + 10)).toEqual([]);
    expect(await store.orphanedBy('person:ken', NOW)).toEqual([]);
  });

  it('drops an NHI once someone active takes it over', async () => {
    await apply(store, event(T3, [rel('OWNS', 'person:ken', 'nhi:ivan-owned')]));
    expect((await store.orphanedBy('person:ivan', NOW)).map((o) => o.lineage.root.id)).toEqual(['nhi:ivan-pipeline', 'nhi:made-by-pipeline']);
    // As of before the takeover the answer is unchanged.
    expect((await store.orphanedBy('person:ivan', T3 - 1)).map((o) => o.lineage.root.id)).toContain('nhi:ivan-owned');
  });

  it("lists an orphan's credentials by the edges valid at the time asked, and a key two orphans share under both", async () => {
    await apply(
      store,
      // Attached after Ivan left, then detached; a key both his pipeline NHIs use.
      event(T2 + 10, [node('Credential', 'cred:late-key', { status: 'active' }), rel('AUTHENTICATES', 'cred:late-key', 'nhi:ivan-pipeline')]),
      event(T3, [unrel('AUTHENTICATES', 'cred:late-key', 'nhi:ivan-pipeline')]),
      event(T2 + 20, [node('Credential', 'cred:shared-key', { status: 'active' }), rel('AUTHENTICATES', 'cred:shared-key', 'nhi:ivan-pipeline'), rel('AUTHENTICATES', 'cred:shared-key', 'nhi:made-by-pipeline')]),
    );
    const credentialsAt = async (asOf: number) =>
      (await store.orphanedBy('person:ivan', asOf)).map((o) => [o.lineage.root.id, o.credentials.map((c) => c.id)]);
    expect(await credentialsAt(T2 + 1)).toEqual([
      ['nhi:ivan-owned', []],
      ['nhi:ivan-pipeline', ['cred:pipeline-key']],
      ['nhi:made-by-pipeline', []],
    ]);
    expect(await credentialsAt(T2 + 30)).toEqual([
      ['nhi:ivan-owned', []],
      ['nhi:ivan-pipeline', ['cred:late-key', 'cred:pipeline-key', 'cred:shared-key']],
      ['nhi:made-by-pipeline', ['cred:shared-key']],
    ]);
    expect(await credentialsAt(NOW)).toEqual([
      ['nhi:ivan-owned', []],
      ['nhi:ivan-pipeline', ['cred:pipeline-key', 'cred:shared-key']],
      ['nhi:made-by-pipeline', ['cred:shared-key']],
    ]);
  });

  it('reads nodes by id once each, in id order, skipping ids it does not hold', async () => {
    const nodes = await store.getNodes(['nhi:made-by-pipeline', 'nhi:nobody', 'cred:pipeline-key', 'nhi:made-by-pipeline', 'person:ivan']);
    expect(nodes.map((n) => n.id)).toEqual(['cred:pipeline-key', 'nhi:made-by-pipeline', 'person:ivan']);
  });

  it('orphans pages through every NHI with no active accountable person', async () => {
    await apply(store, event(T1, [node('NHI', 'nhi:zz-unowned')]));
    const first = await store.orphans(NOW, { first: 2 }, { withTotal: true });
    expect(first.items.map((l) => l.root.id)).toEqual(['nhi:ivan-owned', 'nhi:ivan-pipeline']);
    expect(first.hasNextPage).toBe(true);
    expect(first.totalCount).toBe(4);
    const second = await store.orphans(NOW, { first: 2, after: first.endCursor });
    expect(second.items.map((l) => [l.root.id, l.status])).toEqual([
      ['nhi:made-by-pipeline', 'ORPHANED'],
      ['nhi:zz-unowned', 'UNOWNED'],
    ]);
    expect(second.hasNextPage).toBe(false);
  });
});

describeEachStore('relationships always have both ends', (open) => {
  let store: GraphStore;
  beforeEach(async () => {
    store = await open();
  });
  afterEach(async () => store.close());

  it('a relationship to a node nobody described makes a placeholder of the kind its id names', async () => {
    await apply(store, event(T0, [node('NHI', 'nhi:lonely'), rel('OWNS', 'person:ghost', 'nhi:lonely'), rel('CREATED', 'workload:ci', 'nhi:lonely')]));
    expect(await store.getNode('person:ghost')).toMatchObject({ kind: 'Person', placeholder: true, validFrom: T0 });
    expect(await store.getNode('workload:ci')).toMatchObject({ kind: 'Workload', placeholder: true });
    // A person we have no HR record of has not left: they answer for what they own.
    expect((await store.lineage('nhi:lonely', NOW))?.accountable?.id).toBe('person:ghost');
  });
});
