import type { ApiRole } from '@lineage/domain';
import { API_ROLES } from '@lineage/domain';
import { Clock, UNAUTHENTICATED_MESSAGE } from '@lineage/auth';
import type { E2eApp, GraphqlBody, HttpAnswer } from './support/e2e-app';
import { dataOf, errorCode, graphql, postEvent, request, startE2eApp } from './support/e2e-app';

/**
 * Access control end to end: every role's allowed and forbidden calls (one table), missing,
 * malformed, unknown, expired and revoked keys, and key management, whose keys are NHIs.
 */

let e2e: E2eApp;
const keys = {} as Record<ApiRole, string>;

const joined = (id: string, personId: string) => ({
  specversion: '1.0',
  id,
  source: 'hr/test',
  type: 'hr.person.joined',
  time: '2024-01-01T00:00:00Z',
  data: { personId, email: `${personId.slice(7)}@example.com` },
});

async function createKey(
  role: string,
  ownerId: string,
  expiresInDays = 30,
): Promise<{ key: string; apiKey: { id: string; nhiId: string; role: string; status: string } }> {
  const answer = await graphql(
    e2e.url,
    e2e.adminKey,
    `
      mutation ($role: ApiRole!, $owner: ID!, $days: Int) {
        createApiKey(role: $role, ownerId: $owner, expiresInDays: $days) {
          key
          apiKey {
            id
            nhiId
            role
            status
          }
        }
      }
    `,
    {
      role,
      owner: ownerId,
      days: expiresInDays,
    },
  );
  return dataOf<{ createApiKey: { key: string; apiKey: { id: string; nhiId: string; role: string; status: string } } }>(
    answer,
  ).createApiKey;
}

beforeAll(async () => {
  e2e = await startE2eApp();
  expect((await postEvent(e2e.url, e2e.adminKey, joined('p-owner', 'person:owner'))).status).toBe(202);
  for (const role of API_ROLES) keys[role] = (await createKey(role.toUpperCase(), 'person:owner')).key;
});

afterAll(async () => {
  await e2e?.close();
});

interface Operation {
  readonly name: string;
  readonly minimum: ApiRole;
  /** Sends the call with `key`; the answer is checked for being allowed or forbidden. */
  readonly call: (key: string) => Promise<HttpAnswer<unknown>>;
  readonly kind: 'graphql' | 'http';
}

const query = (name: string, minimum: ApiRole, document: string): Operation => ({
  name,
  minimum,
  kind: 'graphql',
  call: (key) => graphql(e2e.url, key, document),
});

let eventSeq = 0;
const OPERATIONS: readonly Operation[] = [
  query('lineage', 'analyst', `{ lineage(nhiId: "nhi:nhi-lineage:api-key:${'0'.repeat(16)}") { status } }`),
  query('orphanedBy', 'analyst', `{ orphanedBy(personId: "person:owner") { nhi { id } } }`),
  query('orphans', 'analyst', `{ orphans { totalCount } }`),
  query('blastRadius', 'analyst', `{ blastRadius(nhiId: "nhi:none") { truncated } }`),
  query('person', 'analyst', `{ person(id: "person:owner") { id } }`),
  query('nhi', 'analyst', `{ nhi(id: "nhi:none") { id } }`),
  query('credential', 'analyst', `{ credential(id: "cred:none") { id } }`),
  query('node', 'analyst', `{ node(id: "person:owner") { id } }`),
  query('findings', 'analyst', `{ findings(first: 5) { totalCount } }`),
  query('ingestionStatus', 'analyst', `{ ingestionStatus { deadLettered } }`),
  query('viewer', 'analyst', `{ viewer { role } }`),
  query('timeline', 'responder', `{ timeline(entityId: "person:owner") { totalCount } }`),
  query('deadLetters', 'responder', `{ deadLetters { totalCount } }`),
  query('offboardingPlan', 'automation', `{ offboardingPlan(personId: "person:owner") { personId } }`),
  query('offboardingPlans', 'automation', `{ offboardingPlans { totalCount } }`),
  query('apiKeys', 'admin', `{ apiKeys { id } }`),
  query('retryPlanDeliveries', 'admin', `mutation { retryPlanDeliveries { channel rescheduled } }`),
  query('assignOwner', 'admin', `mutation { assignOwner(nhiId: "nhi:none", ownerId: "person:owner") { status } }`),
  query(
    'createApiKey',
    'admin',
    `mutation { createApiKey(role: ANALYST, ownerId: "person:owner", expiresInDays: 1) { apiKey { id } } }`,
  ),
  query('revokeApiKey', 'admin', `mutation { revokeApiKey(id: "${'f'.repeat(16)}") { id } }`),
  {
    name: 'POST /events',
    minimum: 'automation',
    kind: 'http',
    call: (key) => postEvent(e2e.url, key, joined(`p-${++eventSeq}`, `person:p${eventSeq}`)),
  },
  {
    name: 'GET /metrics',
    minimum: 'analyst',
    kind: 'http',
    call: (key) => request(e2e.url, 'GET', '/metrics', { key }),
  },
];

const TABLE = OPERATIONS.flatMap((operation) =>
  API_ROLES.map(
    (role) =>
      [operation.name, role, API_ROLES.indexOf(role) >= API_ROLES.indexOf(operation.minimum), operation] as const,
  ),
);

describe('every role against every operation', () => {
  test.each(TABLE)('%s as %s: allowed=%s', async (_name, role, allowed, operation) => {
    const answer = await operation.call(keys[role]);
    if (operation.kind === 'http') {
      if (allowed) expect([200, 202]).toContain(answer.status);
      else expect(answer).toMatchObject({ status: 403, body: { error: 'FORBIDDEN' } });
      return;
    }
    const body = answer.body as GraphqlBody;
    const codes = (body.errors ?? []).map((e) => e.extensions?.['code']);
    if (allowed) {
      // Allowed: no access error. (An unknown id may still be NOT_FOUND: that is an answer.)
      expect(codes).not.toContain('FORBIDDEN');
      expect(codes).not.toContain('UNAUTHENTICATED');
      expect(codes.every((code) => code === 'NOT_FOUND')).toBe(true);
    } else {
      expect(codes).toEqual(['FORBIDDEN']);
      expect(body.errors?.[0]?.message).toContain(operation.minimum);
      // Nothing leaks: the data is null, or the (nullable) field is.
      expect(Object.values(body.data ?? {}).every((value) => value === null)).toBe(true);
    }
  });
});

describe('authentication', () => {
  const ANY = `{ viewer { keyId } }`;

  test('no key: GraphQL (introspection too), POST /events and /metrics are refused as UNAUTHENTICATED', async () => {
    for (const document of [ANY, `{ __schema { queryType { name } } }`, `{ __typename }`]) {
      const answer = await graphql(e2e.url, null, document);
      expect(answer.status).toBe(401);
      expect(answer.headers.get('www-authenticate')).toBe('Bearer');
      expect(errorCode(answer)).toBe('UNAUTHENTICATED');
      expect(answer.body.data).toBeUndefined();
    }
    expect(await postEvent(e2e.url, null, joined('p-nokey', 'person:nokey'))).toMatchObject({
      status: 401,
      body: { error: 'UNAUTHENTICATED' },
    });
    expect((await request(e2e.url, 'GET', '/metrics')).status).toBe(401);
    // Nothing got in.
    const person = dataOf<{ person: unknown }>(
      await graphql(
        e2e.url,
        e2e.adminKey,
        `
          {
            person(id: "person:nokey") {
              id
            }
          }
        `,
      ),
    );
    expect(person.person).toBeNull();
  });

  test('malformed, unknown and wrong-secret keys all get the same answer', async () => {
    const genuine = keys.analyst;
    const wrongSecret = genuine.slice(0, -4) + (genuine.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    const unknownId = `nhil_${'0'.repeat(16)}_${genuine.split('_').slice(2).join('_')}`;
    const answers: HttpAnswer<GraphqlBody>[] = [];
    for (const authorization of [
      'Bearer',
      'Bearer garbage',
      `Basic ${genuine}`,
      `Bearer ${wrongSecret}`,
      `Bearer ${unknownId}`,
      `Bearer ${'x'.repeat(5000)}`,
    ]) {
      answers.push(
        await request<GraphqlBody>(e2e.url, 'POST', '/graphql', {
          headers: { authorization, 'content-type': 'application/json' },
          body: JSON.stringify({ query: ANY }),
        }),
      );
    }
    for (const answer of answers) {
      expect(answer.status).toBe(401);
      expect(answer.body.errors).toEqual([
        { message: UNAUTHENTICATED_MESSAGE, extensions: { code: 'UNAUTHENTICATED' } },
      ]);
    }
  });

  test('an expired key stops working when its expiry passes, even while cached', async () => {
    const { key } = await createKey('ANALYST', 'person:owner', 1);
    expect(dataOf<{ viewer: { keyId: string } }>(await graphql(e2e.url, key, ANY)).viewer.keyId).toBe(
      key.split('_')[1],
    );
    const clock = e2e.app.get(Clock);
    const now = clock.now();
    const spy = jest.spyOn(clock, 'now').mockReturnValue(now + 2 * 86_400_000);
    try {
      const answer = await graphql(e2e.url, key, ANY);
      expect(answer.status).toBe(401);
      expect(errorCode(answer)).toBe('UNAUTHENTICATED');
      // The other keys (expiring in 30 days) still work at that time.
      expect(errorCode(await graphql(e2e.url, keys.analyst, ANY))).toBeUndefined();
    } finally {
      spy.mockRestore();
    }
  });

  test('a revoked key is refused at once, though it was just verified and cached', async () => {
    const { key, apiKey } = await createKey('AUTOMATION', 'person:owner');
    expect((await postEvent(e2e.url, key, joined('p-before-revoke', 'person:before'))).status).toBe(202);
    const revoked = dataOf<{ revokeApiKey: { id: string; status: string; revokedAt: string } }>(
      await graphql(
        e2e.url,
        e2e.adminKey,
        `
          mutation ($id: ID!) {
            revokeApiKey(id: $id) {
              id
              status
              revokedAt
            }
          }
        `,
        { id: apiKey.id },
      ),
    );
    expect(revoked.revokeApiKey).toMatchObject({ id: apiKey.id, status: 'REVOKED' });
    expect((await postEvent(e2e.url, key, joined('p-after-revoke', 'person:after'))).status).toBe(401);
    expect(errorCode(await graphql(e2e.url, key, ANY))).toBe('UNAUTHENTICATED');
    expect(
      errorCode(await graphql(e2e.url, e2e.adminKey, `mutation { revokeApiKey(id: "${'e'.repeat(16)}") { id } }`)),
    ).toBe('NOT_FOUND');
  });
});

describe('key management', () => {
  test('a key is shown once, listed without any secret, and is an NHI owned by its owner', async () => {
    const { key, apiKey } = await createKey('RESPONDER', 'person:owner', 90);
    expect(key).toMatch(/^nhil_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect(key.split('_')[1]).toBe(apiKey.id);
    expect(apiKey).toMatchObject({
      role: 'RESPONDER',
      status: 'ACTIVE',
      nhiId: `nhi:nhi-lineage:api-key:${apiKey.id}`,
    });

    const listed = await graphql(
      e2e.url,
      e2e.adminKey,
      `
        {
          apiKeys {
            id
            role
            ownerId
            status
            expiresAt
            owner {
              id
            }
          }
        }
      `,
    );
    expect(listed.text).not.toContain(key.split('_').slice(2).join('_'));
    const entry = dataOf<{
      apiKeys: {
        id: string;
        role: string;
        ownerId: string;
        status: string;
        expiresAt: string;
        owner: { id: string };
      }[];
    }>(listed).apiKeys.find((k) => k.id === apiKey.id)!;
    expect(entry).toMatchObject({
      role: 'RESPONDER',
      ownerId: 'person:owner',
      status: 'ACTIVE',
      owner: { id: 'person:owner' },
    });
    expect(Date.parse(entry.expiresAt) - Date.now()).toBeGreaterThan(89 * 86_400_000);

    const fields = dataOf<{ __type: { fields: { name: string }[] } }>(
      await graphql(
        e2e.url,
        e2e.adminKey,
        `
          {
            __type(name: "ApiKey") {
              fields {
                name
              }
            }
          }
        `,
      ),
    );
    expect(fields.__type.fields.map((f) => f.name)).not.toEqual(expect.arrayContaining(['hash']));

    const nhi = dataOf<{
      nhi: {
        nhiKind: string;
        platform: string;
        owners: { id: string }[];
        lineage: { status: string; accountable: { id: string } };
        creator: { id: string };
      };
    }>(
      await graphql(
        e2e.url,
        e2e.adminKey,
        `
          query ($id: ID!) {
            nhi(id: $id) {
              nhiKind
              platform
              owners {
                id
              }
              creator {
                id
              }
              lineage {
                status
                accountable {
                  id
                }
              }
            }
          }
        `,
        { id: apiKey.nhiId },
      ),
    );
    expect(nhi.nhi).toEqual({
      nhiKind: 'api_token',
      platform: 'nhi-lineage',
      owners: [{ id: 'person:owner' }],
      creator: {
        id: dataOf<{ viewer: { nhiId: string } }>(
          await graphql(
            e2e.url,
            e2e.adminKey,
            `
              {
                viewer {
                  nhiId
                }
              }
            `,
          ),
        ).viewer.nhiId,
      },
      lineage: { status: 'ACCOUNTABLE', accountable: { id: 'person:owner' } },
    });
  });

  test('revoking a key retires its NHI: it existed before the revocation and not after', async () => {
    const { apiKey } = await createKey('ANALYST', 'person:owner');
    const before = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 5));
    dataOf(
      await graphql(
        e2e.url,
        e2e.adminKey,
        `
          mutation ($id: ID!) {
            revokeApiKey(id: $id) {
              id
            }
          }
        `,
        { id: apiKey.id },
      ),
    );
    const nhi = dataOf<{ nhi: { validTo: string | null } }>(
      await graphql(
        e2e.url,
        e2e.adminKey,
        `
          query ($id: ID!) {
            nhi(id: $id) {
              validTo
            }
          }
        `,
        { id: apiKey.nhiId },
      ),
    );
    expect(nhi.nhi.validTo).not.toBeNull();
    expect(Date.parse(nhi.nhi.validTo!)).toBeGreaterThan(Date.parse(before));
    const timeline = dataOf<{ timeline: { edges: { node: { type: string; source: string } }[] } }>(
      await graphql(
        e2e.url,
        e2e.adminKey,
        `
          query ($id: ID!) {
            timeline(entityId: $id) {
              edges {
                node {
                  type
                  source
                }
              }
            }
          }
        `,
        { id: apiKey.nhiId },
      ),
    );
    expect(timeline.timeline.edges.map((e) => e.node)).toEqual([
      { type: 'iam.nhi.created', source: 'nhi-lineage/api' },
      { type: 'iam.nhi.deleted', source: 'nhi-lineage/api' },
    ]);
  });

  test('bad key arguments are BAD_USER_INPUT naming the argument', async () => {
    const cases: [string, string][] = [
      [`mutation { createApiKey(role: ANALYST, ownerId: "", expiresInDays: 5) { key } }`, 'ownerId'],
      [`mutation { createApiKey(role: ANALYST, ownerId: "person:owner", expiresInDays: 0) { key } }`, 'expiresInDays'],
      [
        `mutation { createApiKey(role: ANALYST, ownerId: "person:owner", expiresInDays: 4000) { key } }`,
        'expiresInDays',
      ],
    ];
    for (const [document, field] of cases) {
      const answer = await graphql(e2e.url, e2e.adminKey, document);
      expect(answer.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
  });
});
