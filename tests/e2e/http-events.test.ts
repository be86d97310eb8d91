import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { IntrospectionQuery, IntrospectionTypeRef } from 'graphql';
import { getIntrospectionQuery } from 'graphql';
import { GRAPH_STORE } from '@lineage/domain';
import type { GraphStore } from '@lineage/domain';
import { MAX_EVENT_BYTES } from '@lineage/events';
import { IDE_ASSET_NAMES, MAX_QUERY_COST, MAX_QUERY_DEPTH } from '@lineage/graphql-api';
import { binaryMode } from './support/enterprise-scenario';
import type { E2eApp } from './support/e2e-app';
import { dataOf, errorCode, graphql, postBatch, postEvent, request, startE2eApp } from './support/e2e-app';

/**
 * The HTTP entry points end to end: POST /events in every CloudEvents content mode and every way
 * it refuses input, dead letters as the API shows them, /metrics, /health, the local GraphQL IDE,
 * the query limits, and the fixed names of the GraphQL schema.
 */

let e2e: E2eApp;
const SOURCE = 'hr/http-test';

const joined = (id: string, personId: string, extra: Record<string, unknown> = {}) => ({
  specversion: '1.0',
  id,
  source: SOURCE,
  type: 'hr.person.joined',
  time: '2024-02-01T09:00:00Z',
  data: { personId, email: `${personId.replace(':', '.')}@example.com`, ...extra },
});

beforeAll(async () => {
  e2e = await startE2eApp();
});

afterAll(async () => {
  await e2e?.close();
});

const ask = <T>(query: string, variables: Record<string, unknown> = {}) =>
  graphql(e2e.url, e2e.adminKey, query, variables).then((a) => dataOf<T>(a));

describe('POST /events', () => {
  test('structured mode: 202 with the id and source; the same event again is a duplicate that changes nothing', async () => {
    const event = joined('s-1', 'person:s1', { name: 'First Name' });
    expect(await postEvent(e2e.url, e2e.adminKey, event)).toMatchObject({
      status: 202,
      body: { status: 'accepted', id: 's-1', source: SOURCE },
    });
    const again = await postEvent(e2e.url, e2e.adminKey, { ...event, data: { ...event.data, name: 'Changed Name' } });
    expect(again).toMatchObject({ status: 202, body: { status: 'duplicate', id: 's-1', source: SOURCE } });
    expect((await ask<{ person: { name: string } }>(`{ person(id: "person:s1") { name } }`)).person.name).toBe(
      'First Name',
    );
  });

  test('plain application/json is structured mode too', async () => {
    const answer = await request(e2e.url, 'POST', '/events', {
      key: e2e.adminKey,
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify(joined('s-2', 'person:s2')),
    });
    expect(answer).toMatchObject({ status: 202, body: { status: 'accepted', id: 's-2' } });
  });

  test('batch mode: one result per event, in order, with the reason and field of each rejection', async () => {
    const answer = await postBatch(e2e.url, e2e.adminKey, [
      joined('b-1', 'person:b1'),
      joined('s-1', 'person:s1'),
      { ...joined('b-3', 'person:b3'), data: { email: 'b3@example.com' } },
      'not an event',
      joined('b-5', 'person:b5'),
    ]);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ accepted: 2, duplicates: 1, rejected: 2 });
    const results = answer.body['results'] as {
      index: number;
      status: string;
      id: string | null;
      source: string | null;
      reason?: string;
      field?: string | null;
    }[];
    expect(results.map((r) => [r.index, r.status, r.id])).toEqual([
      [0, 'accepted', 'b-1'],
      [1, 'duplicate', 's-1'],
      [2, 'rejected', null],
      [3, 'rejected', null],
      [4, 'accepted', 'b-5'],
    ]);
    expect(results[2]).toMatchObject({ source: SOURCE, field: 'data.personId' });
    expect(results[2]!.reason).toContain('data.personId');
    expect(results[3]!.reason).not.toBe('');
    expect(results[0]).not.toHaveProperty('reason');
  });

  test('binary mode: the attributes in ce-* headers, data as the body', async () => {
    const { headers, body } = binaryMode(
      joined('bin-1', 'person:bin1', { name: 'Bín Ärý' }) as Parameters<typeof binaryMode>[0],
    );
    const answer = await request(e2e.url, 'POST', '/events', { key: e2e.adminKey, headers, body });
    expect(answer).toMatchObject({ status: 202, body: { status: 'accepted', id: 'bin-1', source: SOURCE } });
    expect((await ask<{ person: { name: string } }>(`{ person(id: "person:bin1") { name } }`)).person.name).toBe(
      'Bín Ärý',
    );
    const before = await ask<{ deadLetters: { totalCount: number } }>(`{ deadLetters { totalCount } }`);
    const broken = await request(e2e.url, 'POST', '/events', {
      key: e2e.adminKey,
      headers: { ...headers, 'ce-id': 'bad%zzescape' },
      body,
    });
    expect(broken).toMatchObject({ status: 400, body: { error: 'BAD_USER_INPUT', field: 'id' } });
    // Unreadable headers lose nothing either: the body is dead-lettered with the reason.
    const after = await ask<{ deadLetters: { totalCount: number; edges: { node: { field: string; origin: string } }[] } }>(
      `{ deadLetters(first: 500) { totalCount edges { node { field origin } } } }`,
    );
    expect(after.deadLetters.totalCount).toBe(before.deadLetters.totalCount + 1);
    expect(after.deadLetters.edges.at(-1)?.node).toEqual({ field: 'id', origin: 'http' });
  });

  test('an invalid single event is 400 naming the field, and shows as dead-lettered', async () => {
    const before = await ask<{ deadLetters: { totalCount: number } }>(`{ deadLetters { totalCount } }`);
    const answer = await postEvent(e2e.url, e2e.adminKey, {
      ...joined('bad-1', 'person:x'),
      data: { personId: 'person:x' },
    });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ error: 'BAD_USER_INPUT', field: 'data.email' });
    expect(String(answer.body['reason'])).toContain('data.email');
    const after = await ask<{
      deadLetters: {
        totalCount: number;
        edges: {
          node: { origin: string; source: string; type: string; reason: string; field: string; sizeBytes: number };
        }[];
      };
    }>(`{ deadLetters(first: 100) { totalCount edges { node { origin source type reason field sizeBytes } } } }`);
    expect(after.deadLetters.totalCount).toBe(before.deadLetters.totalCount + 1);
    expect(after.deadLetters.edges.at(-1)!.node).toMatchObject({
      origin: 'http',
      source: SOURCE,
      type: 'hr.person.joined',
      field: 'data.email',
      reason: answer.body['reason'],
    });
    expect(after.deadLetters.edges.at(-1)!.node.sizeBytes).toBeGreaterThan(0);
  });

  test('malformed JSON and a secret in a field are refused and dead-lettered; the secret is never echoed', async () => {
    const malformed = await request<Record<string, unknown>>(e2e.url, 'POST', '/events', {
      key: e2e.adminKey,
      headers: { 'content-type': 'application/cloudevents+json' },
      body: '{"specversion": "1.0", ',
    });
    expect(malformed).toMatchObject({ status: 400, body: { error: 'BAD_USER_INPUT' } });
    expect(String(malformed.body['reason'])).toMatch(/JSON/);

    const secret = 'ghp_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8';
    const leaky = await postEvent(e2e.url, e2e.adminKey, {
      specversion: '1.0',
      id: 'leak-1',
      source: 'iam/http-test',
      type: 'iam.credential.created',
      time: '2024-02-01T09:00:00Z',
      data: { credentialId: 'cred:leak', nhiId: 'nhi:leak', kind: 'pat', fingerprint: secret },
    });
    expect(leaky).toMatchObject({ status: 400, body: { field: 'data.fingerprint' } });
    expect(leaky.text).not.toContain(secret);
    const letters = await graphql(
      e2e.url,
      e2e.adminKey,
      `
        {
          deadLetters(first: 100) {
            edges {
              node {
                reason
                field
              }
            }
          }
        }
      `,
    );
    expect(letters.text).not.toContain(secret);
    expect(
      dataOf<{ deadLetters: { edges: { node: { field: string } }[] } }>(letters).deadLetters.edges.map(
        (e) => e.node.field,
      ),
    ).toContain('data.fingerprint');
    expect(await ask<{ credential: unknown }>(`{ credential(id: "cred:leak") { id } }`)).toEqual({ credential: null });
  });

  test('too large is 413, an unknown content type 415, and neither is applied', async () => {
    const big = joined('big-1', 'person:big', { name: 'x'.repeat(200), department: 'y'.repeat(MAX_EVENT_BYTES) });
    expect(await postEvent(e2e.url, e2e.adminKey, big)).toMatchObject({
      status: 413,
      body: { error: 'PAYLOAD_TOO_LARGE' },
    });
    const text = await request(e2e.url, 'POST', '/events', {
      key: e2e.adminKey,
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify(joined('txt-1', 'person:txt')),
    });
    expect(text).toMatchObject({ status: 415, body: { error: 'UNSUPPORTED_MEDIA_TYPE', field: 'content-type' } });
    const notArray = await request(e2e.url, 'POST', '/events', {
      key: e2e.adminKey,
      headers: { 'content-type': 'application/cloudevents-batch+json' },
      body: JSON.stringify(joined('na-1', 'person:na')),
    });
    expect(notArray).toMatchObject({ status: 400, body: { field: 'body' } });
    expect(
      await ask<{ a: unknown; b: unknown; c: unknown }>(
        `{ a: person(id: "person:big") { id } b: person(id: "person:txt") { id } c: person(id: "person:na") { id } }`,
      ),
    ).toEqual({ a: null, b: null, c: null });
  });

  test('ingestionStatus counts what came over HTTP, per source and type', async () => {
    const status = await ask<{
      ingestionStatus: {
        sources: {
          source: string;
          accepted: number;
          duplicates: number;
          rejected: number;
          types: { type: string; rejected: number }[];
        }[];
        deadLettered: number;
      };
    }>(`{ ingestionStatus { sources { source accepted duplicates rejected types { type rejected } } deadLettered } }`);
    const hr = status.ingestionStatus.sources.find((s) => s.source === SOURCE)!;
    // Accepted: s-1, s-2, b-1, b-5, bin-1. Duplicates: s-1 twice. Rejected: b-3 and bad-1.
    expect(hr).toMatchObject({ accepted: 5, duplicates: 2, rejected: 2 });
    expect(hr.types).toEqual([{ type: 'hr.person.joined', rejected: 2 }]);
    const letters = await ask<{ deadLetters: { totalCount: number } }>(`{ deadLetters { totalCount } }`);
    expect(status.ingestionStatus.deadLettered).toBe(letters.deadLetters.totalCount);
    expect(status.ingestionStatus.deadLettered).toBeGreaterThanOrEqual(5);
  });
});

describe('GET /metrics and GET /health', () => {
  test('/metrics shows the ingestion counters, the batch latency and Node metrics, with a key', async () => {
    const answer = await request(e2e.url, 'GET', '/metrics', { key: e2e.adminKey });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toContain('text/plain');
    const value = (pattern: RegExp) => Number(pattern.exec(answer.text)?.[1]);
    expect(
      value(
        new RegExp(`lineage_events_total\\{source="${SOURCE}",type="hr.person.joined",outcome="accepted"\\} (\\d+)`),
      ),
    ).toBe(5);
    expect(
      value(
        new RegExp(`lineage_events_total\\{source="${SOURCE}",type="hr.person.joined",outcome="duplicate"\\} (\\d+)`),
      ),
    ).toBe(2);
    expect(
      value(
        new RegExp(`lineage_events_total\\{source="${SOURCE}",type="hr.person.joined",outcome="rejected"\\} (\\d+)`),
      ),
    ).toBe(2);
    expect(value(/^lineage_dead_lettered_total (\d+)$/m)).toBeGreaterThanOrEqual(5);
    expect(value(/^lineage_ingest_batch_duration_seconds_count (\d+)$/m)).toBeGreaterThan(0);
    expect(answer.text).toContain('# TYPE lineage_consumer_lag gauge');
    expect(answer.text).toMatch(/^process_cpu_user_seconds_total /m);
  });

  test('/health needs no key and names the store', async () => {
    expect(await request(e2e.url, 'GET', '/health')).toMatchObject({
      status: 200,
      body: { status: 'ok', store: 'embedded' },
    });
  });
});

describe('the GraphQL IDE, served locally', () => {
  test('a browser asking for /graphql gets GraphiQL, whose every asset comes from this server', async () => {
    const page = await request(e2e.url, 'GET', '/graphql', { headers: { accept: 'text/html,application/xhtml+xml' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const sources = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(sources.sort()).toEqual(IDE_ASSET_NAMES.map((name) => `/graphql-ide/${name}`).sort());
    for (const source of sources) {
      expect(source).toMatch(/^\/graphql-ide\//);
      const asset = await request(e2e.url, 'GET', source);
      expect(asset.status).toBe(200);
      expect(asset.text.length).toBeGreaterThan(0);
    }
    expect(page.text).not.toMatch(/https?:\/\//);
    // The bundle is the installed GraphiQL 3 UMD build, byte for byte.
    const graphiqlDir = dirname(require.resolve('graphiql/package.json'));
    const bundle = await fetch(`${e2e.url}/graphql-ide/graphiql.min.js`).then((r) => r.arrayBuffer());
    expect(Buffer.from(bundle).equals(readFileSync(join(graphiqlDir, 'graphiql.min.js')))).toBe(true);
    const start = await request(e2e.url, 'GET', '/graphql-ide/ide.js');
    expect(start.text).toContain('isHeadersEditorEnabled: true');
    expect(start.text).toContain('shouldPersistHeaders: false');
  });

  test('only the IDE files are served; a GraphQL GET still needs a key', async () => {
    expect((await request(e2e.url, 'GET', '/graphql-ide/package.json')).status).toBe(404);
    expect((await request(e2e.url, 'GET', '/graphql-ide/..%2F..%2Fpackage.json')).status).toBe(404);
    const path = `/graphql?query=${encodeURIComponent('{ viewer { role } }')}`;
    // Apollo's CSRF protection wants a preflight header on GET; past it, the key is checked.
    expect((await request(e2e.url, 'GET', path, { headers: { accept: 'text/html' } })).status).toBe(400);
    const preflight = { accept: 'application/json', 'apollo-require-preflight': 'true' };
    expect((await request(e2e.url, 'GET', path, { headers: preflight })).status).toBe(401);
    const answer = await request<{ data: unknown }>(e2e.url, 'GET', path, { key: e2e.adminKey, headers: preflight });
    expect(answer).toMatchObject({ status: 200, body: { data: { viewer: { role: 'ADMIN' } } } });
  });
});

describe('query limits', () => {
  test(`a query deeper than ${MAX_QUERY_DEPTH} is refused before it runs`, async () => {
    let selection = 'id';
    for (let i = 0; i < MAX_QUERY_DEPTH; i++) selection = `manager { ${selection} }`;
    const answer = await graphql(e2e.url, e2e.adminKey, `{ person(id: "person:s1") { ${selection} } }`);
    expect(answer.status).toBe(400);
    expect(errorCode(answer)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(answer.body.errors?.[0]?.message).toMatch(/exceeds maximum operation depth of 10/);
    let allowed = 'id';
    for (let i = 0; i < MAX_QUERY_DEPTH - 1; i++) allowed = `manager { ${allowed} }`;
    expect(
      errorCode(await graphql(e2e.url, e2e.adminKey, `{ person(id: "person:s1") { ${allowed} } }`)),
    ).toBeUndefined();
  });

  test(`a query costing more than ${MAX_QUERY_COST} is refused with its cost`, async () => {
    const answer = await graphql(
      e2e.url,
      e2e.adminKey,
      `
        {
          orphans(first: 500) {
            edges {
              node {
                credentials(first: 500) {
                  edges {
                    node {
                      id
                    }
                  }
                }
              }
            }
          }
        }
      `,
    );
    expect(answer.status).toBe(400);
    expect(answer.body.errors?.[0]?.extensions).toMatchObject({
      code: 'GRAPHQL_VALIDATION_FAILED',
      maxCost: MAX_QUERY_COST,
    });
    expect(answer.body.errors?.[0]?.extensions?.['cost']).toBeGreaterThan(MAX_QUERY_COST);
    expect(
      errorCode(
        await graphql(
          e2e.url,
          e2e.adminKey,
          `
            {
              orphans(first: 500) {
                edges {
                  node {
                    id
                    name
                  }
                }
              }
            }
          `,
        ),
      ),
    ).toBeUndefined();
  });
});

describe('the GraphQL schema keeps the names automation depends on', () => {
  test('issue 4, 5 and 6 operations and types, argument for argument', async () => {
    const schema = (await ask<IntrospectionQuery>(getIntrospectionQuery())).__schema;
    const typeString = (ref: IntrospectionTypeRef): string =>
      ref.kind === 'NON_NULL'
        ? `${typeString(ref.ofType)}!`
        : ref.kind === 'LIST'
          ? `[${typeString(ref.ofType)}]`
          : ref.name;
    const fieldsOf = (name: string) => {
      const type = schema.types.find((t) => t.name === name);
      if (!type || !('fields' in type) || !type.fields) throw new Error(`no type ${name}`);
      return new Map(
        type.fields.map((f) => [
          f.name,
          `(${f.args.map((a) => `${a.name}: ${typeString(a.type)}`).join(', ')}): ${typeString(f.type)}`,
        ]),
      );
    };
    const query = fieldsOf('Query');
    expect(
      Object.fromEntries(
        [
          'lineage',
          'orphanedBy',
          'orphans',
          'blastRadius',
          'timeline',
          'ingestionStatus',
          'person',
          'nhi',
          'credential',
          'offboardingPlan',
          'offboardingPlans',
          'findings',
        ].map((f) => [f, query.get(f)]),
      ),
    ).toEqual({
      lineage: '(nhiId: ID!, asOf: DateTime): Lineage!',
      orphanedBy: '(personId: ID!, asOf: DateTime): [OrphanedNHI!]!',
      orphans: '(first: Int, after: String, asOf: DateTime): NHIConnection!',
      blastRadius: '(credentialId: ID, nhiId: ID, maxDepth: Int, asOf: DateTime): BlastRadius!',
      timeline: '(entityId: ID!, from: DateTime, to: DateTime, first: Int, after: String): TimelineConnection!',
      ingestionStatus: '(): IngestionStatus!',
      person: '(id: ID!, asOf: DateTime): Person',
      nhi: '(id: ID!, asOf: DateTime): NHI',
      credential: '(id: ID!, asOf: DateTime): Credential',
      offboardingPlan: '(personId: ID!): OffboardingPlan',
      offboardingPlans: '(first: Int, after: String, undelivered: Boolean): OffboardingPlanConnection!',
      findings:
        '(owasp: [OwaspNhiRisk!], subjectId: ID, asOf: DateTime, first: Int, after: String): FindingConnection!',
    });
    expect(fieldsOf('Mutation').get('assignOwner')).toBe('(nhiId: ID!, ownerId: ID!): Lineage!');
    const has = (type: string, fields: Record<string, string>) => {
      const actual = fieldsOf(type);
      for (const [name, signature] of Object.entries(fields))
        expect([type, name, actual.get(name)]).toEqual([type, name, signature]);
    };
    has('Node', { id: '(): ID!', kind: '(): String!', name: '(): String' });
    has('LineageStep', {
      from: '(): Node!',
      relation: '(): String!',
      to: '(): Node!',
      evidence: '(): [String!]!',
      since: '(): DateTime',
    });
    has('Lineage', {
      nhi: '(): NHI!',
      status: '(): LineageStatus!',
      accountable: '(): Person',
      chain: '(): [LineageStep!]!',
    });
    has('OrphanedNHI', { nhi: '(): NHI!', lastAccountable: '(): Person', credentials: '(): [Credential!]!' });
    has('ReachedResource', { resource: '(): Resource!', level: '(): AccessLevel!', path: '(): [ID!]!' });
    has('BlastRadius', {
      root: '(): Node!',
      resources: '(): [ReachedResource!]!',
      sharedWith: '(): [Node!]!',
      truncated: '(): Boolean!',
    });
    has('TimelineEvent', {
      eventId: '(): ID!',
      type: '(): String!',
      time: '(): DateTime!',
      source: '(): String!',
      summary: '(): String',
    });
    has('IngestionStatus', { sources: '(): [SourceStatus!]!', deadLettered: '(): Int!' });
    has('SourceStatus', {
      source: '(): String!',
      accepted: '(): Int!',
      duplicates: '(): Int!',
      rejected: '(): Int!',
      lastEventTime: '(): DateTime',
    });
    has('OffboardingPlan', {
      personId: '(): ID!',
      triggeredBy: '(): String!',
      createdAt: '(): DateTime!',
      actions: '(): [OffboardingAction!]!',
      deliveries: '(): [PlanDelivery!]!',
    });
    has('PlanDelivery', {
      channel: '(): String!',
      status: '(): PlanDeliveryStatus!',
      attempts: '(): Int!',
      deliveredAt: '(): DateTime',
      nextAttemptAt: '(): DateTime',
      lastError: '(): String',
    });
    has('OffboardingAction', {
      targetId: '(): ID!',
      action: '(): OffboardingActionKind!',
      reason: '(): String!',
      suggestedOwner: '(): Person',
      evidence: '(): [String!]!',
    });
    has('Finding', {
      id: '(): ID!',
      risk: '(): OwaspNhiRisk!',
      subject: '(): Node!',
      severity: '(): Severity!',
      summary: '(): String!',
      evidence: '(): [String!]!',
      since: '(): DateTime',
    });
    has('NHIConnection', { edges: '(): [NHIEdge!]!', pageInfo: '(): PageInfo!', totalCount: '(): Int!' });
    has('PageInfo', { hasNextPage: '(): Boolean!', endCursor: '(): String' });
    const enumValues = (name: string) => {
      const type = schema.types.find((t) => t.name === name);
      return type && 'enumValues' in type ? type.enumValues.map((v) => v.name) : [];
    };
    expect(enumValues('LineageStatus')).toEqual(['ACCOUNTABLE', 'ORPHANED', 'UNOWNED']);
    expect(enumValues('AccessLevel')).toEqual(['READ', 'WRITE', 'ADMIN']);
    expect(enumValues('OffboardingActionKind')).toEqual(['REASSIGN', 'ROTATE', 'DISABLE', 'REVOKE']);
    expect(enumValues('OwaspNhiRisk')).toEqual([
      'NHI1',
      'NHI2',
      'NHI3',
      'NHI4',
      'NHI5',
      'NHI6',
      'NHI7',
      'NHI8',
      'NHI9',
      'NHI10',
    ]);
    expect(enumValues('Severity')).toEqual(['LOW', 'MEDIUM', 'HIGH', 'CRITICAL']);
    const node = schema.types.find((t) => t.name === 'Node');
    const implementers = node && 'possibleTypes' in node ? node.possibleTypes.map((t) => t.name).sort() : [];
    expect(implementers).toEqual([
      'Credential',
      'NHI',
      'Person',
      'Resource',
      'Role',
      'SecretStore',
      'Vendor',
      'Workload',
    ]);
  });
});

describe('store unavailable', () => {
  // Last in the file: it closes the store.
  test('POST /events answers 503 with Retry-After when the store does not take the batch, and nothing is acknowledged', async () => {
    await e2e.app.get<GraphStore>(GRAPH_STORE).close();
    const answer = await postEvent(e2e.url, e2e.adminKey, joined('down-1', 'person:down'));
    expect(answer).toMatchObject({ status: 503, body: { error: 'UNAVAILABLE' } });
    expect(answer.headers.get('retry-after')).toBe('5');
  });
});
