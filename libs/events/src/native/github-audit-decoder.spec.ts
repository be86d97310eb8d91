import { eventsOf, fixtureLine, rejectionOf } from '../../../../tests/fixtures/native/native-fixtures';
import { contentId } from './native-helpers';
import { detectNativeFormat } from './index';

const FILE = 'panther/GitHub.Audit.ndjson';
const line = (n: number): Record<string, unknown> => fixtureLine(FILE, n);
const decode = (record: unknown): Record<string, unknown>[] => eventsOf(record, 'github.audit');
const typesAndData = (events: Record<string, unknown>[]): unknown[] =>
  events.map((event) => [event['type'], event['data']]);

describe('GitHub audit log decoder', () => {
  it('detects audit entries by their dotted action', () => {
    expect(detectNativeFormat(line(31))).toBe('github.audit');
    expect(detectNativeFormat(line(2))).toBe('github.audit');
  });

  it('maps org.remove_member to the person leaving; an entry without _document_id is named by its content', () => {
    expect(decode(line(31))).toEqual([
      {
        specversion: '1.0',
        id: contentId(line(31)),
        source: 'github.audit/my-org',
        type: 'hr.person.left',
        time: '2021-05-18T02:31:58.553Z',
        subject: 'person:bob',
        data: { personId: 'person:bob', reason: 'removed from GitHub organization my-org' },
      },
    ]);
  });

  it('does not map removal from a repository', () => {
    expect(decode(line(40))).toEqual([]);
  });

  it('maps integration_installation.create to the app NHI in the organization, as the webhook decoder names it', () => {
    expect(decode(line(33)).map((event) => [event['id'], event['time'], event['type'], event['data']])).toEqual([
      [
        'A-1234',
        '2022-12-02T17:40:08.671Z',
        'iam.nhi.created',
        {
          nhiId: 'nhi:github:example-io/app/datadog-ci',
          kind: 'github_app',
          name: 'Datadog CI',
          platform: 'github',
          createdBy: 'person:leetboy',
        },
      ],
    ]);
  });

  it('maps a completed workflow run to its pipeline running, and ignores a created one', () => {
    expect(typesAndData(decode(line(2)))).toEqual([
      [
        'ci.pipeline.ran',
        {
          pipelineId: 'workload:github:your-org/panther-analysis-copy/workflow/sync-panther-analysis-from-upstream',
          repo: 'your-org/panther-analysis-copy',
          triggeredBy: 'person:github_handle',
        },
      ],
    ]);
    expect(decode(line(89))).toEqual([]);
  });

  it('maps fine-grained personal access tokens approved for and revoked from the organization', () => {
    const granted = {
      ...line(31),
      action: 'personal_access_token.access_granted',
      user: 'bob',
      token_id: 4242,
      token_expires_at: '2025-01-31T00:00:00Z',
    };
    expect(typesAndData(decode(granted))).toEqual([
      [
        'iam.nhi.created',
        { nhiId: 'nhi:github:pat/4242', kind: 'api_token', platform: 'github', createdBy: 'person:bob' },
      ],
      [
        'iam.credential.created',
        {
          credentialId: 'cred:github:pat/4242',
          nhiId: 'nhi:github:pat/4242',
          kind: 'pat',
          createdBy: 'person:bob',
          expiresAt: '2025-01-31T00:00:00.000Z',
        },
      ],
    ]);
    expect(typesAndData(decode({ ...granted, action: 'personal_access_token.access_revoked' }))).toEqual([
      ['iam.credential.deleted', { credentialId: 'cred:github:pat/4242' }],
      ['iam.nhi.deleted', { nhiId: 'nhi:github:pat/4242' }],
    ]);
  });

  it('rejects a mapped entry without what it needs, naming the field', () => {
    const { user: _user, ...withoutUser } = line(31);
    expect(rejectionOf(withoutUser, 'github.audit')).toEqual({ reason: 'user: is required', field: 'user' });
    expect(rejectionOf({ ...line(2), at_sign_timestamp: undefined, created_at: undefined }, 'github.audit')).toEqual({
      reason: 'created_at: is required',
      field: 'created_at',
    });
  });
});
