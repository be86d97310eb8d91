import { transformEvent } from '../transform/event-transformer';
import { fixtureEvent, stampOf } from '../testing/canonical-fixtures';

const PIPELINE = 'workload:github:acme/payments/deploy';
const KEY1 = 'cred:aws:AKIAIOSFODNN7EXAMPLE';
const API = 'workload:k8s:prod/payments/payments-api';

describe('CI event transforms', () => {
  it('ci.pipeline.ran: the pipeline, who triggered it, the secrets it used, the roles it assumed, what it deployed', () => {
    const event = fixtureEvent('pipeline-ran-full');
    const at = stampOf(event);
    const accepted = transformEvent(event);
    expect(accepted.facts).toStrictEqual([
      {
        op: 'node',
        id: PIPELINE,
        kind: 'Workload',
        defines: true,
        name: PIPELINE,
        attributes: { workloadKind: 'pipeline', repo: 'acme/payments', lastTriggeredBy: 'person:e1001' },
        ...at,
      },
      { op: 'node', id: 'person:e1001', kind: 'Person', defines: false, ...at },
      { op: 'node', id: KEY1, kind: 'Credential', defines: false, ...at },
      { op: 'relate', type: 'USES', from: PIPELINE, to: KEY1, confidence: 'observed', ...at },
      { op: 'node', id: 'cred:github:pat/12345', kind: 'Credential', defines: false, ...at },
      { op: 'relate', type: 'USES', from: PIPELINE, to: 'cred:github:pat/12345', confidence: 'observed', ...at },
      { op: 'node', id: 'role:aws:deployer', kind: 'Role', defines: false, ...at },
      { op: 'relate', type: 'CAN_ASSUME', from: PIPELINE, to: 'role:aws:deployer', confidence: 'observed', ...at },
      { op: 'node', id: API, kind: 'Workload', defines: false, ...at },
      { op: 'relate', type: 'DEPLOYS', from: PIPELINE, to: API, confidence: 'observed', ...at },
    ]);
    expect(accepted).toMatchObject({
      subject: PIPELINE,
      summary: `${PIPELINE} ran for acme/payments by person:e1001 (2 secrets, 1 role, deployed to ${API})`,
      entityIds: [PIPELINE, 'person:e1001', KEY1, 'cred:github:pat/12345', 'role:aws:deployer', API],
    });
  });

  it('takes single ids or lists, once each, and a bot trigger is an NHI', () => {
    const event = fixtureEvent('pipeline-ran-bot');
    const at = stampOf(event);
    const worker = 'workload:k8s:prod/payments/payments-worker';
    expect(transformEvent(event).facts).toStrictEqual([
      {
        op: 'node',
        id: PIPELINE,
        kind: 'Workload',
        defines: true,
        name: PIPELINE,
        attributes: { workloadKind: 'pipeline', lastTriggeredBy: 'nhi:github:app/renovate' },
        ...at,
      },
      { op: 'node', id: 'nhi:github:app/renovate', kind: 'NHI', defines: false, ...at },
      { op: 'node', id: KEY1, kind: 'Credential', defines: false, ...at },
      { op: 'relate', type: 'USES', from: PIPELINE, to: KEY1, confidence: 'observed', ...at },
      { op: 'node', id: API, kind: 'Workload', defines: false, ...at },
      { op: 'relate', type: 'DEPLOYS', from: PIPELINE, to: API, confidence: 'observed', ...at },
      { op: 'node', id: worker, kind: 'Workload', defines: false, ...at },
      { op: 'relate', type: 'DEPLOYS', from: PIPELINE, to: worker, confidence: 'observed', ...at },
    ]);
  });

  it('a bare run defines only the pipeline', () => {
    const event = fixtureEvent('pipeline-ran-minimal');
    const accepted = transformEvent(event);
    expect(accepted.facts).toStrictEqual([
      {
        op: 'node',
        id: 'workload:gitlab:acme/infra/plan',
        kind: 'Workload',
        defines: true,
        name: 'workload:gitlab:acme/infra/plan',
        attributes: { workloadKind: 'pipeline' },
        ...stampOf(event),
      },
    ]);
    expect(accepted.summary).toBe('workload:gitlab:acme/infra/plan ran');
  });

  it.each([
    [
      'secret-stored-vault',
      KEY1,
      'store:aws:secretsmanager:ci/deployer',
      'secrets_manager',
      true,
      `${KEY1} stored in store:aws:secretsmanager:ci/deployer (secrets_manager)`,
    ],
    [
      'secret-stored-repo-file',
      'cred:github:pat/12345',
      'store:github:acme/payments/.env.ci',
      'repo_file',
      false,
      'cred:github:pat/12345 stored in store:github:acme/payments/.env.ci (repo_file, not a vault)',
    ],
  ] as const)(
    'ci.secret.stored %s: the store, whether it is a vault, and the credential in it',
    (id, credential, store, kind, vault, summary) => {
      const event = fixtureEvent(id);
      const at = stampOf(event);
      const accepted = transformEvent(event);
      expect(accepted.facts).toStrictEqual([
        { op: 'node', id: store, kind: 'SecretStore', defines: true, attributes: { storeKind: kind, vault }, ...at },
        { op: 'node', id: credential, kind: 'Credential', defines: false, ...at },
        { op: 'relate', type: 'STORED_IN', from: credential, to: store, confidence: 'declared', ...at },
      ]);
      expect(accepted).toMatchObject({ subject: credential, summary, entityIds: [store, credential] });
    },
  );
});
