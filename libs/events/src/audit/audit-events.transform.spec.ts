import { transformEvent } from '../transform/event-transformer';
import { fixtureEvent, stampOf } from '../testing/canonical-fixtures';

const DEPLOYER = 'nhi:aws:arn:aws:iam::123456789012:role/deployer';
const KEY1 = 'cred:aws:AKIAIOSFODNN7EXAMPLE';
const PIPELINE = 'workload:github:acme/payments/deploy';

describe('audit event transforms', () => {
  it('a person using an NHI interactively: last use, the resource it reached, and the human use', () => {
    const event = fixtureEvent('used-by-person');
    const at = stampOf(event);
    const accepted = transformEvent(event);
    expect(accepted.facts).toStrictEqual([
      { op: 'node', id: KEY1, kind: 'Credential', defines: false, attributes: { lastUsedAt: at.time }, ...at },
      { op: 'node', id: DEPLOYER, kind: 'NHI', defines: false, attributes: { lastUsedAt: at.time }, ...at },
      { op: 'node', id: 'resource:aws:s3:acme-artifacts', kind: 'Resource', defines: false, ...at },
      {
        op: 'relate',
        type: 'ACCESSED',
        from: DEPLOYER,
        to: 'resource:aws:s3:acme-artifacts',
        confidence: 'observed',
        attributes: { action: 's3:GetObject' },
        ...at,
      },
      { op: 'node', id: 'person:e1001', kind: 'Person', defines: false, ...at },
      {
        op: 'relate',
        type: 'USED',
        from: 'person:e1001',
        to: DEPLOYER,
        confidence: 'observed',
        attributes: { interactive: true },
        ...at,
      },
    ]);
    expect(accepted).toMatchObject({
      subject: KEY1,
      summary: `${KEY1} of ${DEPLOYER} used: s3:GetObject on resource:aws:s3:acme-artifacts by person:e1001 (interactive)`,
      entityIds: [KEY1, DEPLOYER, 'resource:aws:s3:acme-artifacts', 'person:e1001'],
    });
  });

  it('keeps the source IP out of the graph and the summary', () => {
    const accepted = transformEvent(fixtureEvent('used-by-person'));
    expect(JSON.stringify(accepted)).not.toContain('203.0.113.7');
  });

  it('a machine acting: the credential reached the resource, nobody used it by hand', () => {
    const event = fixtureEvent('used-by-machine');
    const at = stampOf(event);
    const accepted = transformEvent(event);
    expect(accepted.facts).toStrictEqual([
      { op: 'node', id: KEY1, kind: 'Credential', defines: false, attributes: { lastUsedAt: at.time }, ...at },
      { op: 'node', id: 'resource:aws:ecs:prod/payments', kind: 'Resource', defines: false, ...at },
      {
        op: 'relate',
        type: 'ACCESSED',
        from: KEY1,
        to: 'resource:aws:ecs:prod/payments',
        confidence: 'observed',
        attributes: { action: 'ecs:UpdateService' },
        ...at,
      },
    ]);
    // The actor is on the event's timeline even though the graph records nothing about it.
    expect(accepted.entityIds).toEqual([KEY1, 'resource:aws:ecs:prod/payments', PIPELINE]);
    expect(accepted.summary).toBe(`${KEY1} used: ecs:UpdateService on resource:aws:ecs:prod/payments by ${PIPELINE}`);
  });

  it('an NHI alone: only its last use', () => {
    const event = fixtureEvent('used-nhi-only');
    const at = stampOf(event);
    const nhi = 'nhi:gcp:payments-runtime@acme-prod.iam.gserviceaccount.com';
    const accepted = transformEvent(event);
    expect(accepted.facts).toStrictEqual([
      { op: 'node', id: nhi, kind: 'NHI', defines: false, attributes: { lastUsedAt: at.time }, ...at },
    ]);
    expect(accepted).toMatchObject({ subject: nhi, summary: `${nhi} used` });
  });

  it('an unprefixed actor acting interactively is a person using the credential', () => {
    const event = fixtureEvent('used-unprefixed-interactive');
    const at = stampOf(event);
    expect(transformEvent(event).facts).toStrictEqual([
      { op: 'node', id: KEY1, kind: 'Credential', defines: false, attributes: { lastUsedAt: at.time }, ...at },
      { op: 'node', id: 'ana.lopez', kind: 'Person', defines: false, ...at },
      {
        op: 'relate',
        type: 'USED',
        from: 'ana.lopez',
        to: KEY1,
        confidence: 'observed',
        attributes: { interactive: true },
        ...at,
      },
    ]);
  });

  it('an unprefixed actor acting non-interactively is presumed a machine', () => {
    const event = fixtureEvent('used-unprefixed-machine');
    const at = stampOf(event);
    const accepted = transformEvent(event);
    expect(accepted.facts).toStrictEqual([
      { op: 'node', id: KEY1, kind: 'Credential', defines: false, attributes: { lastUsedAt: at.time }, ...at },
    ]);
    expect(accepted.entityIds).toEqual([KEY1, 'svc-batch']);
  });
});
