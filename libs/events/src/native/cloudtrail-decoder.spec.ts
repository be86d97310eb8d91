import { eventsOf, fixtureLine, rejectionOf } from '../../../../tests/fixtures/native/native-fixtures';
import { isMachineUser } from './cloudtrail-decoder';
import { detectNativeFormat } from './index';

const FILE = 'panther/AWS.CloudTrail.ndjson';
const line = (n: number): Record<string, unknown> => fixtureLine(FILE, n);
const decode = (record: unknown): Record<string, unknown>[] => eventsOf(record, 'aws.cloudtrail');

/** A real record turned into another IAM call of the same shape (the samples hold no such call). */
function asCall(n: number, eventName: string, requestParameters: Record<string, unknown>): Record<string, unknown> {
  return { ...line(n), eventName, requestParameters, responseElements: null };
}

describe('CloudTrail decoder', () => {
  it('detects CloudTrail records, also with lower-cased keys and without an event id', () => {
    expect(detectNativeFormat(line(175))).toBe('aws.cloudtrail');
    expect(detectNativeFormat(line(32))).toBe('aws.cloudtrail');
    expect(decode(line(32))).toEqual([]); // GetAccountPasswordPolicy: read-only
  });

  it('maps CreateAccessKey to a credential of the named user, created by the caller, at a YYYY-MM-DD HH:MM:SS time', () => {
    expect(decode(line(176))).toEqual([
      {
        specversion: '1.0',
        id: '12345',
        source: 'aws.cloudtrail/123456789',
        type: 'iam.credential.created',
        time: '2022-09-27T17:09:18.000Z',
        subject: 'cred:aws:ABCDEFG',
        data: {
          credentialId: 'cred:aws:ABCDEFG',
          nhiId: 'nhi:aws:arn:aws:iam::123456789:user/user2',
          kind: 'access_key',
          createdBy: 'nhi:aws:arn:aws:iam::123456789:user/user1',
        },
      },
    ]);
  });

  it('gives a key created without a user name to the caller: here the root user', () => {
    const [event] = decode(line(308));
    expect(event?.['data']).toEqual({
      credentialId: 'cred:aws:1111',
      nhiId: 'nhi:aws:arn:aws:iam::123456789012:root',
      kind: 'access_key',
      createdBy: 'nhi:aws:arn:aws:iam::123456789012:root',
    });
  });

  it('ignores a call that failed', () => {
    expect(line(179)['errorCode']).toBe('LimitExceededException');
    expect(decode(line(179))).toEqual([]);
  });

  it("maps CreateRole to the role as an NHI that holds the role as a permission set, created by the caller session's role", () => {
    const events = decode(line(158));
    expect(events.map((event) => [event['id'], event['type'], event['data']])).toEqual([
      [
        '1#1',
        'iam.nhi.created',
        {
          nhiId: 'nhi:aws:arn:aws:iam::123456789012:role/new-role',
          kind: 'workload_identity',
          name: 'new-role',
          platform: 'aws',
          createdBy: 'nhi:aws:arn:aws:iam::123456789012:role/tester',
        },
      ],
      ['1#2', 'iam.role.defined', { roleId: 'role:aws:arn:aws:iam::123456789012:role/new-role', name: 'new-role' }],
      [
        '1#3',
        'iam.role.granted',
        {
          principalId: 'nhi:aws:arn:aws:iam::123456789012:role/new-role',
          roleId: 'role:aws:arn:aws:iam::123456789012:role/new-role',
        },
      ],
    ]);
  });

  it("adds trust from the AWS principals a new role's trust policy names, not from services", () => {
    const policy = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: ['arn:aws:iam::210987654321:root', 'arn:aws:iam::123456789012:role/ci/deployer'] },
          Action: 'sts:AssumeRole',
        },
        { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
        { Effect: 'Deny', Principal: { AWS: '111111111111' }, Action: 'sts:AssumeRole' },
      ],
    };
    const record = {
      ...line(158),
      requestParameters: { roleName: 'new-role', assumeRolePolicyDocument: JSON.stringify(policy) },
    };
    const trust = decode(record).filter((event) => event['type'] === 'iam.trust.granted');
    expect(trust.map((event) => event['data'])).toEqual([
      {
        principalId: 'nhi:aws:arn:aws:iam::210987654321:root',
        roleId: 'role:aws:arn:aws:iam::123456789012:role/new-role',
      },
      {
        principalId: 'role:aws:arn:aws:iam::123456789012:role/deployer',
        roleId: 'role:aws:arn:aws:iam::123456789012:role/new-role',
      },
    ]);
  });

  it('maps AttachRolePolicy to the role being able to assume the policy (Role → Role)', () => {
    expect(decode(line(149)).map((event) => [event['type'], event['subject'], event['data']])).toEqual([
      [
        'iam.trust.granted',
        'role:aws:arn:aws:iam::123456789012:role/new-role',
        {
          principalId: 'role:aws:arn:aws:iam::123456789012:role/new-role',
          roleId: 'role:aws:arn:aws:iam::aws:policy/AdministratorAccess',
        },
      ],
    ]);
  });

  it('maps AttachUserPolicy to the user holding the policy', () => {
    expect(decode(line(151)).map((event) => [event['type'], event['data']])).toEqual([
      [
        'iam.role.granted',
        {
          principalId: 'nhi:aws:arn:aws:iam::123456789012:user/new-user',
          roleId: 'role:aws:arn:aws:iam::aws:policy/AdministratorAccess',
        },
      ],
    ]);
  });

  it('maps AssumeRole by an IAM user to trust plus a use of the user', () => {
    expect(decode(line(146)).map((event) => [event['id'], event['type'], event['data']])).toEqual([
      [
        '1111#1',
        'iam.trust.granted',
        {
          principalId: 'nhi:aws:arn:aws:iam::123456789012:user/example-user',
          roleId: 'role:aws:arn:aws:iam::123456789012:role/FullAdminRole',
        },
      ],
      [
        '1111#2',
        'audit.credential.used',
        {
          nhiId: 'nhi:aws:arn:aws:iam::123456789012:user/example-user',
          action: 'sts:AssumeRole',
          sourceIp: '111.111.111.111',
        },
      ],
    ]);
  });

  it('names the long-term access key an IAM user assumed a role with', () => {
    const record = {
      ...line(146),
      userIdentity: { ...(line(146)['userIdentity'] as object), accessKeyId: 'AKIAIOSFODNN7EXAMPLE' },
    };
    const used = decode(record).find((event) => event['type'] === 'audit.credential.used');
    expect(used?.['data']).toMatchObject({
      credentialId: 'cred:aws:AKIAIOSFODNN7EXAMPLE',
      nhiId: 'nhi:aws:arn:aws:iam::123456789012:user/example-user',
    });
  });

  it('maps AssumeRole from another account to trust from that account, and never copies the session credentials', () => {
    const events = decode(line(103));
    expect(events.map((event) => event['data'])).toEqual([
      {
        principalId: 'nhi:aws:arn:aws:iam::111122223333:root',
        roleId: 'role:aws:arn:aws:iam::111122223333:role/SampleRole',
      },
    ]);
    expect(JSON.stringify(events)).not.toContain('SampleSessionToken');
  });

  it('ignores console sign-in federation and AWS services assuming their execution roles', () => {
    expect(line(57)['eventSource']).toBe('signin.amazonaws.com');
    expect(decode(line(57))).toEqual([]);
    expect(decode(line(438))).toEqual([]);
  });

  it('rejects a mapped call without its event id, naming the field', () => {
    expect(rejectionOf(line(407), 'aws.cloudtrail')).toEqual({ reason: 'eventID: is required', field: 'eventID' });
    expect(rejectionOf({ eventType: 'logout', p_log_type: 'AWS.CloudTrail' }, 'aws.cloudtrail')).toEqual({
      reason: 'eventName: is required',
      field: 'eventName',
    });
  });

  describe('IAM users', () => {
    it('keeps a user whose name says nothing about a machine out of the graph', () => {
      expect(decode(line(159))).toEqual([]);
    });

    it('maps CreateUser of a machine user, with its owner and environment tags', () => {
      const record = asCall(159, 'CreateUser', {
        userName: 'svc-billing-export',
        tags: [
          { key: 'Owner', value: 'Dana.Lee@example.com' },
          { key: 'Environment', value: 'production' },
        ],
      });
      expect(decode(record)).toEqual([
        expect.objectContaining({
          type: 'iam.nhi.created',
          data: {
            nhiId: 'nhi:aws:arn:aws:iam::123456789012:user/svc-billing-export',
            kind: 'machine_user',
            name: 'svc-billing-export',
            platform: 'aws',
            environment: 'prod',
            createdBy: 'nhi:aws:arn:aws:iam::123456789012:role/tester',
            ownerId: 'person:dana.lee@example.com',
          },
        }),
      ]);
    });

    it.each([
      ['svc-backup', undefined, [], true],
      ['terraform_ci', undefined, [], true],
      ['deployBot', undefined, [], true],
      ['reports', '/service/', [], true],
      ['reports', undefined, [['type', 'service']], true],
      ['new-user', undefined, [], false],
      ['Bob Cat', undefined, [], false],
      ['ci.admin@example.com', undefined, [], false],
      ['jsmith', '/', [['team', 'ci']], false],
    ])('isMachineUser(%p, path %p, tags %p) is %p', (name, path, tags, expected) => {
      expect(isMachineUser(name, path, new Map(tags as [string, string][]))).toBe(expected);
    });

    it('maps DeleteUser to the user NHI ending', () => {
      expect(
        decode(asCall(159, 'DeleteUser', { userName: 'svc-backup' })).map((event) => [event['type'], event['data']]),
      ).toEqual([['iam.nhi.deleted', { nhiId: 'nhi:aws:arn:aws:iam::123456789012:user/svc-backup' }]]);
    });
  });

  describe('access key lifecycle', () => {
    it('maps DeleteAccessKey to the credential being deleted', () => {
      expect(
        decode(asCall(175, 'DeleteAccessKey', { accessKeyId: 'AKIAEXAMPLEKEY000001', userName: 'user1' })).map(
          (event) => [event['type'], event['data']],
        ),
      ).toEqual([['iam.credential.deleted', { credentialId: 'cred:aws:AKIAEXAMPLEKEY000001' }]]);
    });

    it('closes a key made Inactive and opens it again when made Active', () => {
      const inactive = decode(
        asCall(175, 'UpdateAccessKey', { accessKeyId: 'AKIAEXAMPLEKEY000001', status: 'Inactive', userName: 'user1' }),
      );
      const active = decode(
        asCall(175, 'UpdateAccessKey', { accessKeyId: 'AKIAEXAMPLEKEY000001', status: 'Active', userName: 'user1' }),
      );
      expect(inactive.map((event) => [event['type'], event['data']])).toEqual([
        ['iam.credential.deleted', { credentialId: 'cred:aws:AKIAEXAMPLEKEY000001' }],
      ]);
      expect(active.map((event) => [event['type'], event['data']])).toEqual([
        [
          'iam.credential.created',
          {
            credentialId: 'cred:aws:AKIAEXAMPLEKEY000001',
            nhiId: 'nhi:aws:arn:aws:iam::123456789:user/user1',
            kind: 'access_key',
          },
        ],
      ]);
    });

    it('rejects an UpdateAccessKey whose status is neither', () => {
      expect(
        rejectionOf(
          asCall(175, 'UpdateAccessKey', { accessKeyId: 'AKIAEXAMPLEKEY000001', status: 'Paused' }),
          'aws.cloudtrail',
        ),
      ).toEqual({
        reason: 'requestParameters.status: must be Active or Inactive',
        field: 'requestParameters.status',
      });
    });
  });
});
