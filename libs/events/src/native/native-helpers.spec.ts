import {
  NativeDecodeError,
  at,
  canonicalEvents,
  contentId,
  draft,
  environmentOf,
  levelOfWord,
  normaliseTime,
  optionalTime,
  personId,
  slug,
  text,
} from './native-helpers';

function rejectionOf(run: () => unknown): { field: string | null; message: string } {
  try {
    run();
  } catch (error) {
    if (error instanceof NativeDecodeError) return { field: error.field, message: error.message };
    throw error;
  }
  throw new Error('expected a NativeDecodeError');
}

describe('normaliseTime', () => {
  it.each([
    // CloudTrail as vendors export it: a space, nanoseconds, no zone (UTC).
    ['2024-06-02 19:41:40.000000000', '2024-06-02T19:41:40.000Z'],
    ['2022-09-27 17:09:18', '2022-09-27T17:09:18.000Z'],
    ['2019-01-01T00:00:00Z', '2019-01-01T00:00:00.000Z'],
    // GCP: nanoseconds are truncated to milliseconds.
    ['2020-05-15T04:28:42.237027213Z', '2020-05-15T04:28:42.237Z'],
    // GitLab: a zone name or a numeric offset without a colon.
    ['2023-01-10 13:50:54 UTC', '2023-01-10T13:50:54.000Z'],
    ['2021-04-28 21:50:00 +0200', '2021-04-28T19:50:00.000Z'],
    ['2024-11-27T03:31:26.7088498+00:00', '2024-11-27T03:31:26.708Z'],
    // A date alone is midnight UTC (GitLab token expiry).
    ['2024-01-26', '2024-01-26T00:00:00.000Z'],
    // An HTTP Date header.
    ['Tue, 15 Nov 1994 08:12:31 GMT', '1994-11-15T08:12:31.000Z'],
  ])('reads %s as %s', (input, expected) => {
    expect(normaliseTime(input, 'eventTime')).toBe(expected);
  });

  it('reads epoch seconds and epoch milliseconds, as numbers or digits', () => {
    expect(normaliseTime(1557933591, 'created_at')).toBe('2019-05-15T15:19:51.000Z');
    expect(normaliseTime(1621305118553, 'created_at')).toBe('2021-05-18T02:31:58.553Z');
    expect(normaliseTime('1621305118553', 'created_at')).toBe('2021-05-18T02:31:58.553Z');
  });

  it.each([
    ['yesterday'],
    ['2024-02-30 10:00:00'],
    ['2024-13-01'],
    ['Jan 01, 2019 0:00:00 PM'],
    [-5],
    [Number.NaN],
    [{}],
    [true],
  ])('rejects %p naming the field, without echoing the value', (input) => {
    const rejection = rejectionOf(() => normaliseTime(input, 'eventTime'));
    expect(rejection.field).toBe('eventTime');
    expect(rejection.message).toBe('eventTime: is not a recognised date-time');
  });

  it('says a missing time is required', () => {
    expect(rejectionOf(() => normaliseTime(undefined, 'published')).message).toBe('published: is required');
    expect(optionalTime(undefined, 'expires_at')).toBeUndefined();
    expect(optionalTime('', 'expires_at')).toBeUndefined();
  });
});

describe('field access', () => {
  it('finds keys in any case and @-keys under their at_sign_ rename', () => {
    const record = {
      eventname: 'CreateUser',
      protopayload: { MethodName: 'SetIamPolicy' },
      at_sign_timestamp: '2023-01-31 18:58:27.638',
    };
    expect(text(record, 'eventName')).toBe('CreateUser');
    expect(text(record, 'protoPayload.methodName')).toBe('SetIamPolicy');
    expect(at(record, '@timestamp')).toBe('2023-01-31 18:58:27.638');
  });

  it('indexes arrays and reads keys that contain dots as one path segment', () => {
    const record = {
      sourceIPs: ['10.0.0.1'],
      metadata: { annotations: { 'kubernetes.io/service-account.name': 'builder' } },
    };
    expect(text(record, 'sourceIPs.0')).toBe('10.0.0.1');
    expect(text(record, ['metadata', 'annotations', 'kubernetes.io/service-account.name'])).toBe('builder');
  });

  it('treats blank strings as absent and numbers as their decimal text', () => {
    expect(text({ a: '  ' }, 'a')).toBeUndefined();
    expect(text({ id: 957387 }, 'id')).toBe('957387');
    expect(text({ id: null }, 'id')).toBeUndefined();
  });
});

describe('ids', () => {
  it('hashes content independently of key order and of vendor p_* fields', () => {
    const a = { action: 'org.remove_member', actor: 'cat', user: 'bob', p_parse_time: '2024-01-01' };
    const b = { user: 'bob', actor: 'cat', action: 'org.remove_member', p_parse_time: '2025-06-30', p_row_id: 'x' };
    expect(contentId(a)).toBe(contentId(b));
    expect(contentId(a)).toMatch(/^sha256:[0-9a-f]{32}$/);
    expect(contentId({ ...a, user: 'alice' })).not.toBe(contentId(a));
    expect(contentId(a, ['member'])).not.toBe(contentId(a, ['organization']));
  });

  it('refuses records nested deeper than a log line can be', () => {
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < 200; i++) deep = { d: deep };
    expect(rejectionOf(() => contentId(deep)).message).toBe('the record is nested deeper than 64 levels');
  });

  it('lower-cases people and slugs display names', () => {
    expect(personId(' Alice@Example.COM ')).toBe('person:alice@example.com');
    expect(slug('Microsoft Teams for GitHub')).toBe('microsoft-teams-for-github');
  });
});

describe('canonicalEvents', () => {
  const envelope = { id: 'evt-1', source: 'aws.cloudtrail/123456789012', time: '2024-01-01T00:00:00.000Z' };

  it('keeps the native id for a single event and drops undefined data fields', () => {
    expect(
      canonicalEvents(envelope, [draft('iam.nhi.deleted', 'nhi:x', { nhiId: 'nhi:x', reason: undefined })]),
    ).toEqual([
      {
        specversion: '1.0',
        id: 'evt-1',
        source: envelope.source,
        type: 'iam.nhi.deleted',
        time: envelope.time,
        subject: 'nhi:x',
        data: { nhiId: 'nhi:x' },
      },
    ]);
  });

  it('suffixes ids #1, #2… when a record yields several events', () => {
    const events = canonicalEvents(envelope, [
      draft('iam.nhi.deleted', 'nhi:a', { nhiId: 'nhi:a' }),
      draft('iam.nhi.deleted', 'nhi:b', { nhiId: 'nhi:b' }),
    ]);
    expect(events.map((event) => event['id'])).toEqual(['evt-1#1', 'evt-1#2']);
  });
});

describe('kind mapping', () => {
  it.each([
    ['production', 'prod'],
    ['prod-eu-west', 'prod'],
    ['my-app-staging', 'staging'],
    ['pre-prod', 'staging'],
    ['non-prod', 'dev'],
    ['test-project-123456', 'dev'],
    ['github-pages', undefined],
    [undefined, undefined],
  ])('environmentOf(%p) is %p', (name, expected) => {
    expect(environmentOf(name)).toBe(expected);
  });

  it.each([
    ['roles/owner', 'admin'],
    ['roles/resourcemanager.organizationAdmin', 'admin'],
    ['roles/iam.serviceAccountTokenCreator', 'admin'],
    ['*', 'admin'],
    ['escalate', 'admin'],
    ['roles/editor', 'write'],
    ['Contributor', 'write'],
    ['create', 'write'],
    ['roles/viewer', 'read'],
    ['get', 'read'],
    ['Reader', 'read'],
  ])('levelOfWord(%p) is %p', (word, level) => {
    expect(levelOfWord(word)).toBe(level);
  });
});
