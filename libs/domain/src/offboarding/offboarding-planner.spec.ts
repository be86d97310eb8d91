import type { NodeKind, RelationKind } from '../model/graph-model';
import type { Attributes, GraphNode, GraphRelationship } from '../model/graph-types';
import type { OffboardingContext, OffboardingTrigger } from './offboarding-plan';
import { grantCoversStore, planOffboarding } from './offboarding-planner';

const T0 = Date.parse('2025-01-01T00:00:00Z');
const LEFT = Date.parse('2025-06-01T00:00:00Z');
const CREATED_AT = Date.parse('2025-06-01T00:00:01Z');
const DAY = 86_400_000;

function node(
  kind: NodeKind,
  id: string,
  attributes: Attributes = {},
  validFrom = T0,
  validTo: number | null = null,
): GraphNode {
  return {
    id,
    kind,
    name: null,
    source: 'test',
    firstSeen: validFrom,
    lastSeen: validFrom,
    validFrom,
    validTo,
    placeholder: false,
    attributes,
  };
}

function rel(
  type: RelationKind,
  from: string,
  to: string,
  evidence: string,
  validFrom = T0,
  validTo: number | null = null,
  attributes: Attributes = {},
): GraphRelationship {
  return {
    type,
    from,
    to,
    validFrom,
    validTo,
    firstSeen: validFrom,
    lastSeen: validFrom,
    confidence: 'declared',
    source: 'test',
    evidence: [evidence],
    attributes,
  };
}

const person = (id: string, attributes: Attributes = {}) =>
  node('Person', id, { status: 'active', leftAt: null, ...attributes });

function context(
  subject: GraphNode,
  nodes: GraphNode[],
  relationships: GraphRelationship[],
  candidateNhiIds: string[],
): OffboardingContext {
  return { subject, nodes: [subject, ...nodes], relationships, candidateNhiIds };
}

const leaverTrigger = (subjectId: string): OffboardingTrigger => ({
  subjectId,
  subjectKind: 'Person',
  eventId: 'evt-left',
  eventSource: 'hr',
  eventType: 'hr.person.left',
  effectiveAt: LEFT,
});

describe('planOffboarding (pure rules on hand-built graphs)', () => {
  it('copies the trigger into the plan and has no actions for a subject the graph does not know', () => {
    const plan = planOffboarding(null, leaverTrigger('person:ghost'), CREATED_AT);
    expect(plan).toEqual({
      subjectId: 'person:ghost',
      subjectKind: 'Person',
      triggeredBy: 'evt-left',
      triggerSource: 'hr',
      triggerType: 'hr.person.left',
      effectiveAt: LEFT,
      createdAt: CREATED_AT,
      actions: [],
      supersededAt: null,
    });
  });

  it('plans as of the leaving time even when the node already shows a later rejoin', () => {
    // The node carries the latest state: leftAt cleared by a rejoin after the plan's time.
    const alice = person('person:alice', { status: 'active', leftAt: null });
    const ctx = context(
      alice,
      [person('person:boss'), node('NHI', 'nhi:svc', { lastUsedAt: LEFT - DAY })],
      [
        rel('OWNS', 'person:alice', 'nhi:svc', 'evt-owns'),
        rel('MANAGES', 'person:boss', 'person:alice', 'evt-manages'),
      ],
      ['nhi:svc'],
    );
    const plan = planOffboarding(ctx, leaverTrigger('person:alice'), CREATED_AT);
    expect(plan.actions.map((a) => [a.action, a.targetId, a.suggestedOwnerId])).toEqual([
      ['REASSIGN', 'nhi:svc', 'person:boss'],
    ]);
  });

  it('an ended vendor whose sponsor left: the owner of a workload that runs as its NHI is suggested', () => {
    const acme = node('Vendor', 'vendor:acme', { contractStatus: 'active', endedAt: null });
    const ctx = context(
      acme,
      [
        person('person:sam', { status: 'left', leftAt: LEFT - 10 * DAY }),
        person('person:olivia'),
        node('NHI', 'nhi:acme-sync'),
        node('Workload', 'workload:api'),
      ],
      [
        rel('SPONSORS', 'person:sam', 'vendor:acme', 'evt-sponsors'),
        rel('SUPPLIES', 'vendor:acme', 'nhi:acme-sync', 'evt-supplies'),
        rel('RUNS_AS', 'workload:api', 'nhi:acme-sync', 'evt-runs-as'),
        rel('OWNS', 'person:olivia', 'workload:api', 'evt-olivia-owns'),
      ],
      ['nhi:acme-sync'],
    );
    const trigger: OffboardingTrigger = {
      ...leaverTrigger('vendor:acme'),
      subjectKind: 'Vendor',
      eventId: 'evt-ended',
      eventType: 'vendor.contract.ended',
    };
    const [action, ...rest] = planOffboarding(ctx, trigger, CREATED_AT).actions;
    expect(rest).toEqual([]);
    expect(action).toMatchObject({ targetId: 'nhi:acme-sync', action: 'REASSIGN', suggestedOwnerId: 'person:olivia' });
    expect(action?.reason).toContain('the owner of workload workload:api, which runs as nhi:acme-sync');
    expect(action?.reason).toContain('sponsor person:sam left on 2025-05-22');
    expect(action?.evidence).toEqual(['evt-ended', 'evt-sponsors', 'evt-supplies', 'evt-runs-as', 'evt-olivia-owns']);
  });

  it('an ended vendor whose sponsor left: an active declared owner of its NHI comes before a workload owner', () => {
    const acme = node('Vendor', 'vendor:acme', { contractStatus: 'active', endedAt: null });
    const ctx = context(
      acme,
      [
        person('person:sam', { status: 'left', leftAt: LEFT - 10 * DAY }),
        person('person:olivia'),
        person('person:frank'),
        node('NHI', 'nhi:acme-sync'),
        node('Workload', 'workload:api'),
      ],
      [
        rel('SPONSORS', 'person:sam', 'vendor:acme', 'evt-sponsors'),
        rel('SUPPLIES', 'vendor:acme', 'nhi:acme-sync', 'evt-supplies'),
        rel('OWNS', 'person:frank', 'nhi:acme-sync', 'evt-frank-owns'),
        rel('RUNS_AS', 'workload:api', 'nhi:acme-sync', 'evt-runs-as'),
        rel('OWNS', 'person:olivia', 'workload:api', 'evt-olivia-owns'),
      ],
      ['nhi:acme-sync'],
    );
    const trigger: OffboardingTrigger = {
      ...leaverTrigger('vendor:acme'),
      subjectKind: 'Vendor',
      eventId: 'evt-ended',
      eventType: 'vendor.contract.ended',
    };
    const [action] = planOffboarding(ctx, trigger, CREATED_AT).actions;
    expect(action).toMatchObject({ targetId: 'nhi:acme-sync', action: 'REASSIGN', suggestedOwnerId: 'person:frank' });
    expect(action?.reason).toContain('suggested owner person:frank: a declared owner of nhi:acme-sync');
  });

  it('still in use with nobody to take it over: REASSIGN without a suggested owner, never DISABLE', () => {
    const alice = person('person:alice');
    const ctx = context(
      alice,
      [node('NHI', 'nhi:busy', { lastUsedAt: LEFT - 3 * DAY })],
      [rel('OWNS', 'person:alice', 'nhi:busy', 'evt-owns')],
      ['nhi:busy'],
    );
    const [action] = planOffboarding(ctx, leaverTrigger('person:alice'), CREATED_AT).actions;
    expect(action).toMatchObject({ targetId: 'nhi:busy', action: 'REASSIGN', suggestedOwnerId: null });
    expect(action?.reason).toContain('last used 2025-05-29T00:00:00.000Z');
    expect(action?.reason).toContain('choose an owner');
  });

  it('usage older than the window does not count; the window is the policy', () => {
    const alice = person('person:alice');
    const ctx = context(
      alice,
      [node('NHI', 'nhi:quiet', { lastUsedAt: LEFT - 40 * DAY })],
      [rel('OWNS', 'person:alice', 'nhi:quiet', 'evt-owns')],
      ['nhi:quiet'],
    );
    expect(
      planOffboarding(ctx, leaverTrigger('person:alice'), CREATED_AT, { usageWindowDays: 30 }).actions.map(
        (a) => a.action,
      ),
    ).toEqual(['DISABLE']);
    expect(
      planOffboarding(ctx, leaverTrigger('person:alice'), CREATED_AT, { usageWindowDays: 60 }).actions.map(
        (a) => a.action,
      ),
    ).toEqual(['REASSIGN']);
  });

  it('one action per target: a PAT the leaver created, kept in a readable store and used by a workload is REVOKEd once, with both reasons', () => {
    const alice = person('person:alice');
    const ctx = context(
      alice,
      [
        node('Credential', 'cred:pat', { credentialKind: 'pat', status: 'active' }),
        node('Credential', 'cred:deleted', { credentialKind: 'api_token', status: 'deleted' }, T0, LEFT - DAY),
        node('Role', 'role:ops'),
        node('SecretStore', 'store:vault:kv/ops/ci'),
        node('Workload', 'workload:ci'),
      ],
      [
        rel('CREATED', 'person:alice', 'cred:pat', 'evt-pat'),
        rel('CREATED', 'person:alice', 'cred:deleted', 'evt-deleted-cred'),
        rel('USES', 'workload:ci', 'cred:pat', 'evt-uses'),
        rel('HAS_ROLE', 'person:alice', 'role:ops', 'evt-role'),
        rel('GRANTS', 'role:ops', 'store:vault:kv/ops/*', 'evt-grants', T0, null, { level: 'read' }),
        rel('STORED_IN', 'cred:pat', 'store:vault:kv/ops/ci', 'evt-stored'),
      ],
      [],
    );
    const actions = planOffboarding(ctx, leaverTrigger('person:alice'), CREATED_AT).actions;
    expect(actions.map((a) => [a.action, a.targetId])).toEqual([['REVOKE', 'cred:pat']]);
    expect(actions[0]?.reason).toMatch(
      /^personal access token of person:alice, used by workload:ci.*; also kept in secret store store:vault:kv\/ops\/ci/,
    );
    expect(actions[0]?.evidence).toEqual(['evt-left', 'evt-pat', 'evt-uses', 'evt-role', 'evt-grants', 'evt-stored']);
  });

  it('a credential in two readable stores gives its reasons in store id order, whatever order the context lists the stores in', () => {
    const alice = person('person:alice');
    const stores = [node('SecretStore', 'store:vault:kv/ops/b'), node('SecretStore', 'store:vault:kv/ops/a')];
    const plan = (listed: GraphNode[]) =>
      planOffboarding(
        context(
          alice,
          [node('Credential', 'cred:key', { credentialKind: 'api_token', status: 'active' }), node('Role', 'role:ops'), ...listed],
          [
            rel('HAS_ROLE', 'person:alice', 'role:ops', 'evt-role'),
            rel('GRANTS', 'role:ops', 'store:vault:kv/ops/*', 'evt-grants', T0, null, { level: 'read' }),
            rel('STORED_IN', 'cred:key', 'store:vault:kv/ops/b', 'evt-stored-b'),
            rel('STORED_IN', 'cred:key', 'store:vault:kv/ops/a', 'evt-stored-a'),
          ],
          [],
        ),
        leaverTrigger('person:alice'),
        CREATED_AT,
      ).actions;
    for (const listed of [stores, [...stores].reverse()]) {
      const [action] = plan(listed);
      expect(action?.reason).toMatch(/^kept in secret store store:vault:kv\/ops\/a,.*; also kept in secret store store:vault:kv\/ops\/b,/);
      expect(action?.evidence).toEqual(['evt-left', 'evt-role', 'evt-grants', 'evt-stored-a', 'evt-stored-b']);
    }
  });

  it('orders actions REASSIGN, DISABLE, ROTATE, REVOKE, then by target id', () => {
    const alice = person('person:alice');
    const ctx = context(
      alice,
      [
        person('person:boss'),
        node('NHI', 'nhi:b-used', { lastUsedAt: LEFT - DAY }),
        node('NHI', 'nhi:a-used', { lastUsedAt: LEFT - DAY }),
        node('Credential', 'cred:z', { credentialKind: 'access_key', status: 'active' }),
        node('Credential', 'cred:y-pat', { credentialKind: 'pat', status: 'active' }),
        node('Credential', 'cred:a', { credentialKind: 'access_key', status: 'active' }),
        node('Workload', 'workload:w'),
      ],
      [
        rel('MANAGES', 'person:boss', 'person:alice', 'evt-m'),
        rel('OWNS', 'person:alice', 'nhi:b-used', 'evt-1'),
        rel('OWNS', 'person:alice', 'nhi:a-used', 'evt-2'),
        rel('CREATED', 'person:alice', 'cred:z', 'evt-3'),
        rel('CREATED', 'person:alice', 'cred:y-pat', 'evt-4'),
        rel('CREATED', 'person:alice', 'cred:a', 'evt-5'),
        rel('USES', 'workload:w', 'cred:y-pat', 'evt-6'),
      ],
      ['nhi:b-used', 'nhi:a-used'],
    );
    expect(
      planOffboarding(ctx, leaverTrigger('person:alice'), CREATED_AT).actions.map((a) => `${a.action} ${a.targetId}`),
    ).toEqual(['REASSIGN nhi:a-used', 'REASSIGN nhi:b-used', 'ROTATE cred:a', 'ROTATE cred:z', 'REVOKE cred:y-pat']);
  });
});

describe('grantCoversStore', () => {
  it.each([
    ['store:vault:kv/ops', 'store:vault:kv/ops', true],
    ['store:vault:kv/ops/*', 'store:vault:kv/ops/ci', true],
    ['store:vault:kv/ops/*', 'store:vault:kv/ops/ci/deep', true],
    ['store:vault:kv/ops/*', 'store:vault:kv/ops', false],
    ['store:vault:kv/ops/*', 'store:vault:kv/opsx/ci', false],
    ['store:vault:kv/ops', 'store:vault:kv/ops/ci', false],
    ['resource:bucket', 'store:vault:kv/ops', false],
  ])('a grant on %s covers %s: %s', (granted, store, covers) => {
    expect(grantCoversStore(granted, store)).toBe(covers);
  });
});
