import { transformEvent } from '../transform/event-transformer';
import { fixtureEvent, stampOf } from '../testing/canonical-fixtures';

const DEPLOYER = 'nhi:aws:arn:aws:iam::123456789012:role/deployer';
const BOOTSTRAP = 'nhi:aws:arn:aws:iam::123456789012:role/bootstrap';
const PIPELINE = 'workload:github:acme/payments/deploy';
const KEY1 = 'cred:aws:AKIAIOSFODNN7EXAMPLE';
const KEY2 = 'cred:aws:AKIAI44QH8DHBEXAMPLE';

describe('IAM event transforms', () => {
  describe('iam.nhi.created', () => {
    it('defines the NHI and relates its creator, owner and vendor, each a placeholder first', () => {
      const event = fixtureEvent('nhi-created-full');
      const at = stampOf(event);
      const accepted = transformEvent(event);
      expect(accepted.facts).toStrictEqual([
        {
          op: 'node',
          id: DEPLOYER,
          kind: 'NHI',
          defines: true,
          name: 'deployer',
          attributes: {
            nhiKind: 'service_account',
            platform: 'aws',
            environment: 'prod',
            purpose: 'Deploys the payments services',
            expiresAt: Date.UTC(2025, 1, 10, 14),
          },
          ...at,
        },
        { op: 'node', id: 'person:e1001', kind: 'Person', defines: false, ...at },
        { op: 'relate', type: 'CREATED', from: 'person:e1001', to: DEPLOYER, confidence: 'declared', ...at },
        { op: 'node', id: 'person:e1000', kind: 'Person', defines: false, ...at },
        { op: 'relate', type: 'OWNS', from: 'person:e1000', to: DEPLOYER, confidence: 'declared', ...at },
        { op: 'node', id: 'vendor:acme-scanner', kind: 'Vendor', defines: false, ...at },
        { op: 'relate', type: 'SUPPLIES', from: 'vendor:acme-scanner', to: DEPLOYER, confidence: 'declared', ...at },
      ]);
      expect(accepted).toMatchObject({
        subject: DEPLOYER,
        summary: `${DEPLOYER} created (service_account on aws in prod) by person:e1001`,
        entityIds: [DEPLOYER, 'person:e1001', 'person:e1000', 'vendor:acme-scanner'],
      });
    });

    it('a workload creator is a Workload placeholder (NHIs are created by pipelines too)', () => {
      const event = fixtureEvent('nhi-created-by-workload');
      const at = stampOf(event);
      const nhi = 'nhi:gcp:payments-runtime@acme-prod.iam.gserviceaccount.com';
      expect(transformEvent(event).facts).toStrictEqual([
        {
          op: 'node',
          id: nhi,
          kind: 'NHI',
          defines: true,
          attributes: { nhiKind: 'workload_identity', platform: 'gcp', environment: 'prod' },
          ...at,
        },
        { op: 'node', id: PIPELINE, kind: 'Workload', defines: false, ...at },
        { op: 'relate', type: 'CREATED', from: PIPELINE, to: nhi, confidence: 'declared', ...at },
      ]);
    });

    it('a creator id without a known prefix is taken for a person', () => {
      const event = fixtureEvent('nhi-created-unprefixed-creator');
      expect(transformEvent(event).facts[1]).toStrictEqual({
        op: 'node',
        id: 'u-4711',
        kind: 'Person',
        defines: false,
        ...stampOf(event),
      });
    });
  });

  it('iam.nhi.deleted retires the NHI', () => {
    const event = fixtureEvent('nhi-deleted-1');
    const accepted = transformEvent(event);
    expect(accepted.facts).toStrictEqual([
      { op: 'retire', kind: 'NHI', id: 'nhi:github:app/renovate', ...stampOf(event) },
    ]);
    expect(accepted.summary).toBe('nhi:github:app/renovate deleted');
  });

  it('iam.owner.assigned adds an owner (co-owners stay)', () => {
    const event = fixtureEvent('owner-assigned-1');
    const at = stampOf(event);
    const accepted = transformEvent(event);
    expect(accepted.facts).toStrictEqual([
      { op: 'node', id: 'person:e1003', kind: 'Person', defines: false, ...at },
      { op: 'node', id: DEPLOYER, kind: 'NHI', defines: false, ...at },
      { op: 'relate', type: 'OWNS', from: 'person:e1003', to: DEPLOYER, confidence: 'declared', ...at },
    ]);
    expect(accepted.facts.some((fact) => fact.op === 'unrelate-others')).toBe(false);
    expect(accepted).toMatchObject({ subject: DEPLOYER, summary: `person:e1003 assigned as owner of ${DEPLOYER}` });
  });

  describe('iam.credential.created', () => {
    it('defines the credential, active and fresh, authenticating its NHI, created by an NHI', () => {
      const event = fixtureEvent('credential-created-1');
      const at = stampOf(event);
      const accepted = transformEvent(event);
      expect(accepted.facts).toStrictEqual([
        {
          op: 'node',
          id: KEY1,
          kind: 'Credential',
          defines: true,
          attributes: {
            credentialKind: 'access_key',
            createdAt: at.time,
            expiresAt: Date.UTC(2024, 4, 10, 14, 5),
            fingerprint: 'AKIAIOSFODNN7EXAMPLE',
            status: 'active',
            lastRotatedAt: at.time,
          },
          ...at,
        },
        { op: 'node', id: DEPLOYER, kind: 'NHI', defines: false, ...at },
        { op: 'relate', type: 'AUTHENTICATES', from: KEY1, to: DEPLOYER, confidence: 'declared', ...at },
        { op: 'node', id: BOOTSTRAP, kind: 'NHI', defines: false, ...at },
        { op: 'relate', type: 'CREATED', from: BOOTSTRAP, to: KEY1, confidence: 'declared', ...at },
      ]);
      expect(accepted).toMatchObject({
        subject: KEY1,
        summary: `${KEY1} created (access_key) for ${DEPLOYER} by ${BOOTSTRAP}`,
      });
    });

    it('without optional fields', () => {
      const event = fixtureEvent('credential-created-minimal');
      const at = stampOf(event);
      expect(transformEvent(event).facts).toStrictEqual([
        {
          op: 'node',
          id: 'cred:github:pat/12345',
          kind: 'Credential',
          defines: true,
          attributes: { credentialKind: 'pat', createdAt: at.time, status: 'active', lastRotatedAt: at.time },
          ...at,
        },
        { op: 'node', id: 'nhi:github:app/renovate', kind: 'NHI', defines: false, ...at },
        {
          op: 'relate',
          type: 'AUTHENTICATES',
          from: 'cred:github:pat/12345',
          to: 'nhi:github:app/renovate',
          confidence: 'declared',
          ...at,
        },
      ]);
    });
  });

  describe('iam.credential.rotated', () => {
    it('in place: the credential was rotated now', () => {
      const event = fixtureEvent('credential-rotated-in-place');
      const at = stampOf(event);
      const accepted = transformEvent(event);
      expect(accepted.facts).toStrictEqual([
        {
          op: 'node',
          id: 'cred:github:pat/12345',
          kind: 'Credential',
          defines: false,
          attributes: { lastRotatedAt: at.time },
          ...at,
        },
      ]);
      expect(accepted.summary).toBe('cred:github:pat/12345 rotated');
    });

    it('to a new credential: the old one is retired and the new one takes over its relationships', () => {
      const event = fixtureEvent('credential-rotated-new');
      const at = stampOf(event);
      const accepted = transformEvent(event);
      expect(accepted.facts).toStrictEqual([
        {
          op: 'node',
          id: KEY1,
          kind: 'Credential',
          defines: false,
          attributes: { status: 'rotated', rotatedTo: KEY2 },
          ...at,
        },
        { op: 'retire', kind: 'Credential', id: KEY1, ...at },
        {
          op: 'node',
          id: KEY2,
          kind: 'Credential',
          defines: true,
          attributes: { status: 'active', createdAt: at.time, lastRotatedAt: at.time, rotatedFrom: KEY1 },
          ...at,
        },
        { op: 'inherit', fromId: KEY1, toId: KEY2, types: ['AUTHENTICATES', 'STORED_IN', 'USES'], ...at },
      ]);
      expect(accepted).toMatchObject({ subject: KEY1, summary: `${KEY1} rotated to ${KEY2}`, entityIds: [KEY1, KEY2] });
    });
  });

  it('iam.credential.deleted marks the credential deleted and retires it', () => {
    const event = fixtureEvent('credential-deleted-1');
    const at = stampOf(event);
    expect(transformEvent(event).facts).toStrictEqual([
      {
        op: 'node',
        id: 'cred:github:pat/12345',
        kind: 'Credential',
        defines: false,
        attributes: { status: 'deleted' },
        ...at,
      },
      { op: 'retire', kind: 'Credential', id: 'cred:github:pat/12345', ...at },
    ]);
  });

  describe('iam.role.defined', () => {
    it('grants each resource once (strongest level, every action) and revokes the rest', () => {
      const event = fixtureEvent('role-defined-1');
      const at = stampOf(event);
      const accepted = transformEvent(event);
      expect(accepted.facts).toStrictEqual([
        { op: 'node', id: 'role:aws:deployer', kind: 'Role', defines: true, name: 'Deployer', ...at },
        { op: 'node', id: 'resource:aws:s3:acme-artifacts', kind: 'Resource', defines: false, ...at },
        {
          op: 'relate',
          type: 'GRANTS',
          from: 'role:aws:deployer',
          to: 'resource:aws:s3:acme-artifacts',
          confidence: 'declared',
          attributes: { actions: ['s3:PutObject', 's3:GetObject', 's3:ListBucket'], level: 'write' },
          ...at,
        },
        { op: 'node', id: 'resource:aws:ecs:prod/payments', kind: 'Resource', defines: false, ...at },
        {
          op: 'relate',
          type: 'GRANTS',
          from: 'role:aws:deployer',
          to: 'resource:aws:ecs:prod/payments',
          confidence: 'declared',
          attributes: { actions: ['ecs:UpdateService'], level: 'admin' },
          ...at,
        },
        { op: 'node', id: 'resource:aws:logs:prod', kind: 'Resource', defines: false, ...at },
        {
          op: 'relate',
          type: 'GRANTS',
          from: 'role:aws:deployer',
          to: 'resource:aws:logs:prod',
          confidence: 'declared',
          attributes: { actions: [], level: 'read' },
          ...at,
        },
        {
          op: 'unrelate-others',
          type: 'GRANTS',
          anchor: 'from',
          anchorId: 'role:aws:deployer',
          keep: ['resource:aws:s3:acme-artifacts', 'resource:aws:ecs:prod/payments', 'resource:aws:logs:prod'],
          ...at,
        },
      ]);
      expect(accepted.summary).toBe('role:aws:deployer defined (Deployer, 3 grants)');
    });

    it('an empty grant list revokes every grant', () => {
      const event = fixtureEvent('role-defined-no-grants');
      const at = stampOf(event);
      expect(transformEvent(event).facts).toStrictEqual([
        { op: 'node', id: 'role:aws:deployer', kind: 'Role', defines: true, ...at },
        { op: 'unrelate-others', type: 'GRANTS', anchor: 'from', anchorId: 'role:aws:deployer', keep: [], ...at },
      ]);
    });

    it('without a grant list, grants are left alone', () => {
      const event = fixtureEvent('role-defined-name-only');
      const accepted = transformEvent(event);
      expect(accepted.facts).toStrictEqual([
        { op: 'node', id: 'role:aws:auditor', kind: 'Role', defines: true, name: 'Auditor', ...stampOf(event) },
      ]);
      expect(accepted.summary).toBe('role:aws:auditor defined (Auditor)');
    });
  });

  describe('role and trust assignments', () => {
    it.each([
      [
        'role-granted-nhi',
        'relate',
        'HAS_ROLE',
        DEPLOYER,
        'NHI',
        'role:aws:deployer',
        `role:aws:deployer granted to ${DEPLOYER}`,
      ],
      [
        'role-granted-person',
        'relate',
        'HAS_ROLE',
        'person:e1001',
        'Person',
        'role:aws:auditor',
        'role:aws:auditor granted to person:e1001',
      ],
      [
        'role-revoked-1',
        'unrelate',
        'HAS_ROLE',
        DEPLOYER,
        'NHI',
        'role:aws:deployer',
        `role:aws:deployer revoked from ${DEPLOYER}`,
      ],
      [
        'trust-granted-workload',
        'relate',
        'CAN_ASSUME',
        PIPELINE,
        'Workload',
        'role:aws:deployer',
        `${PIPELINE} may assume role:aws:deployer`,
      ],
      [
        'trust-granted-role',
        'relate',
        'CAN_ASSUME',
        'role:aws:bootstrap',
        'Role',
        'role:aws:deployer',
        'role:aws:bootstrap may assume role:aws:deployer',
      ],
      [
        'trust-revoked-unprefixed',
        'unrelate',
        'CAN_ASSUME',
        'arn:aws:iam::123456789012:user/legacy-ci',
        'NHI',
        'role:aws:deployer',
        'arn:aws:iam::123456789012:user/legacy-ci may no longer assume role:aws:deployer',
      ],
    ] as const)('%s: %s %s', (id, op, type, principal, principalKind, role, summary) => {
      const event = fixtureEvent(id);
      const at = stampOf(event);
      const accepted = transformEvent(event);
      const relation =
        op === 'relate'
          ? { op, type, from: principal, to: role, confidence: 'declared', ...at }
          : { op, type, from: principal, to: role, ...at };
      expect(accepted.facts).toStrictEqual([
        { op: 'node', id: principal, kind: principalKind, defines: false, ...at },
        { op: 'node', id: role, kind: 'Role', defines: false, ...at },
        relation,
      ]);
      expect(accepted).toMatchObject({ subject: principal, summary, entityIds: [principal, role] });
    });
  });
});
