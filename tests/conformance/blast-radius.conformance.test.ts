import type { GraphStore } from '@lineage/domain';
import { describeEachStore } from './conformance-stores';
import { apply, event, node, ref, rel, retire, unrel, t } from './graph-script';

const T0 = t('2025-01-01T00:00:00Z');
const T1 = t('2025-02-01T00:00:00Z');
const T2 = t('2025-03-01T00:00:00Z');
const T3 = t('2025-04-01T00:00:00Z');
const NOW = t('2026-01-01T00:00:00Z');

const grant = (role: string, resource: string, level: 'read' | 'write' | 'admin', actions: string[] = []) => rel('GRANTS', role, resource, 'declared', { level, actions });

describeEachStore('blast radius: what a credential could reach', (open) => {
  let store: GraphStore;
  beforeEach(async () => {
    store = await open();
    await apply(
      store,
      event(T0, [
        node('Credential', 'cred:leaked', { status: 'active' }),
        node('NHI', 'nhi:ci-bot'),
        rel('AUTHENTICATES', 'cred:leaked', 'nhi:ci-bot'),
        ...['role:reader', 'role:deployer', 'role:ops', 'role:root'].map((id) => node('Role', id)),
        ...['resource:db', 'resource:bucket', 'resource:account'].map((id) => ref('Resource', id)),
        grant('role:reader', 'resource:db', 'read', ['db:Select']),
        grant('role:reader', 'resource:bucket', 'write', ['s3:PutObject']),
        grant('role:ops', 'resource:db', 'admin', ['db:*']),
        grant('role:root', 'resource:account', 'admin', ['*']),
        rel('HAS_ROLE', 'nhi:ci-bot', 'role:reader'),
        rel('CAN_ASSUME', 'nhi:ci-bot', 'role:deployer'),
        rel('CAN_ASSUME', 'role:deployer', 'role:ops'),
        rel('CAN_ASSUME', 'role:ops', 'role:root'),
        node('Workload', 'workload:build'),
        node('Workload', 'workload:release'),
        node('SecretStore', 'store:repo-env', { storeKind: 'repo_file', vault: false }),
        rel('USES', 'workload:build', 'cred:leaked', 'observed'),
        rel('USES', 'workload:release', 'cred:leaked', 'observed'),
        rel('STORED_IN', 'cred:leaked', 'store:repo-env'),
      ]),
    );
  });
  afterEach(async () => store.close());

  it('follows HAS_ROLE and chains of CAN_ASSUME, keeping the strongest level per resource', async () => {
    const radius = await store.blastRadius({ rootId: 'cred:leaked', maxDepth: 3, asOf: NOW });
    expect(radius?.root.id).toBe('cred:leaked');
    expect(radius?.resources.map((r) => [r.resource.id, r.level, r.path])).toEqual([
      ['resource:account', 'admin', ['cred:leaked', 'nhi:ci-bot', 'role:deployer', 'role:ops', 'role:root', 'resource:account']],
      ['resource:db', 'admin', ['cred:leaked', 'nhi:ci-bot', 'role:deployer', 'role:ops', 'resource:db']],
      ['resource:bucket', 'write', ['cred:leaked', 'nhi:ci-bot', 'role:reader', 'resource:bucket']],
    ]);
    expect(radius?.truncated).toBe(false);
    // Each resource is the stored node: only referenced by the grants, so still a placeholder.
    expect(radius?.resources[1]?.resource).toMatchObject({ id: 'resource:db', kind: 'Resource', placeholder: true, validTo: null, attributes: {} });
    expect(radius?.resources[1]?.actions).toEqual(['db:*']);
  });

  it('stops at the depth bound and says so', async () => {
    const radius = await store.blastRadius({ rootId: 'cred:leaked', maxDepth: 2, asOf: NOW });
    expect(radius?.resources.map((r) => [r.resource.id, r.level])).toEqual([
      ['resource:db', 'admin'],
      ['resource:bucket', 'write'],
    ]);
    expect(radius?.truncated).toBe(true);
    const shallow = await store.blastRadius({ rootId: 'cred:leaked', maxDepth: 1, asOf: NOW });
    expect(shallow?.resources.map((r) => [r.resource.id, r.level])).toEqual([
      ['resource:bucket', 'write'],
      ['resource:db', 'read'],
    ]);
    expect(shallow?.truncated).toBe(true);
  });

  it('lists the other workloads and secret stores that hold the same credential', async () => {
    const radius = await store.blastRadius({ rootId: 'cred:leaked', maxDepth: 4, asOf: NOW });
    expect(radius?.sharedWith.map((n) => [n.id, n.kind])).toEqual([
      ['store:repo-env', 'SecretStore'],
      ['workload:build', 'Workload'],
      ['workload:release', 'Workload'],
    ]);
  });

  it('answers for an NHI as well as for a credential', async () => {
    const radius = await store.blastRadius({ rootId: 'nhi:ci-bot', maxDepth: 4, asOf: NOW });
    expect(radius?.resources[0]).toMatchObject({ level: 'admin', path: ['nhi:ci-bot', 'role:deployer', 'role:ops', 'role:root', 'resource:account'] });
    expect(radius?.sharedWith.map((n) => n.id)).toEqual(['store:repo-env', 'workload:build', 'workload:release']);
  });

  it('answers as of a time: before and after a revocation', async () => {
    await apply(store, event(T2, [unrel('CAN_ASSUME', 'nhi:ci-bot', 'role:deployer')]));
    const before = await store.blastRadius({ rootId: 'cred:leaked', maxDepth: 4, asOf: T1 });
    expect(before?.resources.map((r) => r.resource.id)).toEqual(['resource:account', 'resource:db', 'resource:bucket']);
    const after = await store.blastRadius({ rootId: 'cred:leaked', maxDepth: 4, asOf: T3 });
    expect(after?.resources.map((r) => [r.resource.id, r.level])).toEqual([
      ['resource:bucket', 'write'],
      ['resource:db', 'read'],
    ]);
    // Granted again later: a second interval, the first one stays closed.
    await apply(store, event(T3, [rel('CAN_ASSUME', 'nhi:ci-bot', 'role:deployer')]));
    expect((await store.blastRadius({ rootId: 'cred:leaked', maxDepth: 4, asOf: (T2 + T3) / 2 }))?.resources).toHaveLength(2);
    expect((await store.blastRadius({ rootId: 'cred:leaked', maxDepth: 4, asOf: NOW }))?.resources).toHaveLength(3);
  });

  it('does not walk through a role that no longer exists, even while the trust into and out of it stays open', async () => {
    // Deleting a node closes its interval only: the CAN_ASSUME relationships at role:ops stay open.
    await apply(store, event(T2, [retire('Role', 'role:ops')]));
    const before = await store.blastRadius({ rootId: 'cred:leaked', maxDepth: 4, asOf: T1 });
    expect(before?.resources.map((r) => r.resource.id)).toEqual(['resource:account', 'resource:db', 'resource:bucket']);
    const after = await store.blastRadius({ rootId: 'cred:leaked', maxDepth: 4, asOf: T3 });
    // Neither role:ops's grants nor role:root, reachable only through it.
    expect(after?.resources.map((r) => [r.resource.id, r.level, r.path])).toEqual([
      ['resource:bucket', 'write', ['cred:leaked', 'nhi:ci-bot', 'role:reader', 'resource:bucket']],
      ['resource:db', 'read', ['cred:leaked', 'nhi:ci-bot', 'role:reader', 'resource:db']],
    ]);
    expect(after?.truncated).toBe(false);
  });

  it('a role defined only after the trust into it starts then: before that, the walk stops at it', async () => {
    // role:late is named by a trust at T0 and defined at T2 (a definition dates the node).
    await apply(
      store,
      event(T0, [ref('Role', 'role:late'), rel('CAN_ASSUME', 'role:deployer', 'role:late'), rel('CAN_ASSUME', 'role:late', 'role:vault')]),
      event(T0, [node('Role', 'role:vault'), ref('Resource', 'resource:vault'), grant('role:vault', 'resource:vault', 'admin')]),
      event(T2, [node('Role', 'role:late')]),
    );
    const ids = async (asOf: number) => (await store.blastRadius({ rootId: 'nhi:ci-bot', maxDepth: 4, asOf }))?.resources.map((r) => r.resource.id);
    expect(await ids(T1)).toEqual(['resource:account', 'resource:db', 'resource:bucket']);
    expect(await ids(T3)).toEqual(['resource:account', 'resource:db', 'resource:vault', 'resource:bucket']);
  });

  it('is null for an id the store has never seen', async () => {
    expect(await store.blastRadius({ rootId: 'cred:unknown', maxDepth: 4, asOf: NOW })).toBeNull();
  });
});
