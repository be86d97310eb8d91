import { eventsOf, fixtureLine, rejectionOf } from '../../../../tests/fixtures/native/native-fixtures';
import { contentId } from './native-helpers';
import { detectNativeFormat } from './index';

const FILE = 'panther/Azure.Audit.ndjson';
const line = (n: number): Record<string, unknown> => fixtureLine(FILE, n);
const decode = (record: unknown): Record<string, unknown>[] => eventsOf(record, 'azure.entra');
const typesAndData = (events: Record<string, unknown>[]): unknown[] =>
  events.map((event) => [event['type'], event['data']]);

/** A real record's first target with other modified properties (Entra's own `KeyDescription` layout). */
function withKeyDescription(
  n: number,
  operationName: string,
  side: 'newValue' | 'oldValue',
  value: string,
): Record<string, unknown> {
  const record = line(n);
  const properties = record['properties'] as Record<string, unknown>;
  const [target] = properties['targetResources'] as Record<string, unknown>[];
  const modifiedProperties = [{ displayName: 'KeyDescription', oldValue: null, newValue: null, [side]: value }];
  return {
    ...record,
    operationName,
    properties: { ...properties, operationName, targetResources: [{ ...target, modifiedProperties }] },
  };
}

describe('Entra audit decoder', () => {
  it('detects Azure Monitor exports of Entra audit logs and Office 365 AzureActiveDirectory records', () => {
    expect(detectNativeFormat(line(43))).toBe('azure.entra');
    expect(detectNativeFormat(fixtureLine('panther/Microsoft365.Audit.AzureActiveDirectory.ndjson', 1))).toBe(
      'azure.entra',
    );
    expect(eventsOf(fixtureLine('panther/Microsoft365.Audit.AzureActiveDirectory.ndjson', 3), 'azure.entra')).toEqual(
      [],
    );
  });

  it('maps "Add service principal" to a workload identity created by the admin', () => {
    expect(decode(line(44))).toEqual([
      {
        specversion: '1.0',
        id: contentId(line(44)),
        source: 'azure.entra/tenant-ghi',
        type: 'iam.nhi.created',
        time: '2025-01-15T15:05:25.678Z',
        subject: 'nhi:azure:sp-new-789',
        data: {
          nhiId: 'nhi:azure:sp-new-789',
          kind: 'workload_identity',
          name: 'New Automation Service',
          platform: 'azure',
          createdBy: 'person:cloudadmin@company.com',
        },
      },
    ]);
  });

  it('maps "Add service principal credentials" to a client secret; without a KeyIdentifier the record names it', () => {
    const id = contentId(line(43));
    expect(typesAndData(decode(line(43)))).toEqual([
      [
        'iam.credential.created',
        {
          credentialId: `cred:azure:sp-app-456/${id}`,
          nhiId: 'nhi:azure:sp-app-456',
          kind: 'client_secret',
          createdBy: 'person:frodo@lotr.com',
        },
      ],
    ]);
  });

  it("reads the key id and type from Entra's KeyDescription, and removes the key it names", () => {
    const description =
      '["[KeyIdentifier=0f5e8b1a-1111-4222-8333-944455556666,KeyType=AsymmetricX509Cert,KeyUsage=Verify,DisplayName=CN=deploy]"]';
    expect(
      typesAndData(decode(withKeyDescription(43, 'Add service principal credentials', 'newValue', description))),
    ).toEqual([
      [
        'iam.credential.created',
        {
          credentialId: 'cred:azure:sp-app-456/0f5e8b1a-1111-4222-8333-944455556666',
          nhiId: 'nhi:azure:sp-app-456',
          kind: 'certificate',
          createdBy: 'person:frodo@lotr.com',
        },
      ],
    ]);
    expect(
      typesAndData(decode(withKeyDescription(43, 'Remove service principal credentials', 'oldValue', description))),
    ).toEqual([
      ['iam.credential.deleted', { credentialId: 'cred:azure:sp-app-456/0f5e8b1a-1111-4222-8333-944455556666' }],
    ]);
  });

  it('rejects a credential removal that does not say which key, naming the property', () => {
    expect(
      rejectionOf(
        withKeyDescription(43, 'Remove service principal credentials', 'oldValue', '"Client Secret"'),
        'azure.entra',
      ),
    ).toEqual({
      reason: 'properties.targetResources[0].modifiedProperties.KeyDescription: names no KeyIdentifier',
      field: 'properties.targetResources[0].modifiedProperties.KeyDescription',
    });
  });

  it('maps a completed directory-role assignment, not a PIM request', () => {
    expect(typesAndData(decode(line(38)))).toEqual([
      ['iam.role.granted', { principalId: 'person:azure:12345', roleId: 'role:azure:12345/directoryRoles/12345' }],
    ]);
    expect(decode(line(39))).toEqual([]);
  });

  it('maps "Delete role assignment" to an Azure RBAC role on its scope being revoked', () => {
    expect(typesAndData(decode(line(8)))).toEqual([
      [
        'iam.role.revoked',
        { principalId: 'person:former@company.com', roleId: 'role:azure:subscriptions/sub-def/Reader' },
      ],
    ]);
  });

  it('ignores failed operations and operations it does not map', () => {
    expect(line(21)['operationName']).toBe('Invite external user');
    expect(decode(line(21))).toEqual([]);
    const failed = { ...line(44), properties: { ...(line(44)['properties'] as object), result: 'failure' } };
    expect(decode(failed)).toEqual([]);
  });
});
