import { decodeNative } from '@lineage/events';
import { envelopePayload } from '../fixtures/native/native-fixtures';
import type { CloudEvent } from './support/enterprise-scenario';
import {
  BEFORE_BOB_LEFT,
  BEFORE_DEPLOY_REVOKED,
  CI_EVENTS,
  DEPLOYER_TIMELINE,
  IAM_BATCH,
  LATER,
  PEOPLE,
  binaryMode,
} from './support/enterprise-scenario';
import type { E2eApp } from './support/e2e-app';
import { dataOf, errorCode, graphql, postBatch, postEvent, request, startE2eApp } from './support/e2e-app';

/**
 * The lineage API end to end: the enterprise scenario goes in over HTTP in all three CloudEvents
 * content modes, and every query of the API is asked about it over real HTTP.
 */

let e2e: E2eApp;
const ask = (query: string, variables: Record<string, unknown> = {}) =>
  graphql(e2e.url, e2e.adminKey, query, variables);
const data = async <T = Record<string, unknown>>(query: string, variables: Record<string, unknown> = {}) =>
  dataOf<T>(await ask(query, variables));

beforeAll(async () => {
  e2e = await startE2eApp();
  for (const event of PEOPLE) expect((await postEvent(e2e.url, e2e.adminKey, event)).status).toBe(202);
  const batch = await postBatch(e2e.url, e2e.adminKey, IAM_BATCH);
  expect(batch.status).toBe(200);
  expect(batch.body['accepted']).toBe(IAM_BATCH.length);
  for (const event of CI_EVENTS) {
    const { headers, body } = binaryMode(event);
    const answer = await request(e2e.url, 'POST', '/events', { key: e2e.adminKey, headers, body });
    expect(answer).toMatchObject({ status: 202, body: { status: 'accepted', id: event.id, source: event.source } });
  }
  for (const event of LATER) expect((await postEvent(e2e.url, e2e.adminKey, event)).status).toBe(202);
});

afterAll(async () => {
  await e2e?.close();
});

const LINEAGE = `query Lineage($id: ID!, $asOf: DateTime) {
  lineage(nhiId: $id, asOf: $asOf) {
    nhi { id kind name }
    status
    accountable { id name }
    lastAccountable { id }
    chain { from { id kind } relation to { id kind } evidence since }
    reason
  }
}`;

interface LineageAnswer {
  lineage: {
    nhi: { id: string; kind: string; name: string | null };
    status: string;
    accountable: { id: string; name: string | null } | null;
    lastAccountable: { id: string } | null;
    chain: {
      from: { id: string; kind: string };
      relation: string;
      to: { id: string; kind: string };
      evidence: string[];
      since: string;
    }[];
    reason: string;
  };
}

const chainOf = (answer: LineageAnswer) =>
  answer.lineage.chain.map((step) => [step.from.id, step.relation, step.to.id]);

describe('lineage', () => {
  test('a declared owner makes an NHI ACCOUNTABLE, with the owning event as evidence', async () => {
    const answer = await data<LineageAnswer>(LINEAGE, { id: 'nhi:deployer' });
    expect(answer.lineage).toMatchObject({
      nhi: { id: 'nhi:deployer', kind: 'NHI', name: 'deployer' },
      status: 'ACCOUNTABLE',
      accountable: { id: 'person:alice', name: 'Alice Ng' },
    });
    expect(answer.lineage.chain).toEqual([
      {
        from: { id: 'person:alice', kind: 'Person' },
        relation: 'OWNS',
        to: { id: 'nhi:deployer', kind: 'NHI' },
        evidence: ['nhi-deployer'],
        since: '2024-01-11T10:00:00.000Z',
      },
    ]);
  });

  test('an NHI created by an NHI is ACCOUNTABLE through the creator chain', async () => {
    const answer = await data<LineageAnswer>(LINEAGE, { id: 'nhi:build-sa' });
    expect(answer.lineage.status).toBe('ACCOUNTABLE');
    expect(answer.lineage.accountable?.id).toBe('person:alice');
    expect(chainOf(answer)).toEqual([
      ['person:alice', 'CREATED', 'nhi:ci-bot'],
      ['nhi:ci-bot', 'CREATED', 'nhi:build-sa'],
    ]);
  });

  test('a vendor-supplied NHI answers to the vendor sponsor; an ended vendor orphans it', async () => {
    const acme = await data<LineageAnswer>(LINEAGE, { id: 'nhi:acme-agent' });
    expect(acme.lineage.status).toBe('ACCOUNTABLE');
    expect(chainOf(acme)).toEqual([
      ['person:carol', 'SPONSORS', 'vendor:acme'],
      ['vendor:acme', 'SUPPLIES', 'nhi:acme-agent'],
    ]);
    const oldco = await data<LineageAnswer>(LINEAGE, { id: 'nhi:oldco-sync' });
    expect(oldco.lineage).toMatchObject({
      status: 'ORPHANED',
      accountable: null,
      lastAccountable: { id: 'person:carol' },
    });
  });

  test('an NHI whose owner left is ORPHANED now and was ACCOUNTABLE before', async () => {
    const now = await data<LineageAnswer>(LINEAGE, { id: 'nhi:bob-bot' });
    expect(now.lineage).toMatchObject({ status: 'ORPHANED', accountable: null, lastAccountable: { id: 'person:bob' } });
    const before = await data<LineageAnswer>(LINEAGE, { id: 'nhi:bob-bot', asOf: BEFORE_BOB_LEFT });
    expect(before.lineage).toMatchObject({ status: 'ACCOUNTABLE', accountable: { id: 'person:bob' } });
  });

  test('an NHI with no owner, creator, workload or vendor is UNOWNED', async () => {
    const answer = await data<LineageAnswer>(LINEAGE, { id: 'nhi:stray' });
    expect(answer.lineage).toMatchObject({ status: 'UNOWNED', accountable: null, lastAccountable: null, chain: [] });
  });

  test('an unknown NHI is NOT_FOUND; a credential id is not an NHI', async () => {
    const unknown = await ask(LINEAGE, { id: 'nhi:does-not-exist' });
    expect(errorCode(unknown)).toBe('NOT_FOUND');
    expect(unknown.body.errors?.[0]?.message).toContain('nhi:does-not-exist');
    const credential = await ask(LINEAGE, { id: 'cred:deployer-key' });
    expect(credential.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'nhiId' });
  });
});

describe('orphanedBy and orphans', () => {
  test('orphanedBy lists what the leaver left behind, with the credentials still active', async () => {
    const answer = await data<{
      orphanedBy: {
        nhi: { id: string };
        lastAccountable: { id: string };
        credentials: { id: string; status: string }[];
        lineage: { status: string };
      }[];
    }>(
      `{ orphanedBy(personId: "person:bob") { nhi { id } lastAccountable { id } credentials { id status } lineage { status } } }`,
    );
    expect(answer.orphanedBy).toEqual([
      {
        nhi: { id: 'nhi:bob-bot' },
        lastAccountable: { id: 'person:bob' },
        credentials: [{ id: 'cred:bob-token', status: 'active' }],
        lineage: { status: 'ORPHANED' },
      },
    ]);
    const before = await data<{ orphanedBy: unknown[] }>(
      `query($asOf: DateTime) { orphanedBy(personId: "person:bob", asOf: $asOf) { nhi { id } } }`,
      { asOf: BEFORE_BOB_LEFT },
    );
    expect(before.orphanedBy).toEqual([]);
    expect(errorCode(await ask(`{ orphanedBy(personId: "person:nobody") { nhi { id } } }`))).toBe('NOT_FOUND');
  });

  test('orphans pages through every NHI nobody active answers for, by id', async () => {
    const PAGE = `query($after: String) { orphans(first: 2, after: $after) { totalCount edges { cursor node { id lineage { status } } } pageInfo { hasNextPage endCursor } } }`;
    interface OrphansPage {
      orphans: {
        totalCount: number;
        edges: { cursor: string; node: { id: string; lineage: { status: string } } }[];
        pageInfo: { hasNextPage: boolean; endCursor: string };
      };
    }
    const first = await data<OrphansPage>(PAGE);
    expect(first.orphans.totalCount).toBe(3);
    expect(first.orphans.edges.map((e) => [e.node.id, e.node.lineage.status])).toEqual([
      ['nhi:bob-bot', 'ORPHANED'],
      ['nhi:oldco-sync', 'ORPHANED'],
    ]);
    expect(first.orphans.pageInfo.hasNextPage).toBe(true);
    expect(first.orphans.edges[1]!.cursor).toBe(first.orphans.pageInfo.endCursor);
    const second = await data<OrphansPage>(PAGE, { after: first.orphans.pageInfo.endCursor });
    expect(second.orphans.edges.map((e) => [e.node.id, e.node.lineage.status])).toEqual([['nhi:stray', 'UNOWNED']]);
    expect(second.orphans.pageInfo.hasNextPage).toBe(false);
    // Every edge has a cursor: resuming after the first edge gives the second and then the third.
    const afterFirst = await data<OrphansPage>(PAGE, { after: first.orphans.edges[0]!.cursor });
    expect(afterFirst.orphans.edges.map((e) => e.node.id)).toEqual(['nhi:oldco-sync', 'nhi:stray']);
  });

  test('before bob left, his bot was not an orphan', async () => {
    const answer = await data<{ orphans: { edges: { node: { id: string } }[] } }>(
      `query($asOf: DateTime) { orphans(asOf: $asOf) { edges { node { id } } } }`,
      { asOf: BEFORE_BOB_LEFT },
    );
    expect(answer.orphans.edges.map((e) => e.node.id)).toEqual(['nhi:oldco-sync', 'nhi:stray']);
  });

  test('a cursor this API did not return is BAD_USER_INPUT naming `after`', async () => {
    const answer = await ask(`{ orphans(after: "not-a-cursor") { totalCount } }`);
    expect(answer.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });
});

describe('blastRadius', () => {
  const BLAST = `query($credentialId: ID, $nhiId: ID, $maxDepth: Int, $asOf: DateTime) {
    blastRadius(credentialId: $credentialId, nhiId: $nhiId, maxDepth: $maxDepth, asOf: $asOf) {
      root { id kind } truncated maxDepth
      resources { resource { id } level path actions }
      sharedWith { id kind }
    }
  }`;
  interface BlastAnswer {
    blastRadius: {
      root: { id: string; kind: string };
      truncated: boolean;
      maxDepth: number;
      resources: { resource: { id: string }; level: string; path: string[]; actions: string[] }[];
      sharedWith: { id: string; kind: string }[];
    };
  }
  const reach = (answer: BlastAnswer) => answer.blastRadius.resources.map((r) => [r.resource.id, r.level]);

  test('before the revocation, a credential reaches through its roles and their trust chain, strongest level per resource', async () => {
    const answer = await data<BlastAnswer>(BLAST, { credentialId: 'cred:deployer-key', asOf: BEFORE_DEPLOY_REVOKED });
    expect(answer.blastRadius.root).toEqual({ id: 'cred:deployer-key', kind: 'Credential' });
    expect(reach(answer)).toEqual([
      ['resource:kms', 'ADMIN'],
      ['resource:prod-db', 'ADMIN'],
      ['resource:prod-account', 'WRITE'],
      ['resource:artifacts', 'READ'],
      ['resource:logs', 'READ'],
    ]);
    const kms = answer.blastRadius.resources.find((r) => r.resource.id === 'resource:kms')!;
    expect(kms.path).toEqual([
      'cred:deployer-key',
      'nhi:deployer',
      'role:deploy',
      'role:db-admin',
      'role:break-glass',
      'resource:kms',
    ]);
    expect(answer.blastRadius.resources.find((r) => r.resource.id === 'resource:prod-account')!.actions).toEqual([
      'ecs:UpdateService',
    ]);
    expect(answer.blastRadius.truncated).toBe(false);
    expect(answer.blastRadius.sharedWith).toEqual([
      { id: 'store:gh/DEPLOY_KEY', kind: 'SecretStore' },
      { id: 'store:vault/deployer', kind: 'SecretStore' },
      { id: 'workload:release', kind: 'Workload' },
    ]);
  });

  test('a depth bound that cuts a trust chain says truncated', async () => {
    const answer = await data<BlastAnswer>(BLAST, {
      credentialId: 'cred:deployer-key',
      maxDepth: 2,
      asOf: BEFORE_DEPLOY_REVOKED,
    });
    expect(answer.blastRadius.truncated).toBe(true);
    expect(answer.blastRadius.maxDepth).toBe(2);
    expect(reach(answer).map(([id]) => id)).not.toContain('resource:kms');
    expect(reach(answer)).toContainEqual(['resource:prod-db', 'ADMIN']);
  });

  test('after the revocation only the read-only role remains', async () => {
    const answer = await data<BlastAnswer>(BLAST, { credentialId: 'cred:deployer-key' });
    expect(reach(answer)).toEqual([
      ['resource:logs', 'READ'],
      ['resource:prod-account', 'READ'],
    ]);
  });

  test('an NHI as the root: the workloads running as it share it', async () => {
    const answer = await data<BlastAnswer>(BLAST, { nhiId: 'nhi:deployer' });
    expect(answer.blastRadius.root.kind).toBe('NHI');
    expect(answer.blastRadius.sharedWith.map((n) => n.id)).toEqual([
      'store:gh/DEPLOY_KEY',
      'store:vault/deployer',
      'workload:api',
      'workload:release',
    ]);
  });

  test('bad arguments are BAD_USER_INPUT naming the argument; an unknown root is NOT_FOUND', async () => {
    const both = await ask(BLAST, { credentialId: 'cred:deployer-key', nhiId: 'nhi:deployer' });
    expect(both.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'credentialId' });
    const neither = await ask(BLAST, {});
    expect(neither.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'credentialId' });
    const deep = await ask(BLAST, { nhiId: 'nhi:deployer', maxDepth: 99 });
    expect(deep.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'maxDepth' });
    expect(deep.body.errors?.[0]?.message).toBe('maxDepth must not be greater than 10');
    const empty = await ask(BLAST, { nhiId: '' });
    expect(empty.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'nhiId' });
    expect(errorCode(await ask(BLAST, { credentialId: 'cred:nope' }))).toBe('NOT_FOUND');
  });
});

describe('timeline', () => {
  const TIMELINE = `query($after: String, $from: DateTime, $to: DateTime) {
    timeline(entityId: "nhi:deployer", first: 4, after: $after, from: $from, to: $to) {
      totalCount edges { cursor node { eventId type time source summary } } pageInfo { hasNextPage endCursor }
    }
  }`;
  interface TimelineAnswer {
    timeline: {
      totalCount: number;
      edges: {
        cursor: string;
        node: { eventId: string; type: string; time: string; source: string; summary: string };
      }[];
      pageInfo: { hasNextPage: boolean; endCursor: string };
    };
  }

  test('pages through an entity’s events in event-time order', async () => {
    const first = await data<TimelineAnswer>(TIMELINE);
    expect(first.timeline.totalCount).toBe(DEPLOYER_TIMELINE.length);
    expect(first.timeline.edges.map((e) => e.node.eventId)).toEqual(DEPLOYER_TIMELINE.slice(0, 4));
    expect(first.timeline.pageInfo.hasNextPage).toBe(true);
    expect(first.timeline.edges[0]!.node).toMatchObject({
      type: 'iam.nhi.created',
      time: '2024-01-11T10:00:00.000Z',
      source: 'iam/aws/acme',
    });
    expect(first.timeline.edges[0]!.node.summary).toContain('nhi:deployer');
    const second = await data<TimelineAnswer>(TIMELINE, { after: first.timeline.pageInfo.endCursor });
    expect(second.timeline.edges.map((e) => e.node.eventId)).toEqual(DEPLOYER_TIMELINE.slice(4));
    expect(second.timeline.pageInfo.hasNextPage).toBe(false);
    expect(first.timeline.edges[3]!.cursor).toBe(first.timeline.pageInfo.endCursor);
  });

  test('from and to bound the event times, inclusive', async () => {
    const answer = await data<TimelineAnswer>(TIMELINE, { from: '2024-01-12T10:00:00Z', to: '2024-01-14T10:00:00Z' });
    expect(answer.timeline.edges.map((e) => e.node.eventId)).toEqual([
      'grant-deployer-deploy',
      'grant-deployer-readonly',
      'cred-deployer-key',
      'deploy-api',
    ]);
    const reversed = await ask(TIMELINE, { from: '2024-02-01T00:00:00Z', to: '2024-01-01T00:00:00Z' });
    expect(reversed.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'to' });
  });

  test('an explicit null `first` means the default page size', async () => {
    const answer = await data<{ timeline: { edges: unknown[]; pageInfo: { hasNextPage: boolean } } }>(
      `{ timeline(entityId: "nhi:deployer", first: null) { edges { cursor } pageInfo { hasNextPage } } }`,
    );
    expect(answer.timeline.edges).toHaveLength(DEPLOYER_TIMELINE.length);
    expect(answer.timeline.pageInfo.hasNextPage).toBe(false);
  });

  test('first outside 1..500 is BAD_USER_INPUT naming `first`', async () => {
    for (const first of [0, 501]) {
      const answer = await ask(
        `query($first: Int) { timeline(entityId: "nhi:deployer", first: $first) { totalCount } }`,
        { first },
      );
      expect(answer.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    }
  });
});

describe('lookups and graph walking', () => {
  test('a person leads to their manager, reports and owned NHIs; lookups by the wrong kind find nothing', async () => {
    const answer = await data<Record<string, unknown>>(`{
      person(id: "person:alice") {
        id kind name email department status
        manager { id name }
        reports(first: 1) { totalCount edges { node { id } } pageInfo { hasNextPage } }
        owns { edges { node { id kind ... on Workload { runsAs { id } } } } }
        created { edges { node { id kind } } }
      }
      nhi(id: "person:alice") { id }
      credential(id: "nhi:deployer") { id }
      nobody: person(id: "person:nobody") { id }
    }`);
    expect(answer).toEqual({
      person: {
        id: 'person:alice',
        kind: 'Person',
        name: 'Alice Ng',
        email: 'alice@acme.example',
        department: 'platform',
        status: 'active',
        manager: { id: 'person:cto', name: 'Casey Tran' },
        reports: { totalCount: 2, edges: [{ node: { id: 'person:carol' } }], pageInfo: { hasNextPage: true } },
        owns: {
          edges: [
            { node: { id: 'nhi:deployer', kind: 'NHI' } },
            { node: { id: 'workload:api', kind: 'Workload', runsAs: { id: 'nhi:deployer' } } },
          ],
        },
        created: {
          edges: [
            { node: { id: 'cred:deployer-key', kind: 'Credential' } },
            { node: { id: 'nhi:ci-bot', kind: 'NHI' } },
          ],
        },
      },
      nhi: null,
      credential: null,
      nobody: null,
    });
  });

  test('an NHI leads to its credentials, roles, owners, creator, workloads and lineage', async () => {
    const answer = await data<Record<string, unknown>>(`{
      nhi(id: "nhi:deployer") {
        nhiKind platform environment
        credentials { edges { node { id credentialKind fingerprint status } } }
        roles { edges { node { id grants { edges { node { resource { id } level actions } } } } } }
        owners { id }
        creator { id }
        workloads { edges { node { id owner { id } } } }
        lineage { status accountable { id } }
      }
      build: nhi(id: "nhi:build-sa") { creator { id kind ... on NHI { creator { id kind } } } }
    }`);
    expect(answer).toEqual({
      nhi: {
        nhiKind: 'service_account',
        platform: 'aws',
        environment: 'prod',
        credentials: {
          edges: [
            {
              node: {
                id: 'cred:deployer-key',
                credentialKind: 'access_key',
                fingerprint: 'AKIAIOSFODNN7EXAMPLE',
                status: 'active',
              },
            },
          ],
        },
        roles: {
          edges: [
            {
              node: {
                id: 'role:readonly',
                grants: {
                  edges: [
                    { node: { resource: { id: 'resource:logs' }, level: 'READ', actions: ['logs:GetLogEvents'] } },
                    { node: { resource: { id: 'resource:prod-account' }, level: 'READ', actions: ['ec2:Describe*'] } },
                  ],
                },
              },
            },
          ],
        },
        owners: [{ id: 'person:alice' }],
        creator: null,
        workloads: { edges: [{ node: { id: 'workload:api', owner: { id: 'person:alice' } } }] },
        lineage: { status: 'ACCOUNTABLE', accountable: { id: 'person:alice' } },
      },
      build: { creator: { id: 'nhi:ci-bot', kind: 'NHI', creator: { id: 'person:alice', kind: 'Person' } } },
    });
  });

  test('walking answers as of the lookup time: the role revoked later is still there before', async () => {
    const answer = await data<{ nhi: { roles: { edges: { node: { id: string } }[] } } }>(
      `query($asOf: DateTime) { nhi(id: "nhi:deployer", asOf: $asOf) { roles { edges { node { id } } } } }`,
      { asOf: BEFORE_DEPLOY_REVOKED },
    );
    expect(answer.nhi.roles.edges.map((e) => e.node.id)).toEqual(['role:deploy', 'role:readonly']);
  });

  test('a credential leads to its NHI, stores and users; a vendor to its sponsor and NHIs', async () => {
    const answer = await data<Record<string, unknown>>(`{
      credential(id: "cred:deployer-key") {
        nhi { id } stores { id storeKind vault } users { totalCount edges { node { id repo } } } creator { id }
      }
      node(id: "vendor:acme") { id kind ... on Vendor { contractStatus sponsor { id } nhis { edges { node { id nhiKind } } } } }
    }`);
    expect(answer).toEqual({
      credential: {
        nhi: { id: 'nhi:deployer' },
        stores: [
          { id: 'store:gh/DEPLOY_KEY', storeKind: 'ci_variable', vault: false },
          { id: 'store:vault/deployer', storeKind: 'vault', vault: true },
        ],
        users: { totalCount: 1, edges: [{ node: { id: 'workload:release', repo: 'acme/app' } }] },
        creator: { id: 'person:alice' },
      },
      node: {
        id: 'vendor:acme',
        kind: 'Vendor',
        contractStatus: 'active',
        sponsor: { id: 'person:carol' },
        nhis: { edges: [{ node: { id: 'nhi:acme-agent', nhiKind: 'ai_agent' } }] },
      },
    });
  });

  test('a nested connection’s `first` is bounded like any other', async () => {
    const answer = await ask(`{ person(id: "person:alice") { reports(first: 0) { totalCount } } }`);
    expect(answer.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
  });
});

describe('ingestionStatus', () => {
  test('counts per CloudEvents source, with a per-type breakdown', async () => {
    const answer = await data<{
      ingestionStatus: {
        sources: {
          source: string;
          accepted: number;
          duplicates: number;
          rejected: number;
          lastEventTime: string;
          types: { type: string; accepted: number }[];
        }[];
        deadLettered: number;
      };
    }>(
      `{ ingestionStatus { sources { source accepted duplicates rejected lastEventTime types { type accepted } } deadLettered } }`,
    );
    const bySource = new Map(answer.ingestionStatus.sources.map((s) => [s.source, s]));
    const expected = (events: readonly CloudEvent[], source: string) => events.filter((e) => e.source === source);
    const all = [...PEOPLE, ...IAM_BATCH, ...CI_EVENTS, ...LATER];
    for (const source of new Set(all.map((e) => e.source))) {
      const events = expected(all, source);
      expect(bySource.get(source)).toMatchObject({ accepted: events.length, duplicates: 0, rejected: 0 });
      expect(bySource.get(source)!.lastEventTime).toBe(
        new Date(Math.max(...events.map((e) => Date.parse(e.time)))).toISOString(),
      );
      const types = new Map(bySource.get(source)!.types.map((t) => [t.type, t.accepted]));
      for (const type of new Set(events.map((e) => e.type)))
        expect(types.get(type)).toBe(events.filter((e) => e.type === type).length);
    }
    expect(answer.ingestionStatus.deadLettered).toBe(0);
  });
});

describe('a real GitHub webhook (octokit fixture) through POST /events', () => {
  test('a deploy key webhook becomes an NHI and a credential that the API can walk and measure', async () => {
    const payload = envelopePayload('octokit_webhooks/envelope.ndjson', 39);
    const answer = await request(e2e.url, 'POST', '/events', {
      key: e2e.adminKey,
      headers: { 'content-type': 'application/json', 'x-github-event': 'deploy_key' },
      body: JSON.stringify(payload),
    });
    expect(answer.status).toBe(202);
    // What the decoder makes of it says which ids to look for.
    const decoded = decodeNative(payload, { headers: { 'x-github-event': 'deploy_key' } });
    if (!decoded?.ok) throw new Error('the fixture no longer decodes');
    const credential = decoded.value.events.find((e) => e['type'] === 'iam.credential.created')!['data'] as {
      credentialId: string;
      nhiId: string;
      createdBy: string;
    };
    const walked = await data<{
      credential: { nhi: { id: string; lineage: { status: string; accountable: { id: string } } } };
    }>(`query($id: ID!) { credential(id: $id) { nhi { id lineage { status accountable { id } } } } }`, {
      id: credential.credentialId,
    });
    expect(walked.credential.nhi).toEqual({
      id: credential.nhiId,
      lineage: { status: 'ACCOUNTABLE', accountable: { id: credential.createdBy } },
    });
    const blast = await data<{ blastRadius: { resources: { level: string }[] } }>(
      `query($id: ID) { blastRadius(credentialId: $id) { resources { level } } }`,
      { id: credential.credentialId },
    );
    expect(blast.blastRadius.resources).toEqual([{ level: 'READ' }]);
  });
});

describe('findings', () => {
  test('OWASP NHI findings come with their subject node, title, severity and evidence', async () => {
    interface FindingsAnswer {
      findings: {
        totalCount: number;
        edges: {
          node: {
            id: string;
            risk: string;
            title: string;
            severity: string;
            subject: { id: string; kind: string };
            evidence: string[];
          };
        }[];
      };
    }
    const query = `query($risks: [OwaspNhiRisk!]) { findings(owasp: $risks, first: 100) { totalCount edges { node { id risk title severity subject { id kind } evidence } } } }`;
    const offboarding = await data<FindingsAnswer>(query, { risks: ['NHI1'] });
    const orphan = offboarding.findings.edges.map((e) => e.node).find((f) => f.subject.id === 'nhi:bob-bot');
    expect(orphan).toMatchObject({
      id: 'NHI1:nhi:bob-bot',
      risk: 'NHI1',
      title: 'Improper Offboarding',
      subject: { kind: 'NHI' },
    });
    expect(['LOW', 'MEDIUM', 'HIGH', 'CRITICAL']).toContain(orphan!.severity);
    expect(orphan!.evidence.length).toBeGreaterThan(0);
    expect(offboarding.findings.edges.every((e) => e.node.risk === 'NHI1')).toBe(true);
    const leakage = await data<FindingsAnswer>(query, { risks: ['NHI2'] });
    expect(leakage.findings.edges.map((e) => e.node.subject.id)).toContain('cred:deployer-key');
    const bad = await ask(`{ findings(owasp: [NHI42]) { totalCount } }`);
    expect(errorCode(bad)).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});

describe('assignOwner (admin)', () => {
  test('goes through the pipeline as iam.owner.assigned and returns the new lineage', async () => {
    const answer = await data<{
      assignOwner: { status: string; accountable: { id: string }; chain: { relation: string; evidence: string[] }[] };
    }>(
      `mutation { assignOwner(nhiId: "nhi:stray", ownerId: "person:dan") { status accountable { id } chain { relation evidence } } }`,
    );
    expect(answer.assignOwner).toMatchObject({ status: 'ACCOUNTABLE', accountable: { id: 'person:dan' } });
    const evidence = answer.assignOwner.chain[0]!.evidence[0]!;
    expect(evidence).toMatch(/^[0-9a-f-]{36}$/);
    const timeline = await data<{ timeline: { edges: { node: { eventId: string; type: string; source: string } }[] } }>(
      `{ timeline(entityId: "nhi:stray") { edges { node { eventId type source } } } }`,
    );
    expect(timeline.timeline.edges.at(-1)!.node).toEqual({
      eventId: evidence,
      type: 'iam.owner.assigned',
      source: 'nhi-lineage/api',
    });
    const orphans = await data<{ orphans: { edges: { node: { id: string } }[] } }>(
      `{ orphans { edges { node { id } } } }`,
    );
    expect(orphans.orphans.edges.map((e) => e.node.id)).not.toContain('nhi:stray');
  });

  test('an unknown NHI is NOT_FOUND and a non-person owner is BAD_USER_INPUT', async () => {
    expect(errorCode(await ask(`mutation { assignOwner(nhiId: "nhi:nope", ownerId: "person:dan") { status } }`))).toBe(
      'NOT_FOUND',
    );
    const answer = await ask(`mutation { assignOwner(nhiId: "nhi:stray", ownerId: "vendor:acme") { status } }`);
    expect(answer.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'ownerId' });
  });
});

describe('offboarding plans (automation)', () => {
  test('the leaver event made a plan, served with its actions and the nodes they name', async () => {
    const answer = await data<{
      offboardingPlan: {
        personId: string;
        subjectKind: string;
        triggeredBy: string;
        triggerType: string;
        effectiveAt: string;
        supersededAt: string | null;
        subject: { id: string; kind: string };
        deliveries: { channel: string }[];
        actions: {
          targetId: string;
          target: { id: string } | null;
          action: string;
          reason: string;
          suggestedOwnerId: string | null;
          suggestedOwner: { id: string } | null;
          evidence: string[];
        }[];
      } | null;
    }>(`{ offboardingPlan(personId: "person:bob") {
      personId subjectKind triggeredBy triggerType effectiveAt supersededAt subject { id kind } deliveries { channel }
      actions { targetId target { id } action reason suggestedOwnerId suggestedOwner { id } evidence }
    } }`);
    expect(answer.offboardingPlan).not.toBeNull();
    const plan = answer.offboardingPlan!;
    expect(plan).toMatchObject({
      personId: 'person:bob',
      subjectKind: 'Person',
      triggeredBy: 'hr-bob-left',
      triggerType: 'hr.person.left',
      effectiveAt: '2024-06-01T17:00:00.000Z',
      supersededAt: null,
      subject: { id: 'person:bob', kind: 'Person' },
      // No channel is configured here (no webhook, no Kafka): nothing to deliver.
      deliveries: [],
    });
    // What bob left behind: his bot and its live token (the rules choose the actions; the API serves them).
    expect(plan.actions.map((a) => a.targetId).sort()).toEqual(['cred:bob-token', 'nhi:bob-bot']);
    for (const action of plan.actions) {
      expect(action.target).toEqual({ id: action.targetId });
      expect(action.suggestedOwner).toEqual(action.suggestedOwnerId === null ? null : { id: action.suggestedOwnerId });
      expect(action.reason).not.toBe('');
    }
    const none = await data<{ offboardingPlan: unknown }>(`{ offboardingPlan(personId: "person:alice") { personId } }`);
    expect(none.offboardingPlan).toBeNull();
  });

  test('offboardingPlans pages through every plan', async () => {
    const answer = await data<{
      offboardingPlans: {
        totalCount: number;
        edges: { node: { personId: string } }[];
        pageInfo: { hasNextPage: boolean };
      };
    }>(`{ offboardingPlans(first: 10) { totalCount edges { node { personId } } pageInfo { hasNextPage } } }`);
    expect(answer.offboardingPlans.edges.map((e) => e.node.personId)).toContain('person:bob');
    expect(answer.offboardingPlans.totalCount).toBe(answer.offboardingPlans.edges.length);
    expect(answer.offboardingPlans.pageInfo.hasNextPage).toBe(false);
  });
});
