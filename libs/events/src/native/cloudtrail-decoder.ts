import type { EventDraft, JsonObject, NativeDecoder } from './native-helpers';
import {
  at,
  canonicalEvents,
  draft,
  environmentOf,
  fail,
  isObject,
  listAt,
  looksLikeEmail,
  need,
  nodeId,
  normaliseTime,
  personId,
  sourceOf,
  text,
} from './native-helpers';

/**
 * AWS CloudTrail records (one record of a log file's `Records`, or an EventBridge `detail`).
 * Identity lifecycle (IAM users, roles, access keys, policy attachments) and role assumption map
 * to canonical events; every other API call, and every call that failed (`errorCode`), says
 * nothing the graph keeps. See docs/native-formats.md for the id scheme and the rules.
 */

const PLATFORM = 'aws';

interface TrailContext {
  readonly record: JsonObject;
  readonly partition: string;
  /** The account the record belongs to (`recipientAccountId`), when it says. */
  readonly tenant: string | undefined;
  /** Who made the call, as a node id, when it names a person or an NHI. */
  readonly actorId: string | undefined;
}

type Handler = (context: TrailContext) => EventDraft[];

export function isCloudTrailRecord(record: JsonObject): boolean {
  const eventName = text(record, 'eventName');
  if (eventName === undefined) return false;
  if (text(record, 'eventSource')?.endsWith('.amazonaws.com') === true) return true;
  return isObject(at(record, 'userIdentity')) || text(record, 'recipientAccountId') !== undefined;
}

export const decodeCloudTrail: NativeDecoder = (record) => {
  const eventName = need(record, 'eventName');
  const handler = HANDLERS[eventName];
  if (handler === undefined) return [];
  // A failed call changed nothing.
  if (text(record, 'errorCode') !== undefined) return [];

  const id = need(record, 'eventID');
  const time = normaliseTime(at(record, 'eventTime'), 'eventTime');
  const tenant = text(record, 'recipientAccountId') ?? text(record, 'userIdentity.accountId');
  const partition = partitionOf(record);
  const context: TrailContext = { record, partition, tenant, actorId: actorIdOf(record, partition, tenant) };
  return canonicalEvents({ id, source: sourceOf('aws.cloudtrail', tenant), time }, handler(context));
};

// ---------------------------------------------------------------------------------------------
// Handlers, one per API call
// ---------------------------------------------------------------------------------------------

const HANDLERS: Readonly<Record<string, Handler>> = {
  CreateUser: createUser,
  DeleteUser: (c) => {
    const nhiId = userNhi(c, need(c.record, 'requestParameters.userName'));
    return [draft('iam.nhi.deleted', nhiId, { nhiId })];
  },
  CreateAccessKey: createAccessKey,
  DeleteAccessKey: (c) => {
    const credentialId = accessKeyId(need(c.record, 'requestParameters.accessKeyId'));
    return [draft('iam.credential.deleted', credentialId, { credentialId })];
  },
  UpdateAccessKey: updateAccessKey,
  CreateRole: createRole,
  DeleteRole: (c) => {
    const nhiId = nodeId('NHI', PLATFORM, iamArn(c, 'role', need(c.record, 'requestParameters.roleName')));
    return [draft('iam.nhi.deleted', nhiId, { nhiId })];
  },
  AttachRolePolicy: (c) => [rolePolicy(c, 'iam.trust.granted')],
  DetachRolePolicy: (c) => [rolePolicy(c, 'iam.trust.revoked')],
  AttachUserPolicy: (c) => [userPolicy(c, 'iam.role.granted')],
  DetachUserPolicy: (c) => [userPolicy(c, 'iam.role.revoked')],
  AssumeRole: assumeRole,
};

/** Name tokens, path segments and tag values that mark an IAM user as a machine (docs: "machine user rule"). */
const MACHINE_WORDS = new Set([
  'svc', 'service', 'sa', 'bot', 'robot', 'automation', 'auto', 'ci', 'cd', 'cicd', 'deploy', 'deployer',
  'deployment', 'pipeline', 'terraform', 'tf', 'jenkins', 'github', 'gitlab', 'circleci', 'actions', 'app',
  'api', 'integration', 'sync', 'backup', 'monitor', 'monitoring', 'etl', 'job', 'batch', 'agent', 'lambda',
  'system', 'sys', 'machine', 'daemon', 'worker', 'cron', 'scheduler', 'ingest', 'exporter', 'uploader',
  'smtp', 'ses', 'programmatic', 'noreply',
]); // prettier-ignore
const MACHINE_TAG_KEYS = new Set([
  'type',
  'identity-type',
  'identitytype',
  'account-type',
  'accounttype',
  'usage',
  'kind',
  'user-type',
  'usertype',
]);

function createUser(c: TrailContext): EventDraft[] {
  const userName = text(c.record, 'requestParameters.userName') ?? need(c.record, 'responseElements.user.userName');
  const tags = tagsOf(c.record);
  if (!isMachineUser(userName, text(c.record, 'requestParameters.path'), tags)) return [];
  const nhiId = userNhi(c, userName);
  const owner = tags.get('owner') ?? tags.get('owner-email') ?? tags.get('owneremail');
  return [
    draft('iam.nhi.created', nhiId, {
      nhiId,
      kind: 'machine_user',
      name: userName,
      platform: PLATFORM,
      environment: environmentOf(tags.get('environment') ?? tags.get('env') ?? userName),
      createdBy: c.actorId,
      ownerId: looksLikeEmail(owner) ? personId(owner) : undefined,
      purpose: tags.get('purpose'),
    }),
  ];
}

/**
 * An IAM user is a machine user when its name has a machine word as a token (`svc-backup`,
 * `terraform_ci`, `deployBot`), its path has one as a segment (`/service/`), or a tag says so
 * (`type=service`). Names with a space or that are e-mail addresses are people.
 */
export function isMachineUser(userName: string, path: string | undefined, tags: ReadonlyMap<string, string>): boolean {
  const words = (value: string): string[] =>
    value
      .replace(/([a-z])([A-Z])/g, '$1 $2')
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .filter((word) => word !== '');
  for (const [key, value] of tags) {
    if (MACHINE_TAG_KEYS.has(key) && words(value).some((word) => MACHINE_WORDS.has(word))) return true;
  }
  if (path !== undefined && words(path).some((word) => MACHINE_WORDS.has(word))) return true;
  if (/\s/.test(userName) || looksLikeEmail(userName)) return false;
  return words(userName).some((word) => MACHINE_WORDS.has(word));
}

function createAccessKey(c: TrailContext): EventDraft[] {
  const credentialId = accessKeyId(need(c.record, 'responseElements.accessKey.accessKeyId'));
  const userName =
    text(c.record, 'requestParameters.userName') ?? text(c.record, 'responseElements.accessKey.userName');
  // Without a user name the key is the caller's own.
  const nhiId = userName !== undefined ? userNhi(c, userName) : callerNhi(c, 'requestParameters.userName');
  return [
    draft('iam.credential.created', credentialId, { credentialId, nhiId, kind: 'access_key', createdBy: c.actorId }),
  ];
}

/**
 * An inactive key cannot authenticate, so for the graph it is gone until reactivated:
 * `Inactive` closes it (iam.credential.deleted), `Active` opens it again (iam.credential.created).
 */
function updateAccessKey(c: TrailContext): EventDraft[] {
  const credentialId = accessKeyId(need(c.record, 'requestParameters.accessKeyId'));
  const status = need(c.record, 'requestParameters.status');
  if (status === 'Inactive') return [draft('iam.credential.deleted', credentialId, { credentialId })];
  if (status !== 'Active') fail('requestParameters.status', 'must be Active or Inactive');
  const userName = text(c.record, 'requestParameters.userName');
  const nhiId = userName !== undefined ? userNhi(c, userName) : callerNhi(c, 'requestParameters.userName');
  return [draft('iam.credential.created', credentialId, { credentialId, nhiId, kind: 'access_key' })];
}

/**
 * An IAM role is both an identity that acts (an NHI: workloads run as it) and a set of permissions
 * (a Role: principals assume it, policies attach to it). Both share the role's ARN; the NHI holds
 * the Role. Principals the trust policy names may assume it.
 */
function createRole(c: TrailContext): EventDraft[] {
  const roleName = need(c.record, 'requestParameters.roleName');
  const arn = iamArn(c, 'role', roleName);
  const nhiId = nodeId('NHI', PLATFORM, arn);
  const roleId = nodeId('Role', PLATFORM, arn);
  const drafts = [
    draft('iam.nhi.created', nhiId, {
      nhiId,
      kind: 'workload_identity',
      name: roleName,
      platform: PLATFORM,
      environment: environmentOf(roleName),
      createdBy: c.actorId,
      purpose: text(c.record, 'requestParameters.description'),
    }),
    draft('iam.role.defined', roleId, { roleId, name: roleName }),
    draft('iam.role.granted', nhiId, { principalId: nhiId, roleId }),
  ];
  for (const principalId of trustedPrincipals(c, text(c.record, 'requestParameters.assumeRolePolicyDocument'))) {
    drafts.push(draft('iam.trust.granted', principalId, { principalId, roleId }));
  }
  return drafts;
}

/** AWS principals (accounts, users, roles) an `Allow sts:AssumeRole` statement names; services are not identities. */
function trustedPrincipals(c: TrailContext, policyDocument: string | undefined): string[] {
  if (policyDocument === undefined) return [];
  let policy: unknown;
  try {
    policy = JSON.parse(decodeURIComponent(policyDocument));
  } catch {
    return []; // an unreadable trust policy leaves the role without trust facts; the role itself stands
  }
  const statements = at(policy, 'Statement');
  const principals = new Set<string>();
  for (const statement of Array.isArray(statements) ? statements : [statements]) {
    if (text(statement, 'Effect') !== 'Allow') continue;
    const aws = at(statement, 'Principal.AWS');
    for (const arn of Array.isArray(aws) ? aws : [aws]) {
      const id = typeof arn === 'string' ? principalOfArn(c, arn) : undefined;
      if (id !== undefined) principals.add(id);
    }
  }
  return [...principals];
}

/**
 * A managed policy attached to a role is a Role the role can assume (the domain's Role → Role
 * CAN_ASSUME): whoever assumes the role reaches what the policy grants.
 */
function rolePolicy(c: TrailContext, type: 'iam.trust.granted' | 'iam.trust.revoked'): EventDraft {
  const principalId = nodeId('Role', PLATFORM, iamArn(c, 'role', need(c.record, 'requestParameters.roleName')));
  const roleId = nodeId('Role', PLATFORM, need(c.record, 'requestParameters.policyArn'));
  return draft(type, principalId, { principalId, roleId });
}

function userPolicy(c: TrailContext, type: 'iam.role.granted' | 'iam.role.revoked'): EventDraft {
  const principalId = userNhi(c, need(c.record, 'requestParameters.userName'));
  const roleId = nodeId('Role', PLATFORM, need(c.record, 'requestParameters.policyArn'));
  return draft(type, principalId, { principalId, roleId });
}

/**
 * A successful AssumeRole proves the caller may assume the role (iam.trust.granted) and is a use
 * of the caller's identity (audit.credential.used, with its long-term access key when it used one;
 * no `resourceId`: the role is a Role, not a Resource, and the trust already records it).
 * Console sign-ins (signin.amazonaws.com) and AWS services assuming their execution roles say
 * nothing about an identity of the account.
 */
function assumeRole(c: TrailContext): EventDraft[] {
  if (text(c.record, 'eventSource') !== 'sts.amazonaws.com') return [];
  const roleId = nodeId('Role', PLATFORM, normaliseIamArn(need(c.record, 'requestParameters.roleArn')));
  const type = text(c.record, 'userIdentity.type');
  const drafts: EventDraft[] = [];
  let principalId: string | undefined;
  let usedNhi: string | undefined;
  if (type === 'IAMUser' || type === 'Root') {
    principalId = usedNhi = callerNhi(c, 'userIdentity');
  } else if (type === 'AssumedRole') {
    const issuer = issuerRoleArn(c.record);
    if (issuer !== undefined) {
      principalId = nodeId('Role', PLATFORM, issuer);
      usedNhi = isSsoRole(issuer) ? undefined : nodeId('NHI', PLATFORM, issuer);
    }
  } else if (type === 'AWSAccount') {
    const account = text(c.record, 'userIdentity.accountId');
    principalId =
      account === undefined ? undefined : nodeId('NHI', PLATFORM, `arn:${c.partition}:iam::${account}:root`);
  }
  if (principalId === undefined) return [];
  drafts.push(draft('iam.trust.granted', principalId, { principalId, roleId }));

  const keyId = text(c.record, 'userIdentity.accessKeyId');
  // Long-term keys (AKIA…) are credentials in the graph; session keys (ASIA…) are not.
  const credentialId = keyId?.startsWith('AKIA') === true ? accessKeyId(keyId) : undefined;
  if (usedNhi !== undefined || credentialId !== undefined) {
    drafts.push(
      draft('audit.credential.used', credentialId ?? usedNhi ?? roleId, {
        credentialId,
        nhiId: usedNhi,
        action: 'sts:AssumeRole',
        sourceIp: text(c.record, 'sourceIPAddress'),
      }),
    );
  }
  return drafts;
}

// ---------------------------------------------------------------------------------------------
// Identities and ARNs
// ---------------------------------------------------------------------------------------------

const IAM_ARN = /^arn:([^:]+):(?:iam|sts)::([^:]*):(user|role|assumed-role|root|federated-user)(?:\/(.*))?$/;

interface ParsedArn {
  readonly partition: string;
  readonly account: string;
  readonly type: string;
  /** The path and name after the type, e.g. `aws-reserved/sso.amazonaws.com/AWSReservedSSO_x` or `Role/session`. */
  readonly rest: string;
}

function parseArn(arn: string): ParsedArn | undefined {
  const match = IAM_ARN.exec(arn);
  if (!match) return undefined;
  return { partition: match[1] ?? 'aws', account: match[2] ?? '', type: match[3] ?? '', rest: match[4] ?? '' };
}

function lastSegment(path: string): string {
  const segments = path.split('/');
  return segments[segments.length - 1] ?? path;
}

/**
 * IAM user and role ARNs without their path (`arn:aws:iam::123456789012:role/deployer`): names are
 * unique in an account and most IAM calls name only the user or role, so the path-less ARN is the
 * one every record can build. Other ARNs (policies) are kept as they are.
 */
function normaliseIamArn(arn: string): string {
  const parsed = parseArn(arn);
  if (parsed === undefined || (parsed.type !== 'user' && parsed.type !== 'role')) return arn;
  return `arn:${parsed.partition}:iam::${parsed.account}:${parsed.type}/${lastSegment(parsed.rest)}`;
}

function iamArn(c: TrailContext, type: 'user' | 'role', name: string): string {
  return `arn:${c.partition}:iam::${c.tenant ?? fail('recipientAccountId', 'is required')}:${type}/${lastSegment(name)}`;
}

function userNhi(c: TrailContext, userName: string): string {
  return nodeId('NHI', PLATFORM, iamArn(c, 'user', userName));
}

function accessKeyId(keyId: string): string {
  return nodeId('Credential', PLATFORM, keyId);
}

function partitionOf(record: JsonObject): string {
  const arn = text(record, 'userIdentity.arn');
  return (arn !== undefined ? parseArn(arn)?.partition : undefined) ?? 'aws';
}

/** The NHI of the IAM user or root user who made the call; `field` names what is missing otherwise. */
function callerNhi(c: TrailContext, field: string): string {
  return (
    callerUserNhi(c.record, c.partition, c.tenant) ?? fail(field, 'is required when the caller is not an IAM user')
  );
}

function callerUserNhi(record: JsonObject, partition: string, tenant: string | undefined): string | undefined {
  const type = text(record, 'userIdentity.type');
  const account = text(record, 'userIdentity.accountId') ?? tenant;
  if (type === 'Root')
    return account === undefined ? undefined : nodeId('NHI', PLATFORM, `arn:${partition}:iam::${account}:root`);
  if (type !== 'IAMUser') return undefined;
  const arn = text(record, 'userIdentity.arn');
  if (arn !== undefined && parseArn(arn)?.type === 'user') return nodeId('NHI', PLATFORM, normaliseIamArn(arn));
  const userName = text(record, 'userIdentity.userName');
  if (userName === undefined || account === undefined) return undefined;
  return nodeId('NHI', PLATFORM, `arn:${partition}:iam::${account}:user/${lastSegment(userName)}`);
}

/** The role behind an assumed-role session: its session issuer, else the role named in the session ARN. */
function issuerRoleArn(record: JsonObject): string | undefined {
  const issuer = text(record, 'userIdentity.sessionContext.sessionIssuer.arn');
  if (issuer !== undefined && parseArn(issuer)?.type === 'role') return normaliseIamArn(issuer);
  const arn = text(record, 'userIdentity.arn');
  const parsed = arn === undefined ? undefined : parseArn(arn);
  if (parsed?.type !== 'assumed-role') return undefined;
  const roleName = parsed.rest.split('/')[0];
  return roleName === undefined || roleName === ''
    ? undefined
    : `arn:${parsed.partition}:iam::${parsed.account}:role/${roleName}`;
}

/** IAM Identity Center permission sets: people sign in through them; the session name is the person. */
function isSsoRole(roleArn: string): boolean {
  return lastSegment(roleArn).startsWith('AWSReservedSSO_');
}

/**
 * The caller as a node: an IAM user or the root user (an NHI), a person signed in through IAM
 * Identity Center (the session name), or the role of any other assumed-role session (an NHI).
 * AWS services, other accounts and federated users are not identities we can name.
 */
function actorIdOf(record: JsonObject, partition: string, tenant: string | undefined): string | undefined {
  const type = text(record, 'userIdentity.type');
  if (type === 'IAMUser' || type === 'Root') return callerUserNhi(record, partition, tenant);
  if (type !== 'AssumedRole') return undefined;
  const issuer = issuerRoleArn(record);
  if (issuer === undefined) return undefined;
  if (!isSsoRole(issuer)) return nodeId('NHI', PLATFORM, issuer);
  const session = lastSegment(text(record, 'userIdentity.arn') ?? '');
  return session === '' ? undefined : personId(session);
}

/** A trust-policy principal: an account (`123456789012` or its root ARN), a user or a role. */
function principalOfArn(c: TrailContext, value: string): string | undefined {
  if (/^\d{12}$/.test(value)) return nodeId('NHI', PLATFORM, `arn:${c.partition}:iam::${value}:root`);
  const parsed = parseArn(value);
  if (parsed === undefined) return undefined;
  if (parsed.type === 'root') return nodeId('NHI', PLATFORM, `arn:${parsed.partition}:iam::${parsed.account}:root`);
  if (parsed.type === 'user') return nodeId('NHI', PLATFORM, normaliseIamArn(value));
  if (parsed.type === 'role') return nodeId('Role', PLATFORM, normaliseIamArn(value));
  return undefined;
}

/** `requestParameters.tags` ([{key, value}]) as a map with lower-cased keys. */
function tagsOf(record: JsonObject): Map<string, string> {
  const tags = new Map<string, string>();
  for (const tag of listAt(record, 'requestParameters.tags')) {
    const key = text(tag, 'key');
    const value = text(tag, 'value');
    if (key !== undefined && value !== undefined) tags.set(key.toLowerCase(), value);
  }
  return tags;
}
