import type { Finding, FindingsQuery, GraphStore, OwaspNhiRisk } from '@lineage/domain';
import { DEFAULT_FINDINGS_POLICY } from '@lineage/domain';
import { describeEachStore } from './conformance-stores';
import { apply, event, left, node, person, ref, rel, retire, t, unrel, update } from './graph-script';

const DAY = 86_400_000;
const T0 = t('2025-01-01T00:00:00Z');
const T1 = t('2025-02-01T00:00:00Z');
const NOW = t('2025-03-01T00:00:00Z');
const LATER = t('2025-12-01T00:00:00Z');

const fresh = (id: string, extra: Record<string, number | string | null> = {}) =>
  node('Credential', id, { status: 'active', createdAt: NOW - 10 * DAY, lastRotatedAt: NOW - 10 * DAY, expiresAt: NOW + 30 * DAY, ...extra });

async function findingsOf(store: GraphStore, risk: OwaspNhiRisk, asOf = NOW, extra: Partial<FindingsQuery> = {}): Promise<Finding[]> {
  const page = await store.findings({ risks: [risk], subjectId: null, asOf, page: { first: 100 }, policy: DEFAULT_FINDINGS_POLICY, ...extra });
  return [...page.items];
}
const subjects = (findings: Finding[]) => findings.map((f) => f.subject.id);

describeEachStore('findings mapped to the OWASP NHI Top 10', (open) => {
  let store: GraphStore;
  beforeEach(async () => {
    store = await open();
    await apply(store, event(T0, [person('person:owner'), person('person:leaver'), person('person:dev')]));
  });
  afterEach(async () => store.close());

  it('NHI1: an orphaned or unowned NHI that still has an active credential', async () => {
    await apply(
      store,
      event(T0, [node('NHI', 'nhi:orphan'), rel('OWNS', 'person:leaver', 'nhi:orphan'), fresh('cred:orphan'), rel('AUTHENTICATES', 'cred:orphan', 'nhi:orphan')], { id: 'orphan-created' }),
      event(T0, [node('NHI', 'nhi:unowned'), fresh('cred:unowned'), rel('AUTHENTICATES', 'cred:unowned', 'nhi:unowned')]),
      // Negative: owned by someone active; orphaned but its only credential is deleted.
      event(T0, [node('NHI', 'nhi:owned'), rel('OWNS', 'person:owner', 'nhi:owned'), fresh('cred:owned'), rel('AUTHENTICATES', 'cred:owned', 'nhi:owned')]),
      event(T0, [node('NHI', 'nhi:dead-orphan'), rel('OWNS', 'person:leaver', 'nhi:dead-orphan'), fresh('cred:dead'), rel('AUTHENTICATES', 'cred:dead', 'nhi:dead-orphan')]),
      event(T1 - 1, [retire('Credential', 'cred:dead')]),
      event(T1, [left('person:leaver', T1)]),
    );
    const found = await findingsOf(store, 'NHI1');
    expect(found.map((f) => [f.subject.id, f.severity, f.id])).toEqual([
      ['nhi:orphan', 'CRITICAL', 'NHI1:nhi:orphan'],
      ['nhi:unowned', 'HIGH', 'NHI1:nhi:unowned'],
    ]);
    expect(found[0]!.evidence).toContain('orphan-created');
    expect(found[0]!.since).toBe(T1);
    // As of before the leaver left, only the unowned one.
    expect(subjects(await findingsOf(store, 'NHI1', T1 - 2))).toEqual(['nhi:unowned']);
  });

  it('NHI2: a credential kept outside a vault', async () => {
    await apply(
      store,
      event(T0, [fresh('cred:in-repo'), node('SecretStore', 'store:repo', { storeKind: 'repo_file', vault: false }), rel('STORED_IN', 'cred:in-repo', 'store:repo')], { id: 'stored-in-repo' }),
      event(T0, [fresh('cred:in-ci'), node('SecretStore', 'store:ci', { storeKind: 'ci_variable', vault: false }), rel('STORED_IN', 'cred:in-ci', 'store:ci')]),
      event(T0, [fresh('cred:in-vault'), node('SecretStore', 'store:vault', { storeKind: 'vault', vault: true }), rel('STORED_IN', 'cred:in-vault', 'store:vault')]),
    );
    const found = await findingsOf(store, 'NHI2');
    expect(found.map((f) => [f.subject.id, f.severity])).toEqual([
      ['cred:in-ci', 'HIGH'],
      ['cred:in-repo', 'CRITICAL'],
    ]);
    expect(found[1]!.evidence).toEqual(['stored-in-repo']);
    expect(found[1]!.summary).toContain('store:repo');
    expect(subjects(await findingsOf(store, 'NHI2', T0 - 1))).toEqual([]);
  });

  it('NHI3: an NHI from a vendor whose contract ended, or that nobody sponsors', async () => {
    await apply(
      store,
      event(T0, [node('Vendor', 'vendor:gone'), rel('SPONSORS', 'person:owner', 'vendor:gone'), node('NHI', 'nhi:gone-app'), rel('SUPPLIES', 'vendor:gone', 'nhi:gone-app')]),
      event(T0, [node('Vendor', 'vendor:nobody'), node('NHI', 'nhi:nobody-app'), rel('SUPPLIES', 'vendor:nobody', 'nhi:nobody-app')]),
      event(T0, [node('Vendor', 'vendor:fine'), rel('SPONSORS', 'person:owner', 'vendor:fine'), node('NHI', 'nhi:fine-app'), rel('SUPPLIES', 'vendor:fine', 'nhi:fine-app')]),
      event(T1, [update('Vendor', 'vendor:gone', { contractStatus: 'ended', endedAt: T1 })]),
    );
    expect((await findingsOf(store, 'NHI3')).map((f) => [f.subject.id, f.severity])).toEqual([
      ['nhi:gone-app', 'HIGH'],
      ['nhi:nobody-app', 'MEDIUM'],
    ]);
    expect(subjects(await findingsOf(store, 'NHI3', T1 - 1))).toEqual(['nhi:nobody-app']);
  });

  it('NHI5: admin grants, and grants unused within the usage window where usage is known', async () => {
    const grant = (role: string, resource: string, level: string) => rel('GRANTS', role, resource, 'declared', { level, actions: [] });
    await apply(
      store,
      event(T0, [
        node('Role', 'role:admin'), node('Role', 'role:reader'), node('Resource', 'resource:a'), node('Resource', 'resource:b'),
        grant('role:admin', 'resource:a', 'admin'), grant('role:reader', 'resource:a', 'read'), grant('role:reader', 'resource:b', 'read'),
        node('NHI', 'nhi:admin'), rel('HAS_ROLE', 'nhi:admin', 'role:admin'),
        node('NHI', 'nhi:idle'), rel('HAS_ROLE', 'nhi:idle', 'role:reader'),
        node('NHI', 'nhi:busy'), rel('HAS_ROLE', 'nhi:busy', 'role:reader'),
        node('NHI', 'nhi:unknown-usage'), rel('HAS_ROLE', 'nhi:unknown-usage', 'role:reader'),
      ]),
      // nhi:idle used only resource:a; nhi:busy used both recently.
      event(NOW - 5 * DAY, [rel('ACCESSED', 'nhi:idle', 'resource:a', 'observed'), rel('ACCESSED', 'nhi:busy', 'resource:a', 'observed'), rel('ACCESSED', 'nhi:busy', 'resource:b', 'observed')]),
    );
    expect((await findingsOf(store, 'NHI5')).map((f) => [f.subject.id, f.severity])).toEqual([
      ['nhi:admin', 'HIGH'],
      ['nhi:idle', 'MEDIUM'],
    ]);
    // Half a year later nothing has been used within the window.
    expect(subjects(await findingsOf(store, 'NHI5', LATER))).toEqual(['nhi:admin', 'nhi:busy', 'nhi:idle']);
  });

  it('NHI5: since and evidence come from the roles that make the finding, not from every role held', async () => {
    const grant = (role: string, resource: string, level: string) => rel('GRANTS', role, resource, 'declared', { level, actions: [] });
    await apply(
      store,
      event(T0, [node('Role', 'role:reader'), node('Resource', 'resource:a'), node('Resource', 'resource:b'), grant('role:reader', 'resource:b', 'read')]),
      event(T0, [node('NHI', 'nhi:mixed'), rel('HAS_ROLE', 'nhi:mixed', 'role:reader')], { id: 'reader-granted' }),
      event(T1, [node('Role', 'role:admin'), grant('role:admin', 'resource:a', 'admin'), rel('HAS_ROLE', 'nhi:mixed', 'role:admin')], { id: 'admin-granted' }),
      // The reader role's one grant is in use: that role is no part of the finding.
      event(NOW - 5 * DAY, [rel('ACCESSED', 'nhi:mixed', 'resource:b', 'observed')]),
    );
    const [finding] = await findingsOf(store, 'NHI5');
    expect(finding).toMatchObject({ id: 'NHI5:nhi:mixed', severity: 'HIGH', since: T1, evidence: ['admin-granted'] });
    expect(finding!.summary).toBe('nhi:mixed holds admin access through role:admin.');
  });

  it('names what a finding is about, and lists its evidence, in id order', async () => {
    const grant = (role: string, resource: string) => rel('GRANTS', role, resource, 'declared', { level: 'admin', actions: [] });
    await apply(
      store,
      // NHI2: two stores, the later id first.
      event(T0, [fresh('cred:leaky'), node('SecretStore', 'store:z', { storeKind: 'repo_file', vault: false }), rel('STORED_IN', 'cred:leaky', 'store:z')], { id: 'stored-z' }),
      event(T0, [node('SecretStore', 'store:a', { storeKind: 'ci_variable', vault: false }), rel('STORED_IN', 'cred:leaky', 'store:a')], { id: 'stored-a' }),
      // NHI5: two admin roles, role:a held, role:b one it may assume (by relationship type, CAN_ASSUME sorts first).
      event(T0, [node('Role', 'role:a'), node('Role', 'role:b'), ref('Resource', 'resource:x'), grant('role:a', 'resource:x'), grant('role:b', 'resource:x'), node('NHI', 'nhi:admin')]),
      event(T0, [rel('CAN_ASSUME', 'nhi:admin', 'role:b')], { id: 'may-assume-b' }),
      event(T0, [rel('HAS_ROLE', 'nhi:admin', 'role:a')], { id: 'holds-a' }),
      // NHI8: a prod workload that runs as the NHI, a dev one (first by id) that uses it.
      event(T0, [node('NHI', 'nhi:shared'), node('Workload', 'workload:z', { environment: 'prod' }), rel('RUNS_AS', 'workload:z', 'nhi:shared', 'observed')], { id: 'runs-z' }),
      event(T0, [node('Workload', 'workload:a', { environment: 'dev' }), rel('USES', 'workload:a', 'nhi:shared', 'observed')], { id: 'uses-a' }),
    );
    const nhi2 = (await findingsOf(store, 'NHI2'))[0]!;
    expect([nhi2.summary, nhi2.evidence]).toEqual(['cred:leaky is kept outside a vault (store:a, store:z: ci_variable, repo_file).', ['stored-a', 'stored-z']]);
    const nhi5 = (await findingsOf(store, 'NHI5'))[0]!;
    expect([nhi5.summary, nhi5.evidence]).toEqual(['nhi:admin holds admin access through role:a, role:b.', ['holds-a', 'may-assume-b']]);
    const nhi8 = (await findingsOf(store, 'NHI8'))[0]!;
    expect([nhi8.summary, nhi8.evidence]).toEqual(['nhi:shared is used across environments (dev, prod) by workload:a, workload:z.', ['uses-a', 'runs-z']]);
  });

  it('NHI7: as of a time before the last rotation, no age is given (a rotation still to come is no age)', async () => {
    // Properties are current: as of before the rotation, when the credential was last rotated is not known.
    await apply(store, event(T0, [fresh('cred:never-expires', { expiresAt: null, createdAt: T0 + DAY, lastRotatedAt: NOW - 10 * DAY })]));
    const [before] = await findingsOf(store, 'NHI7', NOW - 12 * DAY - DAY / 2);
    // Since its creation, as the secret of that time was made then or later (not its rotation, still to come).
    expect(before).toMatchObject({ id: 'NHI7:cred:never-expires', severity: 'MEDIUM', since: T0 + DAY });
    expect(before!.summary).toBe('cred:never-expires is a long-lived secret: it never expires.');
    // After it, the age is in whole days.
    const [after] = await findingsOf(store, 'NHI7', NOW + DAY / 2);
    expect(after!.summary).toBe('cred:never-expires is a long-lived secret: it never expires and it was last rotated 10 days ago.');
    expect(after!.since).toBe(NOW - 10 * DAY);
    // Before its creation too, it holds since the credential's start.
    expect((await findingsOf(store, 'NHI7', T0 + DAY / 2))[0]!.since).toBe(T0);
  });

  it('NHI7: no expiry, an expiry beyond policy, or not rotated within policy', async () => {
    await apply(
      store,
      event(T0, [fresh('cred:no-expiry', { expiresAt: null })]),
      event(T0, [fresh('cred:stale', { lastRotatedAt: NOW - 200 * DAY })]),
      event(T0, [fresh('cred:long', { createdAt: NOW - 10 * DAY, expiresAt: NOW + 800 * DAY })]),
      event(T0, [fresh('cred:fine')]),
    );
    const found = await findingsOf(store, 'NHI7');
    expect(subjects(found)).toEqual(['cred:long', 'cred:no-expiry', 'cred:stale']);
    expect(found.find((f) => f.subject.id === 'cred:stale')!.summary).toMatch(/last rotated 200 days ago/);
    const strict = await findingsOf(store, 'NHI7', NOW, { policy: { ...DEFAULT_FINDINGS_POLICY, rotationDays: 5 } });
    expect(subjects(strict)).toContain('cred:fine');
  });

  it('NHI8: one credential used from prod and from non-prod', async () => {
    await apply(
      store,
      event(T0, [node('Workload', 'workload:prod', { environment: 'prod' }), node('Workload', 'workload:dev', { environment: 'dev' }), node('Workload', 'workload:prod2', { environment: 'prod' })]),
      event(T0, [fresh('cred:mixed'), rel('USES', 'workload:prod', 'cred:mixed', 'observed'), rel('USES', 'workload:dev', 'cred:mixed', 'observed')]),
      event(T0, [fresh('cred:prod-only'), rel('USES', 'workload:prod', 'cred:prod-only', 'observed'), rel('USES', 'workload:prod2', 'cred:prod-only', 'observed')]),
    );
    expect(subjects(await findingsOf(store, 'NHI8'))).toEqual(['cred:mixed']);
  });

  it('NHI9: one credential used by several workloads', async () => {
    await apply(
      store,
      event(T0, [node('Workload', 'workload:a'), node('Workload', 'workload:b'), node('Workload', 'workload:c')]),
      event(T0, [fresh('cred:shared'), rel('USES', 'workload:a', 'cred:shared', 'observed'), rel('USES', 'workload:b', 'cred:shared', 'observed')]),
      event(T0, [fresh('cred:single'), rel('USES', 'workload:c', 'cred:single', 'observed')]),
    );
    const found = await findingsOf(store, 'NHI9');
    expect(found.map((f) => [f.subject.id, f.severity])).toEqual([['cred:shared', 'MEDIUM']]);
    expect(found[0]!.summary).toContain('workload:a');
  });

  it('NHI10: a person used an NHI interactively', async () => {
    await apply(
      store,
      event(T0, [node('NHI', 'nhi:abused'), node('NHI', 'nhi:clean')]),
      event(T1, [rel('USED', 'person:dev', 'nhi:abused', 'observed', { interactive: true })], { id: 'console-login' }),
    );
    const found = await findingsOf(store, 'NHI10');
    expect(found.map((f) => [f.subject.id, f.severity, f.evidence])).toEqual([['nhi:abused', 'HIGH', ['console-login']]]);
    expect(await findingsOf(store, 'NHI10', T1 - 1)).toEqual([]);
  });

  it('NHI10: names each person once, in id order, however often they used it', async () => {
    await apply(
      store,
      event(T0, [node('NHI', 'nhi:abused'), person('person:zed'), person('person:amy')]),
      event(T0 + 1, [rel('USED', 'person:zed', 'nhi:abused', 'observed')], { id: 'zed-first' }),
      event(T0 + 2, [unrel('USED', 'person:zed', 'nhi:abused')], { id: 'zed-stopped' }),
      event(T0 + 3, [rel('USED', 'person:zed', 'nhi:abused', 'observed')], { id: 'zed-again' }),
      event(T0 + 4, [rel('USED', 'person:amy', 'nhi:abused', 'observed')], { id: 'amy' }),
    );
    const [found] = await findingsOf(store, 'NHI10');
    expect([found!.summary, found!.evidence]).toEqual(['nhi:abused was used by a person: person:amy, person:zed.', ['amy', 'zed-first', 'zed-stopped', 'zed-again']]);
  });

  it('pages across risks with stable ids and filters by subject', async () => {
    await apply(
      store,
      event(T0, [fresh('cred:x', { expiresAt: null }), node('SecretStore', 'store:env', { storeKind: 'env_file', vault: false }), rel('STORED_IN', 'cred:x', 'store:env')]),
      event(T0, [fresh('cred:y', { expiresAt: null })]),
    );
    const query: FindingsQuery = { risks: null, subjectId: null, asOf: NOW, page: { first: 2 }, policy: DEFAULT_FINDINGS_POLICY, withTotal: true };
    const first = await store.findings(query);
    expect(first.items.map((f) => f.id)).toEqual(['NHI2:cred:x', 'NHI7:cred:x']);
    expect(first.totalCount).toBe(3);
    const second = await store.findings({ ...query, page: { first: 2, after: first.endCursor } });
    expect(second.items.map((f) => f.id)).toEqual(['NHI7:cred:y']);
    expect(second.hasNextPage).toBe(false);
    const bySubject = await store.findings({ ...query, subjectId: 'cred:y' });
    expect(bySubject.items.map((f) => f.id)).toEqual(['NHI7:cred:y']);
  });
});
