import { eventsOf, fixtureLine, rejectionOf } from '../../../../tests/fixtures/native/native-fixtures';
import { detectNativeFormat } from './index';

const FILE = 'panther/GCP.AuditLog.ndjson';
const line = (n: number): Record<string, unknown> => fixtureLine(FILE, n);
const decode = (record: unknown): Record<string, unknown>[] => eventsOf(record, 'gcp.auditlog');
const typesAndData = (events: Record<string, unknown>[]): unknown[] =>
  events.map((event) => [event['type'], event['data']]);

/** A real entry with its protoPayload changed to another IAM method (the samples hold no such call). */
function asMethod(n: number, payload: Record<string, unknown>): Record<string, unknown> {
  const record = line(n);
  return {
    ...record,
    protoPayload: { ...(record['protoPayload'] as object), request: undefined, response: undefined, ...payload },
  };
}

describe('GCP audit log decoder', () => {
  it('detects audit log entries, also when a vendor renamed @type', () => {
    expect(detectNativeFormat(line(110))).toBe('gcp.auditlog');
    expect(detectNativeFormat(line(105))).toBe('gcp.auditlog');
  });

  it('maps CreateServiceAccount to a service account created by a person', () => {
    expect(decode(line(110))).toEqual([
      {
        specversion: '1.0',
        id: '1iyadj0d5bcq',
        source: 'gcp.auditlog/gcp-project1',
        type: 'iam.nhi.created',
        time: '2023-03-09T15:49:21.715Z',
        subject: 'nhi:gcp:created-service-account@gcp-project1.iam.gserviceaccount.com',
        data: {
          nhiId: 'nhi:gcp:created-service-account@gcp-project1.iam.gserviceaccount.com',
          kind: 'service_account',
          name: 'created-service-account',
          platform: 'gcp',
          createdBy: 'person:staging@company.io',
          purpose: 'sa created',
        },
      },
    ]);
  });

  it('ignores a CreateServiceAccount that was denied (status code 7)', () => {
    expect(decode(line(107))).toEqual([]);
  });

  it('maps CreateServiceAccountKey to an sa_key of the account its name holds; the year-9999 expiry means none', () => {
    expect(typesAndData(decode(line(109)))).toEqual([
      [
        'iam.credential.created',
        {
          credentialId: 'cred:gcp:69049163b190437ab9279b28e8afa24bb5c5b076',
          nhiId: 'nhi:gcp:created-service-account@gcp-project1.iam.gserviceaccount.com',
          kind: 'sa_key',
          createdBy: 'person:staging@company.io',
        },
      ],
    ]);
  });

  it('keeps a real key expiry', () => {
    const record = line(109);
    const payload = record['protoPayload'] as Record<string, unknown>;
    const response = { ...(payload['response'] as object), valid_before_time: { seconds: 1710000000 } };
    const [event] = decode({ ...record, protoPayload: { ...payload, response } });
    expect((event?.['data'] as Record<string, unknown>)['expiresAt']).toBe('2024-03-09T16:00:00.000Z');
  });

  it('maps DeleteServiceAccountKey and DeleteServiceAccount to the key and the account ending', () => {
    const keyName =
      'projects/-/serviceAccounts/created-service-account@gcp-project1.iam.gserviceaccount.com/keys/69049163b190437ab9279b28e8afa24bb5c5b076';
    expect(
      typesAndData(
        decode(
          asMethod(109, { methodName: 'google.iam.admin.v1.DeleteServiceAccountKey', request: { name: keyName } }),
        ),
      ),
    ).toEqual([['iam.credential.deleted', { credentialId: 'cred:gcp:69049163b190437ab9279b28e8afa24bb5c5b076' }]]);
    // The request names the account by its numeric id; the entry's resource label names its e-mail.
    expect(
      typesAndData(
        decode(
          asMethod(109, {
            methodName: 'google.iam.admin.v1.DeleteServiceAccount',
            request: { name: 'projects/-/serviceAccounts/123456789098765434567' },
          }),
        ),
      ),
    ).toEqual([['iam.nhi.deleted', { nhiId: 'nhi:gcp:created-service-account@gcp-project1.iam.gserviceaccount.com' }]]);
  });

  it('maps a binding delta ADD to a role scoped to the resource, defined once and granted', () => {
    expect(decode(line(60)).map((event) => [event['id'], event['type'], event['data']])).toEqual([
      [
        'mrbji0dal80#1',
        'iam.role.defined',
        {
          roleId: 'role:gcp:projects/western-verve-123456/roles/viewer',
          name: 'roles/viewer',
          grants: [
            { resourceId: 'resource:gcp:projects/western-verve-123456', actions: ['roles/viewer'], level: 'read' },
          ],
        },
      ],
      [
        'mrbji0dal80#2',
        'iam.role.granted',
        { principalId: 'person:username@gmail.com', roleId: 'role:gcp:projects/western-verve-123456/roles/viewer' },
      ],
    ]);
  });

  it('maps a binding delta REMOVE to a revocation, in an organization-level log', () => {
    const events = decode(line(65));
    expect(events.map((event) => [event['source'], event['type'], event['data']])).toEqual([
      [
        'gcp.auditlog/organizations/888888888888',
        'iam.role.revoked',
        {
          principalId: 'nhi:gcp:diana@platform.iam.gserviceaccount.com',
          roleId: 'role:gcp:organizations/888888888888/roles/owner',
        },
      ],
    ]);
  });

  it('grants impersonation roles on a service account at admin level', () => {
    const grants = decode(line(103)).filter((event) => event['type'] === 'iam.role.defined');
    expect(grants.map((event) => (event['data'] as { grants: { level: string }[] }).grants[0]?.level)).toEqual([
      'admin',
      'admin',
    ]);
  });

  it("without deltas, takes the new policy's bindings as grants", () => {
    expect(typesAndData(decode(line(8)))).toEqual([
      [
        'iam.role.defined',
        {
          roleId: 'role:gcp:projects/some-project/locations/us-west1/services/cloudrun-exfil/roles/run.invoker',
          name: 'roles/run.invoker',
          grants: [
            {
              resourceId: 'resource:gcp:projects/some-project/locations/us-west1/services/cloudrun-exfil',
              actions: ['roles/run.invoker'],
              level: 'write',
            },
          ],
        },
      ],
      [
        'iam.role.granted',
        {
          principalId: 'person:some.user@company.com',
          roleId: 'role:gcp:projects/some-project/locations/us-west1/services/cloudrun-exfil/roles/run.invoker',
        },
      ],
    ]);
  });

  it('ignores denied policy changes and members that are not identities (allUsers)', () => {
    expect(decode(line(9))).toEqual([]);
    expect(decode(line(51))).toEqual([]);
  });

  it('maps SignJwt to a use of the service account, by itself', () => {
    expect(typesAndData(decode(line(70)))).toEqual([
      [
        'audit.credential.used',
        {
          nhiId: 'nhi:gcp:some-project@company.iam.gserviceaccount.com',
          actorId: 'nhi:gcp:some-project@company.iam.gserviceaccount.com',
          action: 'SignJwt',
          sourceIp: '1.2.3.4',
          interactive: false,
        },
      ],
    ]);
  });

  it('marks a person minting a token for a service account as interactive use', () => {
    const record = line(72);
    const payload = record['protoPayload'] as Record<string, unknown>;
    const impersonated = {
      ...record,
      protoPayload: { ...payload, authenticationInfo: { principalEmail: 'Dana@Example.com' } },
    };
    expect(typesAndData(decode(impersonated))).toEqual([
      [
        'audit.credential.used',
        {
          nhiId: 'nhi:gcp:sample@email.com',
          actorId: 'person:dana@example.com',
          action: 'GenerateAccessToken',
          sourceIp: 'gce-internal-ip',
          interactive: true,
        },
      ],
    ]);
  });

  it('rejects a mapped entry without insertId, and one without a method', () => {
    expect(rejectionOf(line(194), 'gcp.auditlog')).toEqual({ reason: 'insertId: is required', field: 'insertId' });
    expect(rejectionOf(line(5), 'gcp.auditlog')).toEqual({
      reason: 'protoPayload.methodName: is required',
      field: 'protoPayload.methodName',
    });
  });
});
