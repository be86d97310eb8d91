import { eventsOf, fixtureLine, rejectionOf } from '../../../../tests/fixtures/native/native-fixtures';
import { decodeNative, detectNativeFormat } from './index';

const FILE = 'falco_k8s_audit/k8s_audit.ndjson';
const EKS = 'panther/Amazon.EKS.Audit.ndjson';
const line = (n: number): Record<string, unknown> => fixtureLine(FILE, n);
const decode = (record: unknown): Record<string, unknown>[] => eventsOf(record, 'k8s.audit');
const typesAndData = (events: Record<string, unknown>[]): unknown[] =>
  events.map((event) => [event['type'], event['data']]);

describe('Kubernetes audit decoder', () => {
  it('detects audit events', () => {
    expect(detectNativeFormat(line(36))).toBe('k8s.audit');
    expect(detectNativeFormat(fixtureLine(EKS, 17))).toBe('k8s.audit');
  });

  it('rejects the junk line {"kind":0} cleanly: not detected, and rejected when named k8s.audit', () => {
    expect(line(49)).toEqual({ kind: 0 });
    expect(detectNativeFormat(line(49))).toBeNull();
    expect(decodeNative(line(49))).toBeNull();
    expect(rejectionOf(line(49), 'k8s.audit')).toEqual({
      reason: 'kind: must be "Event" (a Kubernetes audit event)',
      field: 'kind',
    });
  });

  it('maps a created service account to an NHI created by the person who created it', () => {
    expect(decode(line(36))).toEqual([
      {
        specversion: '1.0',
        id: 'db4a8c97-3bd2-4ee7-a0d9-b6e367a458e3',
        source: 'k8s.audit',
        type: 'iam.nhi.created',
        time: '2018-10-26T13:19:22.126Z',
        subject: 'nhi:k8s:default/myacct',
        data: {
          nhiId: 'nhi:k8s:default/myacct',
          kind: 'service_account',
          name: 'myacct',
          platform: 'k8s',
          createdBy: 'person:minikube-user',
        },
      },
    ]);
  });

  it('maps a deleted service account to the NHI ending', () => {
    expect(typesAndData(decode(line(47)))).toEqual([['iam.nhi.deleted', { nhiId: 'nhi:k8s:default/myacct' }]]);
  });

  it('maps a service account token secret (Metadata level, made by the token controller) to a credential kept in a k8s secret', () => {
    expect(decode(line(35)).map((event) => [event['id'], event['type'], event['data']])).toEqual([
      [
        '40ed7b5a-e92f-49ec-a359-86d36077d9c8#1',
        'iam.credential.created',
        {
          credentialId: 'cred:k8s:test2/secret/default-token-7v4pb',
          nhiId: 'nhi:k8s:test2/default',
          kind: 'api_token',
        },
      ],
      [
        '40ed7b5a-e92f-49ec-a359-86d36077d9c8#2',
        'ci.secret.stored',
        {
          credentialId: 'cred:k8s:test2/secret/default-token-7v4pb',
          location: { kind: 'k8s_secret', id: 'store:k8s:test2/default-token-7v4pb' },
        },
      ],
    ]);
  });

  it('reads the account from the secret type and annotation in Request-level logs', () => {
    const record = {
      ...line(33),
      level: 'Request',
      requestObject: {
        kind: 'Secret',
        type: 'kubernetes.io/service-account-token',
        metadata: { name: 'ci-deployer-token', annotations: { 'kubernetes.io/service-account.name': 'ci-deployer' } },
      },
      objectRef: { resource: 'secrets', namespace: 'default', name: 'ci-deployer-token', apiVersion: 'v1' },
    };
    expect(typesAndData(decode(record))[0]).toEqual([
      'iam.credential.created',
      {
        credentialId: 'cred:k8s:default/secret/ci-deployer-token',
        nhiId: 'nhi:k8s:default/ci-deployer',
        kind: 'api_token',
        createdBy: 'person:minikube-user',
      },
    ]);
  });

  it('ignores secrets that hold no service account token', () => {
    expect(decode(line(19))).toEqual([]); // a bootstrap token
    expect(decode(line(33))).toEqual([]);
  });

  it('maps a ClusterRoleBinding to each user or service account subject holding the role', () => {
    expect(typesAndData(decode(line(2)))).toEqual([
      ['iam.role.granted', { principalId: 'person:minikube', roleId: 'role:k8s:clusterrole/cluster-admin' }],
    ]);
    const record = line(2);
    const requestObject = record['requestObject'] as Record<string, unknown>;
    const subjects = [
      { kind: 'ServiceAccount', name: 'builder', namespace: 'ci' },
      { kind: 'Group', name: 'system:masters' },
      { kind: 'User', name: 'system:kube-scheduler' },
    ];
    expect(typesAndData(decode({ ...record, requestObject: { ...requestObject, subjects } }))).toEqual([
      ['iam.role.granted', { principalId: 'nhi:k8s:ci/builder', roleId: 'role:k8s:clusterrole/cluster-admin' }],
    ]);
  });

  it('does not map a binding deletion, which names neither role nor subjects', () => {
    expect(decode(line(41))).toEqual([]);
  });

  it('maps a ClusterRole to grants on the resources its rules name, at the strongest level of the verbs', () => {
    expect(typesAndData(decode(line(6)))).toEqual([
      [
        'iam.role.defined',
        {
          roleId: 'role:k8s:clusterrole/some-reader',
          name: 'some-reader',
          grants: [{ resourceId: 'resource:k8s:cluster/core/pods', actions: ['*'], level: 'admin' }],
        },
      ],
    ]);
    expect(typesAndData(decode(line(8)))).toEqual([
      [
        'iam.role.defined',
        {
          roleId: 'role:k8s:clusterrole/some-reader',
          name: 'some-reader',
          grants: [{ resourceId: 'resource:k8s:cluster/core/pods', actions: ['get', 'list'], level: 'read' }],
        },
      ],
    ]);
  });

  it('maps a Deployment to a workload that runs as its service account (default when unnamed)', () => {
    expect(typesAndData(decode(line(18)))).toEqual([
      [
        'workload.deployed',
        {
          workloadId: 'workload:k8s:default/deployments/nginx-deployment',
          name: 'nginx-deployment',
          runsAs: 'nhi:k8s:default/default',
        },
      ],
    ]);
  });

  it('maps a TokenRequest to a use of the service account; by a person it is interactive', () => {
    const kubelet = fixtureLine(EKS, 17);
    expect(typesAndData(decode(kubelet))).toEqual([
      [
        'audit.credential.used',
        {
          nhiId: 'nhi:k8s:kube-system/kube-proxy',
          action: 'serviceaccounts/token create',
          sourceIp: '54.212.83.236',
          interactive: false,
        },
      ],
    ]);
    const person = { ...kubelet, user: { username: 'dana@example.com', groups: ['system:authenticated'] } };
    expect(typesAndData(decode(person))).toEqual([
      [
        'audit.credential.used',
        {
          nhiId: 'nhi:k8s:kube-system/kube-proxy',
          actorId: 'person:dana@example.com',
          action: 'serviceaccounts/token create',
          sourceIp: '54.212.83.236',
          interactive: true,
        },
      ],
    ]);
  });

  it('ignores requests that failed or are still running, and reads', () => {
    expect(decode({ ...line(36), responseStatus: { code: 403 } })).toEqual([]);
    expect(decode({ ...line(36), stage: 'ResponseStarted' })).toEqual([]);
    expect(decode(line(3))).toEqual([]); // a pod
  });

  it('rejects a mapped event without its audit id, and a binding logged without its body', () => {
    expect(rejectionOf(fixtureLine(EKS, 35), 'k8s.audit')).toEqual({
      reason: 'auditID: is required',
      field: 'auditID',
    });
    const { requestObject: _body, ...metadataOnly } = line(2);
    expect(rejectionOf(metadataOnly, 'k8s.audit')).toEqual({
      reason: 'requestObject: is required (log bindings at the Request level)',
      field: 'requestObject',
    });
  });
});
