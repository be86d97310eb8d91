import type { GraphStore, OffboardingAction, OffboardingTrigger } from '@lineage/domain';
import { planOffboarding } from '@lineage/domain';
// The query texts are not part of the libs' public surface; the snapshots read them from the adapters' modules.
import { OFFBOARDING_RELATIONSHIPS } from '../../libs/store-embedded/src/sqlite-offboarding';
import { OFFBOARDING_NEIGHBOURHOOD } from '../../libs/store-neo4j/src/neo4j-offboarding';
import { EmbeddedGraphStore } from '@lineage/store-embedded';
import { describeEachStore } from '../conformance/conformance-stores';
import { apply, event, left, node, person, rel, t, unrel, update } from '../conformance/graph-script';

/**
 * The offboarding rules end to end on the embedded store: facts applied to a real store, the
 * context read back with `offboardingContext` (so these also prove the store fetches everything
 * the rules need), and the plan built by the domain's planner.
 */

const T0 = t('2025-01-01T00:00:00Z');
const T1 = t('2025-02-01T00:00:00Z');
const T2 = t('2025-04-01T00:00:00Z');
const LEFT = t('2025-06-01T00:00:00Z');
const RECENTLY = t('2025-05-20T00:00:00Z');
const LONG_AGO = t('2024-10-01T00:00:00Z');
const PLANNED = t('2025-06-01T00:00:05Z');

async function planFor(
  store: GraphStore,
  subjectId: string,
  subjectKind: 'Person' | 'Vendor' = 'Person',
  eventId = 'evt-left',
) {
  const trigger: OffboardingTrigger = {
    subjectId,
    subjectKind,
    eventId,
    eventSource: 'test',
    eventType: subjectKind === 'Person' ? 'hr.person.left' : 'vendor.contract.ended',
    effectiveAt: LEFT,
  };
  return planOffboarding(await store.offboardingContext(subjectId, LEFT), trigger, PLANNED);
}

const summary = (actions: readonly OffboardingAction[]) =>
  actions.map((a) => [a.action, a.targetId, a.suggestedOwnerId]);
const leaves = (id: string, eventId = 'evt-left') => event(LEFT, [left(id, LEFT)], { id: eventId });

describeEachStore('offboarding plans', (open) => {
  let store: GraphStore;
  beforeEach(async () => {
    store = await open();
  });
  afterEach(async () => store.close());

  it('returns no context for a subject the graph does not hold', async () => {
    expect(await store.offboardingContext('person:nobody', LEFT)).toBeNull();
  });

  it('chains of NHIs that create NHIs: every NHI down the chain goes to the manager; what others own stays', async () => {
    await apply(
      store,
      event(
        T0,
        [
          person('person:alice'),
          person('person:bob'),
          person('person:carol'),
          rel('MANAGES', 'person:bob', 'person:alice'),
        ],
        { id: 'evt-hr' },
      ),
      event(
        T1,
        [node('NHI', 'nhi:pipeline-sa', { lastUsedAt: RECENTLY }), rel('CREATED', 'person:alice', 'nhi:pipeline-sa')],
        { id: 'evt-pipeline-sa' },
      ),
      event(T1 + 1, [node('NHI', 'nhi:deploy-bot'), rel('CREATED', 'nhi:pipeline-sa', 'nhi:deploy-bot')], {
        id: 'evt-deploy-bot',
      }),
      event(T1 + 2, [node('Workload', 'workload:deployer'), rel('RUNS_AS', 'workload:deployer', 'nhi:deploy-bot')], {
        id: 'evt-deployer',
      }),
      event(T1 + 3, [
        node('Credential', 'cred:deploy-key', { credentialKind: 'access_key', status: 'active' }),
        rel('AUTHENTICATES', 'cred:deploy-key', 'nhi:deploy-bot'),
        rel('CREATED', 'nhi:deploy-bot', 'cred:deploy-key'),
      ]),
      // Alice created it, Carol owns it: Carol answers for it, before and after.
      event(T1 + 4, [
        node('NHI', 'nhi:carols'),
        rel('CREATED', 'person:alice', 'nhi:carols'),
        rel('OWNS', 'person:carol', 'nhi:carols'),
      ]),
      leaves('person:alice'),
    );

    const plan = await planFor(store, 'person:alice');
    expect(summary(plan.actions)).toEqual([
      ['REASSIGN', 'nhi:deploy-bot', 'person:bob'],
      ['REASSIGN', 'nhi:pipeline-sa', 'person:bob'],
    ]);
    const deployBot = plan.actions[0]!;
    expect(deployBot.reason).toContain('person:alice was the accountable human for it');
    expect(deployBot.reason).toContain('workload workload:deployer runs as it');
    expect(deployBot.reason).toContain('suggested owner person:bob: the manager of person:alice');
    // Evidence: the trigger, the chain person → NHI → NHI, the workload running as it, the manager.
    expect(deployBot.evidence).toEqual(['evt-left', 'evt-pipeline-sa', 'evt-deploy-bot', 'evt-deployer', 'evt-hr']);
    expect(plan.actions[1]!.reason).toContain('last used 2025-05-20');
  });

  it('a declared co-owner who stays: nothing to do for that NHI', async () => {
    await apply(
      store,
      event(T0, [person('person:alice'), person('person:carol')]),
      event(T1, [
        node('NHI', 'nhi:shared', { lastUsedAt: RECENTLY }),
        rel('OWNS', 'person:alice', 'nhi:shared'),
        rel('CREATED', 'person:alice', 'nhi:shared'),
      ]),
      event(T1 + 1, [rel('OWNS', 'person:carol', 'nhi:shared')]),
      // Alice's other NHI has no co-owner: it is in the plan, so the plan is not empty by accident.
      event(T1 + 2, [node('NHI', 'nhi:solo'), rel('OWNS', 'person:alice', 'nhi:solo')]),
      leaves('person:alice'),
    );
    const context = await store.offboardingContext('person:alice', LEFT);
    expect(context?.candidateNhiIds).toEqual(['nhi:shared', 'nhi:solo']);
    expect((await planFor(store, 'person:alice')).actions.map((a) => a.targetId)).toEqual(['nhi:solo']);
  });

  it('a manager who left earlier: escalate to the manager’s manager, and say so', async () => {
    await apply(
      store,
      event(
        T0,
        [
          person('person:alice'),
          person('person:bob'),
          person('person:dana'),
          rel('MANAGES', 'person:dana', 'person:bob'),
        ],
        { id: 'evt-dana-manages-bob' },
      ),
      event(T0 + 1, [rel('MANAGES', 'person:bob', 'person:alice')], { id: 'evt-bob-manages-alice' }),
      event(
        T1,
        [node('NHI', 'nhi:reports-bot', { lastUsedAt: RECENTLY }), rel('OWNS', 'person:alice', 'nhi:reports-bot')],
        { id: 'evt-owns' },
      ),
      // Bob leaves first, and HR closes his reporting line when he goes.
      event(T2, [left('person:bob', T2), unrel('MANAGES', 'person:dana', 'person:bob')], { id: 'evt-bob-left' }),
      leaves('person:alice'),
    );
    const [action, ...rest] = (await planFor(store, 'person:alice')).actions;
    expect(rest).toEqual([]);
    expect(action).toMatchObject({ targetId: 'nhi:reports-bot', action: 'REASSIGN', suggestedOwnerId: 'person:dana' });
    expect(action?.reason).toContain('the manager of person:bob, who managed person:alice (escalated)');
    expect(action?.reason).toContain('person:bob, the manager of person:alice, left on 2025-04-01');
    // Bob's leaving closed Dana's line to him, so it is on that relationship's evidence too.
    expect(action?.evidence).toEqual([
      'evt-left',
      'evt-owns',
      'evt-bob-manages-alice',
      'evt-dana-manages-bob',
      'evt-bob-left',
    ]);
  });

  it('a vendor ending: its NHIs go to the active sponsor and the credentials it held rotate', async () => {
    await apply(
      store,
      event(
        T0,
        [
          person('person:erin'),
          node('Vendor', 'vendor:acme', { contractStatus: 'active', endedAt: null }),
          rel('SPONSORS', 'person:erin', 'vendor:acme'),
        ],
        {
          id: 'evt-acme',
        },
      ),
      event(
        T1,
        [
          node('NHI', 'nhi:acme-app', { nhiKind: 'oauth_app', lastUsedAt: RECENTLY }),
          rel('SUPPLIES', 'vendor:acme', 'nhi:acme-app'),
        ],
        { id: 'evt-acme-app' },
      ),
      event(
        T1 + 1,
        [
          node('Credential', 'cred:acme-secret', { credentialKind: 'client_secret', status: 'active' }),
          rel('AUTHENTICATES', 'cred:acme-secret', 'nhi:acme-app'),
        ],
        {
          id: 'evt-acme-secret',
        },
      ),
      // Created down the line by the vendor's app: orphaned through it.
      event(T1 + 2, [node('NHI', 'nhi:acme-child'), rel('CREATED', 'nhi:acme-app', 'nhi:acme-child')], {
        id: 'evt-acme-child',
      }),
      event(LEFT, [update('Vendor', 'vendor:acme', { contractStatus: 'ended', endedAt: LEFT })], { id: 'evt-ended' }),
    );
    const plan = await planFor(store, 'vendor:acme', 'Vendor', 'evt-ended');
    expect(summary(plan.actions)).toEqual([
      ['REASSIGN', 'nhi:acme-app', 'person:erin'],
      ['REASSIGN', 'nhi:acme-child', 'person:erin'],
      ['ROTATE', 'cred:acme-secret', null],
    ]);
    expect(plan.actions[0]!.reason).toContain('the contract of vendor:acme ended');
    expect(plan.actions[0]!.reason).toContain('suggested owner person:erin: the sponsor of vendor:acme');
    expect(plan.actions[2]!.evidence).toEqual(['evt-ended', 'evt-acme-secret']);
  });

  it('a vendor ending with its sponsor gone: an unused NHI is disabled and its credentials revoked', async () => {
    await apply(
      store,
      event(T0, [
        person('person:sam'),
        node('Vendor', 'vendor:oldco', { contractStatus: 'active', endedAt: null }),
        rel('SPONSORS', 'person:sam', 'vendor:oldco'),
      ]),
      event(T1, [
        node('NHI', 'nhi:oldco-bot', { lastUsedAt: LONG_AGO }),
        rel('SUPPLIES', 'vendor:oldco', 'nhi:oldco-bot'),
      ]),
      event(T1 + 1, [
        node('Credential', 'cred:oldco-token', { credentialKind: 'api_token', status: 'active' }),
        rel('AUTHENTICATES', 'cred:oldco-token', 'nhi:oldco-bot'),
      ]),
      event(T2, [left('person:sam', T2)]),
      event(LEFT, [update('Vendor', 'vendor:oldco', { contractStatus: 'ended', endedAt: LEFT })], { id: 'evt-ended' }),
    );
    const plan = await planFor(store, 'vendor:oldco', 'Vendor', 'evt-ended');
    expect(summary(plan.actions)).toEqual([
      ['DISABLE', 'nhi:oldco-bot', null],
      ['REVOKE', 'cred:oldco-token', null],
    ]);
    expect(plan.actions[0]!.reason).toContain('sponsor person:sam left on 2025-04-01');
    expect(plan.actions[0]!.reason).toContain('not used in the last 90 days');
  });

  it('ROTATE the live credentials the leaver created, whoever answers for their NHI', async () => {
    await apply(
      store,
      event(T0, [person('person:alice'), person('person:carol')]),
      event(T1, [node('NHI', 'nhi:svc'), rel('OWNS', 'person:carol', 'nhi:svc')]),
      event(
        T1 + 1,
        [
          node('Credential', 'cred:alice-key', { credentialKind: 'access_key', status: 'active' }),
          rel('AUTHENTICATES', 'cred:alice-key', 'nhi:svc'),
          rel('CREATED', 'person:alice', 'cred:alice-key'),
        ],
        {
          id: 'evt-key',
        },
      ),
      event(T1 + 2, [
        node('Credential', 'cred:gone', { credentialKind: 'access_key', status: 'active' }),
        rel('AUTHENTICATES', 'cred:gone', 'nhi:svc'),
        rel('CREATED', 'person:alice', 'cred:gone'),
      ]),
      event(T2, [update('Credential', 'cred:gone', { status: 'deleted' })]),
      leaves('person:alice'),
    );
    const plan = await planFor(store, 'person:alice');
    expect(summary(plan.actions)).toEqual([['ROTATE', 'cred:alice-key', null]]);
    expect(plan.actions[0]).toMatchObject({
      reason: 'created by person:alice, who may know its secret',
      evidence: ['evt-left', 'evt-key'],
    });
  });

  it('ROTATE the credentials kept in a secret store the leaver could read, through roles and the roles they can assume', async () => {
    await apply(
      store,
      event(T0, [person('person:alice')]),
      event(
        T0 + 1,
        [
          node('Role', 'role:payments'),
          rel('GRANTS', 'role:payments', 'store:vault:kv/payments/*', 'declared', { level: 'read', actions: ['read'] }),
          node('Role', 'role:break-glass'),
          rel('CAN_ASSUME', 'role:payments', 'role:break-glass'),
          rel('GRANTS', 'role:break-glass', 'store:vault:kv/root', 'declared', { level: 'admin', actions: ['*'] }),
          node('Role', 'role:old-team'),
          rel('GRANTS', 'role:old-team', 'store:vault:kv/old', 'declared', { level: 'read', actions: ['read'] }),
        ],
        { id: 'evt-roles' },
      ),
      event(
        T0 + 2,
        [rel('HAS_ROLE', 'person:alice', 'role:payments'), rel('HAS_ROLE', 'person:alice', 'role:old-team')],
        { id: 'evt-alice-roles' },
      ),
      event(
        T1,
        [
          node('SecretStore', 'store:vault:kv/payments/db', { storeKind: 'vault', vault: true }),
          node('SecretStore', 'store:vault:kv/root', { storeKind: 'vault', vault: true }),
          node('SecretStore', 'store:vault:kv/old', { storeKind: 'vault', vault: true }),
          node('SecretStore', 'store:vault:kv/other/db', { storeKind: 'vault', vault: true }),
          node('Credential', 'cred:db-password', { credentialKind: 'client_secret', status: 'active' }),
          node('Credential', 'cred:root-token', { credentialKind: 'api_token', status: 'active' }),
          node('Credential', 'cred:old-secret', { credentialKind: 'api_token', status: 'active' }),
          node('Credential', 'cred:other-secret', { credentialKind: 'api_token', status: 'active' }),
          rel('STORED_IN', 'cred:db-password', 'store:vault:kv/payments/db'),
          rel('STORED_IN', 'cred:root-token', 'store:vault:kv/root'),
          rel('STORED_IN', 'cred:old-secret', 'store:vault:kv/old'),
          rel('STORED_IN', 'cred:other-secret', 'store:vault:kv/other/db'),
        ],
        { id: 'evt-stores' },
      ),
      // Alice lost the old team's role before she left: what it granted is not hers to rotate.
      event(T2, [unrel('HAS_ROLE', 'person:alice', 'role:old-team')]),
      leaves('person:alice'),
    );
    const plan = await planFor(store, 'person:alice');
    expect(summary(plan.actions)).toEqual([
      ['ROTATE', 'cred:db-password', null],
      ['ROTATE', 'cred:root-token', null],
    ]);
    expect(plan.actions[0]!.reason).toBe(
      'kept in secret store store:vault:kv/payments/db, which person:alice could read through role role:payments (read grant on store:vault:kv/payments/*)',
    );
    expect(plan.actions[1]!.reason).toContain(
      'through role role:payments → role:break-glass (admin grant on store:vault:kv/root)',
    );
    expect(plan.actions[0]!.evidence).toEqual(['evt-left', 'evt-alice-roles', 'evt-roles', 'evt-stores']);
  });

  it('REVOKE the leaver’s own PAT that a workload uses; an unused PAT is rotated like any credential they created', async () => {
    await apply(
      store,
      event(T0, [person('person:alice'), node('NHI', 'nhi:github-alice', { nhiKind: 'machine_user' })]),
      event(
        T1,
        [
          node('Credential', 'cred:alice-pat', { credentialKind: 'pat', status: 'active' }),
          rel('AUTHENTICATES', 'cred:alice-pat', 'nhi:github-alice'),
          rel('CREATED', 'person:alice', 'cred:alice-pat'),
          node('Credential', 'cred:alice-spare-pat', { credentialKind: 'pat', status: 'active' }),
          rel('AUTHENTICATES', 'cred:alice-spare-pat', 'nhi:github-alice'),
          rel('CREATED', 'person:alice', 'cred:alice-spare-pat'),
        ],
        { id: 'evt-pats' },
      ),
      event(
        T2,
        [
          node('Workload', 'workload:release-pipeline'),
          rel('USES', 'workload:release-pipeline', 'cred:alice-pat', 'observed'),
        ],
        { id: 'evt-ci-ran' },
      ),
      leaves('person:alice'),
    );
    const plan = await planFor(store, 'person:alice');
    expect(summary(plan.actions)).toEqual([
      ['ROTATE', 'cred:alice-spare-pat', null],
      ['REVOKE', 'cred:alice-pat', null],
    ]);
    expect(plan.actions[1]).toMatchObject({
      reason:
        'personal access token of person:alice, used by workload:release-pipeline: revoke it and give that workload a credential of their own',
      evidence: ['evt-left', 'evt-pats', 'evt-ci-ran'],
    });
  });

  it('DISABLE an unused NHI that nobody can take over', async () => {
    await apply(
      store,
      event(T0, [person('person:alice')]),
      event(T1, [node('NHI', 'nhi:old-bot', { lastUsedAt: LONG_AGO }), rel('OWNS', 'person:alice', 'nhi:old-bot')], {
        id: 'evt-old-bot',
      }),
      leaves('person:alice'),
    );
    const [action, ...rest] = (await planFor(store, 'person:alice')).actions;
    expect(rest).toEqual([]);
    expect(action).toMatchObject({
      targetId: 'nhi:old-bot',
      action: 'DISABLE',
      suggestedOwnerId: null,
      evidence: ['evt-left', 'evt-old-bot'],
    });
    expect(action?.reason).toContain('not used in the last 90 days');
    expect(action?.reason).toContain(
      'no active manager, sponsor or workload owner can take it over (person:alice has no manager on record)',
    );
  });
});

describe('offboarding context queries', () => {
  it("the embedded store's statement reaches relationships and nodes by key only, never by scanning a type or kind", () => {
    const store = EmbeddedGraphStore.open({ dataDir: ':memory:' });
    try {
      const params = {
        subject: 'person:x',
        asOf: 0,
        candidates: '[]',
        managerDepth: 2,
        roleDepth: 4,
        storeKind: 'SecretStore',
        manages: 'MANAGES',
        hasRole: 'HAS_ROLE',
        canAssume: 'CAN_ASSUME',
        grants: 'GRANTS',
        created: 'CREATED',
        storedIn: 'STORED_IN',
        authenticates: 'AUTHENTICATES',
        uses: 'USES',
      };
      const steps = (
        store.db.prepare(`EXPLAIN QUERY PLAN ${OFFBOARDING_RELATIONSHIPS}`).all(params) as { detail: string }[]
      ).map((row) => row.detail);
      const tableAccess = steps.filter(
        (detail) => / (r|n) USING /.test(detail) || /^SCAN (r|n|relationships|nodes)\b/.test(detail),
      );
      expect(tableAccess.length).toBeGreaterThan(0);
      // Each access to relationships (r) or nodes (n) names the node id it starts from (src=?, dst=?, id=? or an id range).
      for (const detail of tableAccess) expect(detail).toMatch(/(src=\?|dst=\?|id=\?|id>\?)/);
    } finally {
      void store.close();
    }
  });

  it("keeps the text of the embedded store's query under review", () => {
    expect(OFFBOARDING_RELATIONSHIPS).toMatchSnapshot();
  });

  it("keeps the text of the Neo4j adapter's query under review", () => {
    expect(OFFBOARDING_NEIGHBOURHOOD).toMatchSnapshot();
  });
});
