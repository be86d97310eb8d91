import { transformEvent } from '../transform/event-transformer';
import { fixtureEvent, stampOf } from '../testing/canonical-fixtures';

describe('workload event transforms', () => {
  it('workload.deployed: the workload, its one identity and its one owner', () => {
    const event = fixtureEvent('deployed-full');
    const at = stampOf(event);
    const api = 'workload:k8s:prod/payments/payments-api';
    const sa = 'nhi:gcp:payments-runtime@acme-prod.iam.gserviceaccount.com';
    const accepted = transformEvent(event);
    expect(accepted.facts).toStrictEqual([
      {
        op: 'node',
        id: api,
        kind: 'Workload',
        defines: true,
        name: 'payments-api',
        attributes: { workloadKind: 'service', environment: 'prod' },
        ...at,
      },
      { op: 'node', id: sa, kind: 'NHI', defines: false, ...at },
      { op: 'unrelate-others', type: 'RUNS_AS', anchor: 'from', anchorId: api, keep: [sa], ...at },
      { op: 'relate', type: 'RUNS_AS', from: api, to: sa, confidence: 'declared', ...at },
      { op: 'node', id: 'person:e1001', kind: 'Person', defines: false, ...at },
      { op: 'unrelate-others', type: 'OWNS', anchor: 'to', anchorId: api, keep: ['person:e1001'], ...at },
      { op: 'relate', type: 'OWNS', from: 'person:e1001', to: api, confidence: 'declared', ...at },
    ]);
    expect(accepted).toMatchObject({
      subject: api,
      summary: `${api} deployed (prod, runs as ${sa}, owner person:e1001)`,
      entityIds: [api, sa, 'person:e1001'],
    });
  });

  it('without identity or owner, leaves both alone', () => {
    const event = fixtureEvent('deployed-minimal');
    expect(transformEvent(event).facts).toStrictEqual([
      {
        op: 'node',
        id: 'workload:k8s:staging/payments/payments-api',
        kind: 'Workload',
        defines: true,
        attributes: { workloadKind: 'service' },
        ...stampOf(event),
      },
    ]);
  });
});
