import type { EventDraft, JsonObject, NativeDecoder } from './native-helpers';
import {
  at,
  canonicalEvents,
  contentId,
  draft,
  fail,
  firstText,
  isObject,
  levelOfWord,
  listAt,
  looksLikeEmail,
  need,
  nodeId,
  normaliseTime,
  personId,
  scopedGrant,
  sourceOf,
  text,
} from './native-helpers';

/**
 * Entra ID (Azure AD) audit logs as Azure Monitor exports them (`operationName`, `category`,
 * `properties.targetResources`…). Service principals, their credentials and role membership map
 * to canonical events. Office 365 Management API records of the AzureActiveDirectory workload are
 * recognised too; what they hold (sign-ins, user updates) says nothing the graph keeps.
 */

const PLATFORM = 'azure';

interface EntraContext {
  readonly record: JsonObject;
  readonly id: string;
  readonly tenant: string | undefined;
  readonly actorId: string | undefined;
  readonly targets: readonly JsonObject[];
}

type Handler = (context: EntraContext) => EventDraft[];

export function isEntraRecord(record: JsonObject): boolean {
  const azureMonitor =
    text(record, 'operationName') !== undefined &&
    text(record, 'category') !== undefined &&
    isObject(at(record, 'properties')) &&
    (text(record, 'tenantId') !== undefined || text(record, 'resourceId') !== undefined);
  if (azureMonitor) return true;
  return (
    text(record, 'Operation') !== undefined &&
    (text(record, 'Workload') === 'AzureActiveDirectory' || at(record, 'AzureActiveDirectoryEventType') !== undefined)
  );
}

export const decodeEntraAudit: NativeDecoder = (record) => {
  // Office 365 Management API (AzureActiveDirectory workload): logins and user updates only.
  if (!isObject(at(record, 'properties'))) {
    need(record, 'Operation');
    return [];
  }
  const operation = need(record, 'operationName');
  const handler = HANDLERS[operation.toLowerCase()];
  if (handler === undefined) return [];
  const result = firstText(record, ['properties.result', 'result', 'resultType']);
  if (result !== undefined && result.toLowerCase() !== 'success') return [];

  // The audit record's own id; Azure Monitor exports may drop it, and then its content stands in.
  const id = text(record, 'properties.id') ?? contentId(record);
  const time = normaliseTime(at(record, 'properties.activityDateTime') ?? at(record, 'time'), 'time');
  const tenant = firstText(record, ['tenantId', 'properties.tenantId']);
  const targets = listAt(record, 'properties.targetResources').filter(isObject);
  const context: EntraContext = { record, id, tenant, actorId: initiator(record), targets };
  return canonicalEvents({ id, source: sourceOf('azure.entra', tenant), time }, handler(context));
};

const HANDLERS: Readonly<Record<string, Handler>> = {
  'add service principal': (c) => {
    const target = targetOf(c, 'ServicePrincipal');
    const nhiId = servicePrincipalNhi(target);
    return [
      draft('iam.nhi.created', nhiId, {
        nhiId,
        kind: 'workload_identity',
        name: text(target.value, 'displayName'),
        platform: PLATFORM,
        createdBy: c.actorId,
      }),
    ];
  },
  'delete service principal': (c) => {
    const nhiId = servicePrincipalNhi(targetOf(c, 'ServicePrincipal'));
    return [draft('iam.nhi.deleted', nhiId, { nhiId })];
  },
  'add service principal credentials': addCredential,
  'remove service principal credentials': removeCredential,
  'add member to role': (c) => [directoryRoleMembership(c, 'iam.role.granted')],
  'add member to role in pim completed (permanent)': (c) => [directoryRoleMembership(c, 'iam.role.granted')],
  'add member to role in pim completed (timebound)': (c) => [directoryRoleMembership(c, 'iam.role.granted')],
  'remove member from role': (c) => [directoryRoleMembership(c, 'iam.role.revoked')],
  'add role assignment': (c) => roleAssignment(c, 'grant'),
  'delete role assignment': (c) => roleAssignment(c, 'revoke'),
};

/**
 * A new client secret or certificate on a service principal. `KeyDescription` holds
 * `[KeyIdentifier=…,KeyType=…]` in Entra's records; when it names no key id (a trimmed export),
 * the credential is named after the audit record that created it.
 */
function addCredential(c: EntraContext): EventDraft[] {
  const target = targetOf(c, 'ServicePrincipal');
  const nhiId = servicePrincipalNhi(target);
  const description = modifiedValue(target.value, 'KeyDescription', 'newValue');
  const keyId = /KeyIdentifier=([0-9A-Za-z-]+)/.exec(description ?? '')?.[1] ?? c.id;
  const keyType =
    /KeyType=(\w+)/.exec(description ?? '')?.[1] ?? unquote(modifiedValue(target.value, 'KeyType', 'newValue'));
  const credentialId = nodeId('Credential', PLATFORM, `${idOf(target)}/${keyId}`);
  return [
    draft('iam.credential.created', credentialId, {
      credentialId,
      nhiId,
      kind: keyType?.toLowerCase().includes('cert') === true ? 'certificate' : 'client_secret',
      createdBy: c.actorId,
    }),
  ];
}

function removeCredential(c: EntraContext): EventDraft[] {
  const target = targetOf(c, 'ServicePrincipal');
  const description = modifiedValue(target.value, 'KeyDescription', 'oldValue');
  const keyId =
    /KeyIdentifier=([0-9A-Za-z-]+)/.exec(description ?? '')?.[1] ??
    fail(`properties.targetResources[${target.index}].modifiedProperties.KeyDescription`, 'names no KeyIdentifier');
  const credentialId = nodeId('Credential', PLATFORM, `${idOf(target)}/${keyId}`);
  return [draft('iam.credential.deleted', credentialId, { credentialId })];
}

/** Directory roles (Entra roles such as Application Administrator) held by a user or a service principal. */
function directoryRoleMembership(c: EntraContext, type: 'iam.role.granted' | 'iam.role.revoked'): EventDraft {
  const role = targetOf(c, 'Role');
  const roleId = nodeId(
    'Role',
    PLATFORM,
    `${c.tenant ?? fail('tenantId', 'is required')}/directoryRoles/${idOf(role)}`,
  );
  const principalId = memberOf(c);
  return draft(type, principalId, { principalId, roleId });
}

/** Azure RBAC: a role (`RoleName`) on a scope (`Scope`), both in `additionalDetails`. */
function roleAssignment(c: EntraContext, change: 'grant' | 'revoke'): EventDraft[] {
  const roleName = detail(c, 'RoleName') ?? fail('properties.additionalDetails.RoleName', 'is required');
  // Azure resource ids start with `/`; the node ids leave it out.
  const scope = (detail(c, 'Scope') ?? fail('properties.additionalDetails.Scope', 'is required')).replace(/^\/+/, '');
  const principalId = memberOf(c);
  const roleId = nodeId('Role', PLATFORM, `${scope}/${roleName}`);
  if (change === 'revoke') return [draft('iam.role.revoked', principalId, { principalId, roleId })];
  return scopedGrant({
    principalId,
    roleId,
    roleName,
    resourceId: nodeId('Resource', PLATFORM, scope),
    level: levelOfWord(roleName),
    actions: [roleName],
  });
}

// ---------------------------------------------------------------------------------------------
// Targets and identities
// ---------------------------------------------------------------------------------------------

interface Target {
  readonly value: JsonObject;
  readonly index: number;
}

function targetOf(c: EntraContext, type: string): Target {
  const index = c.targets.findIndex((target) => text(target, 'type')?.toLowerCase() === type.toLowerCase());
  const value = c.targets[index];
  if (value === undefined) fail('properties.targetResources', `names no ${type}`);
  return { value, index };
}

function idOf(target: Target): string {
  return text(target.value, 'id') ?? fail(`properties.targetResources[${target.index}].id`, 'is required');
}

function servicePrincipalNhi(target: Target): string {
  return nodeId('NHI', PLATFORM, idOf(target));
}

/** The user or service principal a role change is about. Users are people, by UPN when the record has one. */
function memberOf(c: EntraContext): string {
  const index = c.targets.findIndex((target) =>
    ['user', 'serviceprincipal'].includes(text(target, 'type')?.toLowerCase() ?? ''),
  );
  const value = c.targets[index];
  if (value === undefined) fail('properties.targetResources', 'names no User or ServicePrincipal');
  const target = { value, index };
  if (text(value, 'type')?.toLowerCase() === 'serviceprincipal') return servicePrincipalNhi(target);
  const upn = text(value, 'userPrincipalName');
  return looksLikeEmail(upn) ? personId(upn) : personId(`azure:${idOf(target)}`);
}

/** Who did it: a user (a person, by UPN) or an application (its service principal, an NHI). */
function initiator(record: JsonObject): string | undefined {
  const upn = text(record, 'properties.initiatedBy.user.userPrincipalName');
  if (looksLikeEmail(upn)) return personId(upn);
  const app = text(record, 'properties.initiatedBy.app.servicePrincipalId');
  return app === undefined ? undefined : nodeId('NHI', PLATFORM, app);
}

function modifiedValue(target: JsonObject, name: string, side: 'newValue' | 'oldValue'): string | undefined {
  const property = listAt(target, 'modifiedProperties').find((item) => text(item, 'displayName') === name);
  return text(property, side);
}

function detail(c: EntraContext, key: string): string | undefined {
  const entry = listAt(c.record, 'properties.additionalDetails').find((item) => text(item, 'key') === key);
  return text(entry, 'value');
}

/** Entra writes modified values as JSON strings (`"\"Password\""`). */
function unquote(value: string | undefined): string | undefined {
  return value?.replace(/^"+|"+$/g, '');
}
