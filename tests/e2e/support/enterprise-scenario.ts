/**
 * A small enterprise, built so that every lineage rule and every blast-radius feature shows up
 * once, as canonical CloudEvents. The test files post these over HTTP (structured, batch and
 * binary modes) and assert the GraphQL answers against the expectations written beside them.
 *
 * People: cto manages alice and bob; alice manages carol and dan. bob leaves on 2024-06-01.
 * Vendors: acme (sponsor carol, active), oldco (sponsor carol, contract ended 2024-03-01).
 * NHIs:
 *   deployer      owned by alice                        → ACCOUNTABLE (declared owner)
 *   ci-bot        created by alice                      → ACCOUNTABLE (creator)
 *   build-sa      created by ci-bot (an NHI)            → ACCOUNTABLE (creator chain: alice → ci-bot → build-sa)
 *   bob-bot       owned by bob                          → ORPHANED once bob left
 *   stray         nothing                               → UNOWNED
 *   acme-agent    supplied by acme                      → ACCOUNTABLE (sponsor carol)
 *   oldco-sync    supplied by oldco                     → ORPHANED (vendor contract ended)
 * Credentials: deployer-key (deployer; in a vault and in a CI variable; used by workload:release),
 *   bob-token (bob-bot, active), bob-old (bob-bot, deleted 2024-02-01).
 * Roles: deployer has deploy and readonly; deploy may assume db-admin, which may assume
 *   break-glass. deploy is revoked from deployer on 2024-07-01.
 */

export interface CloudEvent {
  readonly specversion: '1.0';
  readonly id: string;
  readonly source: string;
  readonly type: string;
  readonly time: string;
  readonly subject?: string;
  readonly data: Record<string, unknown>;
}

const HR = 'hr/workday/acme';
const IAM = 'iam/aws/acme';
const CI = 'ci/github/acme';
const VENDORS = 'procurement/acme';

function event(id: string, source: string, type: string, time: string, data: Record<string, unknown>): CloudEvent {
  return { specversion: '1.0', id, source, type, time, data };
}

/** Posted one by one, structured mode. */
export const PEOPLE: readonly CloudEvent[] = [
  event('hr-cto', HR, 'hr.person.joined', '2024-01-01T09:00:00Z', {
    personId: 'person:cto',
    email: 'cto@acme.example',
    name: 'Casey Tran',
    employmentType: 'employee',
  }),
  event('hr-alice', HR, 'hr.person.joined', '2024-01-02T09:00:00Z', {
    personId: 'person:alice',
    email: 'alice@acme.example',
    name: 'Alice Ng',
    managerId: 'person:cto',
    department: 'platform',
  }),
  event('hr-bob', HR, 'hr.person.joined', '2024-01-02T09:30:00Z', {
    personId: 'person:bob',
    email: 'bob@acme.example',
    name: 'Bob Diaz',
    managerId: 'person:cto',
  }),
  event('hr-carol', HR, 'hr.person.joined', '2024-01-03T09:00:00Z', {
    personId: 'person:carol',
    email: 'carol@acme.example',
    name: 'Carol Ito',
    managerId: 'person:alice',
  }),
  event('hr-dan', HR, 'hr.person.joined', '2024-01-03T09:30:00Z', {
    personId: 'person:dan',
    email: 'dan@acme.example',
    name: 'Dan Wu',
    managerId: 'person:alice',
  }),
];

/** Posted as one batch (application/cloudevents-batch+json). */
export const IAM_BATCH: readonly CloudEvent[] = [
  event('vendor-acme', VENDORS, 'vendor.onboarded', '2024-01-05T10:00:00Z', {
    vendorId: 'vendor:acme',
    name: 'Acme AI',
    sponsorId: 'person:carol',
  }),
  event('vendor-oldco', VENDORS, 'vendor.onboarded', '2024-01-05T10:00:00Z', {
    vendorId: 'vendor:oldco',
    name: 'OldCo',
    sponsorId: 'person:carol',
  }),
  event('role-deploy', IAM, 'iam.role.defined', '2024-01-10T10:00:00Z', {
    roleId: 'role:deploy',
    name: 'deploy',
    grants: [
      { resourceId: 'resource:prod-account', actions: ['ecs:UpdateService'], level: 'write' },
      { resourceId: 'resource:artifacts', actions: ['s3:GetObject'], level: 'read' },
    ],
  }),
  event('role-readonly', IAM, 'iam.role.defined', '2024-01-10T10:00:00Z', {
    roleId: 'role:readonly',
    name: 'readonly',
    grants: [
      { resourceId: 'resource:prod-account', actions: ['ec2:Describe*'], level: 'read' },
      { resourceId: 'resource:logs', actions: ['logs:GetLogEvents'], level: 'read' },
    ],
  }),
  event('role-db-admin', IAM, 'iam.role.defined', '2024-01-10T10:00:00Z', {
    roleId: 'role:db-admin',
    grants: [{ resourceId: 'resource:prod-db', actions: ['rds:*'], level: 'admin' }],
  }),
  event('role-break-glass', IAM, 'iam.role.defined', '2024-01-10T10:00:00Z', {
    roleId: 'role:break-glass',
    grants: [{ resourceId: 'resource:kms', actions: ['kms:*'], level: 'admin' }],
  }),
  event('trust-deploy-db', IAM, 'iam.trust.granted', '2024-01-10T11:00:00Z', {
    principalId: 'role:deploy',
    roleId: 'role:db-admin',
  }),
  event('trust-db-glass', IAM, 'iam.trust.granted', '2024-01-10T11:00:00Z', {
    principalId: 'role:db-admin',
    roleId: 'role:break-glass',
  }),
  event('nhi-deployer', IAM, 'iam.nhi.created', '2024-01-11T10:00:00Z', {
    nhiId: 'nhi:deployer',
    kind: 'service_account',
    name: 'deployer',
    platform: 'aws',
    environment: 'prod',
    ownerId: 'person:alice',
  }),
  event('grant-deployer-deploy', IAM, 'iam.role.granted', '2024-01-12T10:00:00Z', {
    principalId: 'nhi:deployer',
    roleId: 'role:deploy',
  }),
  event('grant-deployer-readonly', IAM, 'iam.role.granted', '2024-01-12T10:00:00Z', {
    principalId: 'nhi:deployer',
    roleId: 'role:readonly',
  }),
  event('cred-deployer-key', IAM, 'iam.credential.created', '2024-01-12T11:00:00Z', {
    credentialId: 'cred:deployer-key',
    nhiId: 'nhi:deployer',
    kind: 'access_key',
    createdBy: 'person:alice',
    fingerprint: 'AKIAIOSFODNN7EXAMPLE',
  }),
  event('nhi-ci-bot', IAM, 'iam.nhi.created', '2024-01-15T10:00:00Z', {
    nhiId: 'nhi:ci-bot',
    kind: 'bot',
    platform: 'github',
    createdBy: 'person:alice',
  }),
  event('nhi-build-sa', IAM, 'iam.nhi.created', '2024-01-16T10:00:00Z', {
    nhiId: 'nhi:build-sa',
    kind: 'service_account',
    platform: 'gcp',
    createdBy: 'nhi:ci-bot',
  }),
  event('nhi-bob-bot', IAM, 'iam.nhi.created', '2024-01-20T10:00:00Z', {
    nhiId: 'nhi:bob-bot',
    kind: 'bot',
    platform: 'slack',
    ownerId: 'person:bob',
  }),
  event('cred-bob-token', IAM, 'iam.credential.created', '2024-01-20T11:00:00Z', {
    credentialId: 'cred:bob-token',
    nhiId: 'nhi:bob-bot',
    kind: 'api_token',
    createdBy: 'person:bob',
  }),
  event('cred-bob-old', IAM, 'iam.credential.created', '2024-01-21T11:00:00Z', {
    credentialId: 'cred:bob-old',
    nhiId: 'nhi:bob-bot',
    kind: 'pat',
    createdBy: 'person:bob',
  }),
  event('cred-bob-old-deleted', IAM, 'iam.credential.deleted', '2024-02-01T11:00:00Z', {
    credentialId: 'cred:bob-old',
  }),
  event('nhi-stray', IAM, 'iam.nhi.created', '2024-01-22T10:00:00Z', {
    nhiId: 'nhi:stray',
    kind: 'service_account',
    platform: 'azure',
  }),
  event('nhi-acme-agent', IAM, 'iam.nhi.created', '2024-01-23T10:00:00Z', {
    nhiId: 'nhi:acme-agent',
    kind: 'ai_agent',
    vendorId: 'vendor:acme',
  }),
  event('nhi-oldco-sync', IAM, 'iam.nhi.created', '2024-01-23T10:00:00Z', {
    nhiId: 'nhi:oldco-sync',
    kind: 'service_account',
    vendorId: 'vendor:oldco',
  }),
  event('vendor-oldco-ended', VENDORS, 'vendor.contract.ended', '2024-03-01T10:00:00Z', { vendorId: 'vendor:oldco' }),
];

/** Posted one by one in binary mode (attributes in ce-* headers, data as the body). */
export const CI_EVENTS: readonly CloudEvent[] = [
  event('store-vault', CI, 'ci.secret.stored', '2024-01-13T10:00:00Z', {
    credentialId: 'cred:deployer-key',
    location: { kind: 'vault', id: 'store:vault/deployer' },
  }),
  event('store-ci-var', CI, 'ci.secret.stored', '2024-01-13T10:05:00Z', {
    credentialId: 'cred:deployer-key',
    location: { kind: 'ci_variable', id: 'store:gh/DEPLOY_KEY' },
  }),
  event('deploy-api', CI, 'workload.deployed', '2024-01-14T10:00:00Z', {
    workloadId: 'workload:api',
    name: 'api',
    runsAs: 'nhi:deployer',
    ownerId: 'person:alice',
    environment: 'prod',
  }),
  event('run-release', CI, 'ci.pipeline.ran', '2024-01-18T10:00:00Z', {
    pipelineId: 'workload:release',
    repo: 'acme/app',
    triggeredBy: 'nhi:ci-bot',
    secretsUsed: ['cred:deployer-key'],
  }),
];

/** What happens later: bob leaves, the deploy role is revoked from deployer. */
export const LATER: readonly CloudEvent[] = [
  event('hr-bob-left', HR, 'hr.person.left', '2024-06-01T17:00:00Z', { personId: 'person:bob', reason: 'resigned' }),
  event('revoke-deployer-deploy', IAM, 'iam.role.revoked', '2024-07-01T10:00:00Z', {
    principalId: 'nhi:deployer',
    roleId: 'role:deploy',
  }),
];

export const BEFORE_BOB_LEFT = '2024-05-01T00:00:00Z';
export const BEFORE_DEPLOY_REVOKED = '2024-06-15T00:00:00Z';

/** The events naming nhi:deployer, in event-time order: its timeline. */
export const DEPLOYER_TIMELINE = [
  'nhi-deployer',
  'grant-deployer-deploy',
  'grant-deployer-readonly',
  'cred-deployer-key',
  'deploy-api',
  'revoke-deployer-deploy',
];

/** Binary content mode: the attributes as percent-encoded ce-* headers, `data` as the JSON body. */
export function binaryMode(event: CloudEvent): { headers: Record<string, string>; body: string } {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  for (const [name, value] of Object.entries(event)) {
    if (name === 'data') continue;
    headers[`ce-${name}`] = encodeURIComponent(String(value));
  }
  return { headers, body: JSON.stringify(event.data) };
}
