import { eventsOf, fixtureLine, rejectionOf } from '../../../../tests/fixtures/native/native-fixtures';
import { decodeNative, detectNativeFormat } from './index';

const typesAndData = (events: Record<string, unknown>[]): unknown[] =>
  events.map((event) => [event['type'], event['data']]);

describe('GitLab audit event decoder', () => {
  /** GitLab's documented audit event shape (the API example of a revoked project access token). */
  const revoked = {
    id: 498183325,
    author_id: 6193108,
    entity_id: 21575273,
    entity_type: 'Project',
    entity_path: 'sciops/test',
    event_type: 'project_access_token_deleted',
    target_details: 'austins_test_token (read api only)',
    details: {
      custom_message: 'Revoked project access token with token_id: 3642271',
      author_email: 'austin@example.com',
    },
    created_at: '2021-06-11T14:11:09.656Z',
  };

  it('detects audit events and maps a revoked project access token to its credential and NHI ending', () => {
    expect(detectNativeFormat(revoked)).toBe('gitlab.audit');
    expect(
      eventsOf(revoked, 'gitlab.audit').map((event) => [event['id'], event['source'], event['type'], event['data']]),
    ).toEqual([
      [
        '498183325#1',
        'gitlab.audit/sciops',
        'iam.credential.deleted',
        { credentialId: 'cred:gitlab:access-token/3642271' },
      ],
      ['498183325#2', 'gitlab.audit/sciops', 'iam.nhi.deleted', { nhiId: 'nhi:gitlab:access-token/3642271' }],
    ]);
  });

  it('maps a created access token to the ids the webhook decoder gives it, created by the author', () => {
    const created = {
      ...revoked,
      event_type: 'project_access_token_created',
      details: { custom_message: 'Created project access token with token_id: 25', author_email: 'austin@example.com' },
    };
    expect(typesAndData(eventsOf(created, 'gitlab.audit'))).toEqual([
      [
        'iam.nhi.created',
        {
          nhiId: 'nhi:gitlab:access-token/25',
          kind: 'api_token',
          name: 'austins_test_token (read api only)',
          platform: 'gitlab',
          createdBy: 'person:austin@example.com',
        },
      ],
      [
        'iam.credential.created',
        {
          credentialId: 'cred:gitlab:access-token/25',
          nhiId: 'nhi:gitlab:access-token/25',
          kind: 'api_token',
          createdBy: 'person:austin@example.com',
        },
      ],
    ]);
  });

  it('does not recognise the trimmed vendor samples on their own, and rejects them as GitLab audit events', () => {
    const sample = fixtureLine('panther/GitLab.Audit.ndjson', 1);
    expect(decodeNative(sample)).toBeNull();
    expect(rejectionOf(sample, 'gitlab.audit')).toEqual({ reason: 'event_type: is required', field: 'event_type' });
  });
});
