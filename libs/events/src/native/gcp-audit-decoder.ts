import type { EventDraft, JsonObject, NativeDecoder } from './native-helpers';
import {
  at,
  canonicalEvents,
  draft,
  environmentOf,
  fail,
  firstText,
  isObject,
  levelOfWord,
  listAt,
  looksLikeEmail,
  need,
  nodeId,
  normaliseTime,
  objectAt,
  personId,
  scopedGrant,
  sourceOf,
  text,
} from './native-helpers';

/**
 * GCP Cloud Audit Logs (a LogEntry whose `protoPayload` is an AuditLog). Service accounts, their
 * keys, IAM policy changes and service-account impersonation map to canonical events; other
 * methods, and calls that were denied or failed, say nothing the graph keeps.
 */

const PLATFORM = 'gcp';
/** 9999-12-31T23:59:59Z: GCP's "never expires" for a user-managed key. */
const NEVER_EXPIRES_SECONDS = 253402300799;

interface AuditContext {
  readonly record: JsonObject;
  readonly payload: JsonObject;
  readonly method: string;
  readonly project: string | undefined;
  readonly actorId: string | undefined;
}

type Handler = (context: AuditContext) => EventDraft[];

export function isGcpAuditRecord(record: JsonObject): boolean {
  // A LogEntry's protoPayload naming a method is an audit record, whatever else an export kept.
  if (text(record, 'protoPayload.methodName') !== undefined) return true;
  if (text(record, 'protoPayload.@type')?.endsWith('google.cloud.audit.AuditLog') === true) return true;
  return text(record, 'logName')?.includes('cloudaudit.googleapis.com') === true;
}

export const decodeGcpAudit: NativeDecoder = (record) => {
  const payload = objectAt(record, 'protoPayload') ?? fail('protoPayload', 'is required');
  const method = need(record, 'protoPayload.methodName');
  const handler = HANDLERS[operationOf(method)];
  if (handler === undefined || failed(payload)) return [];

  const id = need(record, 'insertId');
  const time = normaliseTime(at(record, 'timestamp'), 'timestamp');
  const logName = text(record, 'logName') ?? '';
  const project = text(record, 'resource.labels.project_id') ?? /^projects\/([^/]+)\//.exec(logName)?.[1];
  // The tenant: the project, else the organization or folder the log belongs to.
  const tenant = project ?? /^((?:organizations|folders)\/[^/]+)\//.exec(logName)?.[1];
  const context: AuditContext = {
    record,
    payload,
    method,
    project,
    actorId: principalOf(text(payload, 'authenticationInfo.principalEmail')),
  };
  return canonicalEvents({ id, source: sourceOf('gcp.auditlog', tenant), time }, handler(context));
};

/** `google.iam.admin.v1.CreateServiceAccountKey` → `createserviceaccountkey`; `SetIamPolicy` in any service. */
function operationOf(method: string): string {
  const segments = method.split('.');
  return (segments[segments.length - 1] ?? method).toLowerCase();
}

/** Denied (every authorization check refused) or failed (a non-zero status code). */
function failed(payload: JsonObject): boolean {
  const code = at(payload, 'status.code');
  if (typeof code === 'number' && code !== 0) return true;
  const checks = listAt(payload, 'authorizationInfo');
  return checks.length > 0 && checks.every((check) => at(check, 'granted') === false);
}

const HANDLERS: Readonly<Record<string, Handler>> = {
  createserviceaccount: createServiceAccount,
  deleteserviceaccount: (c) => {
    const nhiId = serviceAccountNhi(c, [['request', 'name'], 'resourceName']);
    return [draft('iam.nhi.deleted', nhiId, { nhiId })];
  },
  createserviceaccountkey: createServiceAccountKey,
  deleteserviceaccountkey: (c) => {
    const field = 'protoPayload.request.name';
    const credentialId = keyCredential(
      firstText(c.payload, ['request.name', 'resourceName']) ?? fail(field, 'is required'),
      field,
    );
    return [draft('iam.credential.deleted', credentialId, { credentialId })];
  },
  setiampolicy: setIamPolicy,
  setiampermissions: setIamPolicy,
  generateaccesstoken: impersonation,
  generateidtoken: impersonation,
  signjwt: impersonation,
  signblob: impersonation,
};

function createServiceAccount(c: AuditContext): EventDraft[] {
  const accountId = text(c.payload, 'request.account_id') ?? text(c.payload, 'request.accountId');
  const project = /^projects\/([^/]+)/.exec(text(c.payload, 'request.name') ?? '')?.[1] ?? c.project;
  const email =
    text(c.payload, 'response.email') ??
    (accountId !== undefined && project !== undefined
      ? `${accountId}@${project}.iam.gserviceaccount.com`
      : fail('protoPayload.response.email', 'is required'));
  const nhiId = nodeId('NHI', PLATFORM, email.toLowerCase());
  return [
    draft('iam.nhi.created', nhiId, {
      nhiId,
      kind: 'service_account',
      name:
        firstText(c.payload, ['response.display_name', 'request.service_account.display_name']) ?? accountId ?? email,
      platform: PLATFORM,
      environment: environmentOf(project),
      createdBy: c.actorId,
      purpose: firstText(c.payload, ['request.service_account.description', 'response.description']),
    }),
  ];
}

function createServiceAccountKey(c: AuditContext): EventDraft[] {
  const keyName = need(c.record, 'protoPayload.response.name');
  const credentialId = keyCredential(keyName, 'protoPayload.response.name');
  // The key's name holds the account's e-mail; the request may name the account by its numeric id.
  const email =
    /serviceAccounts\/([^/]+@[^/]+)\/keys\//.exec(keyName)?.[1] ?? text(c.record, 'resource.labels.email_id');
  const nhiId = nodeId('NHI', PLATFORM, (email ?? fail('resource.labels.email_id', 'is required')).toLowerCase());
  return [
    draft('iam.credential.created', credentialId, {
      credentialId,
      nhiId,
      kind: 'sa_key',
      createdBy: c.actorId,
      expiresAt: keyExpiry(at(c.payload, 'response.valid_before_time')),
    }),
  ];
}

/** `valid_before_time` as `{seconds}` or RFC 3339; GCP's year-9999 sentinel means no expiry. */
function keyExpiry(value: unknown): string | undefined {
  const seconds = isObject(value) ? at(value, 'seconds') : undefined;
  if (typeof seconds === 'number')
    return seconds >= NEVER_EXPIRES_SECONDS
      ? undefined
      : normaliseTime(seconds, 'protoPayload.response.valid_before_time');
  if (typeof value !== 'string') return undefined;
  const time = normaliseTime(value, 'protoPayload.response.valid_before_time');
  return time.startsWith('9999-') ? undefined : time;
}

/**
 * IAM policy changes. `bindingDeltas` (ADD / REMOVE) map one to one; without deltas the new
 * policy's bindings are grants that hold from now on (what a replace removed cannot be known from
 * the record alone). Each grant is scoped to the resource the policy is on: the role
 * `role:gcp:<resource>/<role>` grants that resource at the role's level. Members that are not
 * identities (groups, domains, allUsers) are not mapped.
 */
function setIamPolicy(c: AuditContext): EventDraft[] {
  const resourceName =
    firstText(c.payload, ['resourceName', 'request.resource']) ?? fail('protoPayload.resourceName', 'is required');
  const deltas = listAt(c.payload, 'serviceData.policyDelta.bindingDeltas');
  const changes: { action: string; role: string; member: string }[] = [];
  if (deltas.length > 0) {
    deltas.forEach((delta, index) => {
      const field = `protoPayload.serviceData.policyDelta.bindingDeltas[${index}]`;
      changes.push({
        action: text(delta, 'action') ?? fail(`${field}.action`, 'is required'),
        role: text(delta, 'role') ?? fail(`${field}.role`, 'is required'),
        member: text(delta, 'member') ?? fail(`${field}.member`, 'is required'),
      });
    });
  } else {
    const bindings =
      listAt(c.payload, 'response.bindings').length > 0
        ? listAt(c.payload, 'response.bindings')
        : listAt(c.payload, 'request.policy.bindings');
    for (const binding of bindings) {
      const role = text(binding, 'role');
      if (role === undefined) continue;
      for (const member of listAt(binding, 'members'))
        if (typeof member === 'string') changes.push({ action: 'ADD', role, member });
    }
  }

  const resourceId = nodeId('Resource', PLATFORM, resourceName);
  const defined = new Set<string>();
  const drafts: EventDraft[] = [];
  for (const change of changes) {
    const principalId = memberPrincipal(change.member);
    if (principalId === undefined) continue;
    const roleId = nodeId('Role', PLATFORM, `${resourceName}/${change.role}`);
    if (change.action.toUpperCase() === 'REMOVE') {
      drafts.push(draft('iam.role.revoked', principalId, { principalId, roleId }));
      continue;
    }
    const [definition, grant] = scopedGrant({
      principalId,
      roleId,
      roleName: change.role,
      resourceId,
      level: levelOfWord(change.role),
      actions: [change.role],
    });
    if (definition !== undefined && !defined.has(roleId)) drafts.push(definition);
    if (grant !== undefined) drafts.push(grant);
    defined.add(roleId);
  }
  return drafts;
}

/**
 * Minting a token for, or signing as, a service account: a use of that account by the caller.
 * A person doing it is interactive use of an NHI (OWASP NHI10).
 */
function impersonation(c: AuditContext): EventDraft[] {
  const nhiId = serviceAccountNhi(c, [
    ['request', 'name'],
    ['metadata', 'identityDelegationChain', '0'],
  ]);
  const actorId = c.actorId;
  return [
    draft('audit.credential.used', nhiId, {
      nhiId,
      actorId,
      action: c.method.split('.').pop(),
      sourceIp: firstText(c.payload, ['requestMetadata.callerIp', 'requestMetadata.callerIP']),
      interactive: actorId?.startsWith('person:') === true,
    }),
  ];
}

// ---------------------------------------------------------------------------------------------
// Identities
// ---------------------------------------------------------------------------------------------

function isServiceAccountEmail(email: string): boolean {
  return /\.gserviceaccount\.com$/i.test(email);
}

/** The caller: a service account (NHI) or a person, by e-mail. */
function principalOf(email: string | undefined): string | undefined {
  if (!looksLikeEmail(email)) return undefined;
  return isServiceAccountEmail(email) ? nodeId('NHI', PLATFORM, email.toLowerCase()) : personId(email);
}

/** A policy member: `serviceAccount:x`, `user:x`, or a bare e-mail (taken as a user). */
function memberPrincipal(member: string): string | undefined {
  const colon = member.indexOf(':');
  const kind = colon < 0 ? 'user' : member.slice(0, colon);
  const email = colon < 0 ? member : member.slice(colon + 1);
  if (!looksLikeEmail(email)) return undefined;
  if (kind === 'serviceAccount') return nodeId('NHI', PLATFORM, email.toLowerCase());
  if (kind === 'user') return principalOf(email);
  return undefined;
}

/** The service account a request names (`projects/-/serviceAccounts/<email>`), else the log entry's resource label. */
function serviceAccountNhi(c: AuditContext, paths: readonly (readonly string[] | string)[]): string {
  for (const path of paths) {
    const name = text(c.payload, path);
    const email = name === undefined ? undefined : /(?:^|\/)([^/]+@[^/]+)$/.exec(name)?.[1];
    if (email !== undefined) return nodeId('NHI', PLATFORM, email.toLowerCase());
  }
  const label = text(c.record, 'resource.labels.email_id');
  return nodeId('NHI', PLATFORM, (label ?? fail('resource.labels.email_id', 'is required')).toLowerCase());
}

/** A key's name (`projects/p/serviceAccounts/sa@p.iam.gserviceaccount.com/keys/<id>`) → `cred:gcp:<id>`. */
function keyCredential(keyName: string, field: string): string {
  const keyId = /\/keys\/([^/]+)$/.exec(keyName)?.[1] ?? fail(field, 'is not a service account key name');
  return nodeId('Credential', PLATFORM, keyId);
}
