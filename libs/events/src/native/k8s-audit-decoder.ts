import type { AccessLevel } from '@lineage/domain';
import type { EventDraft, JsonObject, NativeDecoder } from './native-helpers';
import {
  at,
  canonicalEvents,
  draft,
  environmentOf,
  fail,
  firstText,
  levelOfWord,
  listAt,
  need,
  nodeId,
  normaliseTime,
  objectAt,
  personId,
  sourceOf,
  strongestLevel,
  text,
} from './native-helpers';

/**
 * Kubernetes audit events (audit.k8s.io Event, as the API server, EKS, GKE or AKS log them).
 * Service accounts, their token secrets and token requests, RBAC roles and bindings, and workloads
 * (with the service account they run as) map to canonical events. Reads, other resources,
 * requests still in progress and requests that failed say nothing the graph keeps. Audit events
 * do not name their cluster: ids assume one cluster per source (see docs/native-formats.md).
 */

const PLATFORM = 'k8s';

interface K8sContext {
  readonly record: JsonObject;
  readonly actorId: string | undefined;
}

type Handler = (context: K8sContext) => EventDraft[];

export function isK8sAuditRecord(record: JsonObject): boolean {
  if (text(record, 'kind') !== 'Event') return false;
  const audit = text(record, 'apiVersion')?.startsWith('audit.k8s.io') === true;
  return audit || text(record, 'auditID') !== undefined || text(record, 'verb') !== undefined;
}

export const decodeK8sAudit: NativeDecoder = (record) => {
  if (text(record, 'kind') !== 'Event') fail('kind', 'must be "Event" (a Kubernetes audit event)');
  const verb = need(record, 'verb');
  const resource = text(record, 'objectRef.resource');
  const subresource = text(record, 'objectRef.subresource');
  const handler = HANDLERS[`${verb} ${resource ?? ''}${subresource === undefined ? '' : `/${subresource}`}`];
  if (handler === undefined) return [];
  // Only a completed request changed anything, and only a successful one.
  const stage = text(record, 'stage');
  if (stage !== undefined && stage !== 'ResponseComplete') return [];
  const code = at(record, 'responseStatus.code');
  if (typeof code === 'number' && (code < 200 || code >= 300)) return [];

  const id = need(record, 'auditID');
  const time = normaliseTime(
    at(record, 'requestReceivedTimestamp') ?? at(record, 'stageTimestamp') ?? at(record, 'timestamp'),
    'requestReceivedTimestamp',
  );
  return canonicalEvents(
    { id, source: sourceOf('k8s.audit'), time },
    handler({ record, actorId: userId(text(record, 'user.username')) }),
  );
};

const WORKLOADS: Readonly<Record<string, readonly string[]>> = {
  deployments: ['spec', 'template', 'spec'],
  statefulsets: ['spec', 'template', 'spec'],
  daemonsets: ['spec', 'template', 'spec'],
  cronjobs: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

const HANDLERS: Readonly<Record<string, Handler>> = {
  'create serviceaccounts': (c) => {
    const { namespace, name } = objectName(c.record);
    const nhiId = serviceAccountNhi(namespace, name);
    return [
      draft('iam.nhi.created', nhiId, {
        nhiId,
        kind: 'service_account',
        name,
        platform: PLATFORM,
        environment: environmentOf(namespace),
        createdBy: c.actorId,
      }),
    ];
  },
  'delete serviceaccounts': (c) => {
    const { namespace, name } = objectName(c.record);
    const nhiId = serviceAccountNhi(namespace, name);
    return [draft('iam.nhi.deleted', nhiId, { nhiId })];
  },
  /**
   * A token minted for a service account (TokenRequest). These tokens are short-lived and minted
   * by the hundred, so they are recorded as a use of the account, not as credentials; a person
   * minting one is interactive use of an NHI.
   */
  'create serviceaccounts/token': (c) => {
    const { namespace, name } = objectName(c.record);
    const nhiId = serviceAccountNhi(namespace, name);
    return [
      draft('audit.credential.used', nhiId, {
        nhiId,
        actorId: c.actorId,
        action: 'serviceaccounts/token create',
        sourceIp: text(c.record, 'sourceIPs.0'),
        interactive: c.actorId?.startsWith('person:') === true,
      }),
    ];
  },
  'create secrets': createSecret,
  'delete secrets': (c) => {
    const { namespace, name } = objectName(c.record);
    if (tokenSecretAccount(name) === undefined) return [];
    const credentialId = secretCredential(namespace, name);
    return [draft('iam.credential.deleted', credentialId, { credentialId })];
  },
  'create clusterrolebindings': binding,
  'create rolebindings': binding,
  'create clusterroles': roleDefinition,
  'update clusterroles': roleDefinition,
  'create roles': roleDefinition,
  'update roles': roleDefinition,
  ...Object.fromEntries(Object.keys(WORKLOADS).map((resource) => [`create ${resource}`, workload])),
};

/**
 * A secret that holds a service account token: its type says so (Request-level logs), or, in
 * Metadata-level logs, the token controller created it under its `<account>-token-<suffix>`
 * name. The token is a credential of the account, kept in a Kubernetes secret. Other secrets
 * hold nothing we can attribute.
 */
function createSecret(c: K8sContext): EventDraft[] {
  const { namespace, name } = objectName(c.record);
  const body = objectAt(c.record, 'requestObject') ?? objectAt(c.record, 'responseObject');
  const type = text(body, 'type');
  let account: string | undefined;
  if (type === 'kubernetes.io/service-account-token')
    account = text(body, ['metadata', 'annotations', 'kubernetes.io/service-account.name']);
  else if (
    type === undefined &&
    text(c.record, 'user.username') === 'system:kube-controller-manager' &&
    text(c.record, 'userAgent')?.includes('tokens-controller') === true
  ) {
    account = tokenSecretAccount(name);
  }
  if (account === undefined) return [];
  const credentialId = secretCredential(namespace, name);
  const nhiId = serviceAccountNhi(namespace, account);
  return [
    draft('iam.credential.created', credentialId, { credentialId, nhiId, kind: 'api_token', createdBy: c.actorId }),
    draft('ci.secret.stored', credentialId, {
      credentialId,
      location: { kind: 'k8s_secret', id: nodeId('SecretStore', PLATFORM, `${namespace}/${name}`) },
    }),
  ];
}

function tokenSecretAccount(secretName: string): string | undefined {
  return /^(.+)-token-[a-z0-9]{5}$/.exec(secretName)?.[1];
}

/**
 * A (Cluster)RoleBinding grants its role to each subject: service accounts (NHIs) and users
 * (people; control-plane users are not). Groups are not identities. The binding's subjects are
 * only in Request-level logs. Deleting a binding is not mapped: the deletion names neither
 * role nor subjects.
 */
function binding(c: K8sContext): EventDraft[] {
  const body =
    objectAt(c.record, 'requestObject') ?? fail('requestObject', 'is required (log bindings at the Request level)');
  const namespace = firstText(c.record, ['objectRef.namespace', 'requestObject.metadata.namespace']);
  const roleKind = need(c.record, 'requestObject.roleRef.kind');
  const roleId = roleNodeId(roleKind, need(c.record, 'requestObject.roleRef.name'), namespace);
  const subjects = listAt(body, 'subjects');
  if (subjects.length === 0) fail('requestObject.subjects', 'is required');
  const drafts: EventDraft[] = [];
  for (const subject of subjects) {
    const kind = text(subject, 'kind');
    const name = text(subject, 'name');
    if (name === undefined) continue;
    const principalId =
      kind === 'ServiceAccount'
        ? serviceAccountNhi(
            text(subject, 'namespace') ?? namespace ?? fail('requestObject.subjects.namespace', 'is required'),
            name,
          )
        : kind === 'User'
          ? userId(name)
          : undefined;
    if (principalId !== undefined) drafts.push(draft('iam.role.granted', principalId, { principalId, roleId }));
  }
  return drafts;
}

/** A (Cluster)Role's rules as grants: each resource it names, at the strongest level of its verbs. */
function roleDefinition(c: K8sContext): EventDraft[] {
  const body =
    objectAt(c.record, 'requestObject') ?? fail('requestObject', 'is required (log roles at the Request level)');
  const cluster = text(c.record, 'objectRef.resource') === 'clusterroles';
  const { namespace, name } = objectName(c.record, !cluster);
  const roleId = roleNodeId(cluster ? 'ClusterRole' : 'Role', name, namespace);
  const grants = new Map<string, { level: AccessLevel; actions: Set<string> }>();
  for (const rule of listAt(body, 'rules')) {
    const verbs = listAt(rule, 'verbs').filter((verb): verb is string => typeof verb === 'string');
    const groups = listAt(rule, 'apiGroups').filter((group): group is string => typeof group === 'string');
    const resources = listAt(rule, 'resources').filter((resource): resource is string => typeof resource === 'string');
    for (const group of groups.length > 0 ? groups : ['']) {
      for (const resource of resources) {
        const resourceId = nodeId(
          'Resource',
          PLATFORM,
          `${cluster ? 'cluster' : namespace}/${group === '' ? 'core' : group}/${resource}`,
        );
        const known = grants.get(resourceId) ?? { level: 'read', actions: new Set<string>() };
        verbs.forEach((verb) => known.actions.add(verb));
        known.level = strongestLevel([known.level, ...verbs.map(levelOfWord)]);
        grants.set(resourceId, known);
      }
    }
  }
  return [
    draft('iam.role.defined', roleId, {
      roleId,
      name,
      grants: [...grants].map(([resourceId, grant]) => ({
        resourceId,
        actions: [...grant.actions],
        level: grant.level,
      })),
    }),
  ];
}

/** A workload and the service account its pods run as (`default` when the spec names none). */
function workload(c: K8sContext): EventDraft[] {
  const { namespace, name } = objectName(c.record);
  const resource = need(c.record, 'objectRef.resource');
  const podSpec = objectAt(c.record, ['requestObject', ...(WORKLOADS[resource] ?? [])]);
  const account =
    podSpec === undefined
      ? undefined
      : (text(podSpec, 'serviceAccountName') ?? text(podSpec, 'serviceAccount') ?? 'default');
  const workloadId = nodeId('Workload', PLATFORM, `${namespace}/${resource}/${name}`);
  return [
    draft('workload.deployed', workloadId, {
      workloadId,
      name,
      runsAs: account === undefined ? undefined : serviceAccountNhi(namespace, account),
      environment: environmentOf(namespace),
    }),
  ];
}

// ---------------------------------------------------------------------------------------------
// Names and identities
// ---------------------------------------------------------------------------------------------

/** The object's namespace and name, from `objectRef`, the request body, or the request URI. */
function objectName(record: JsonObject, namespaced = true): { namespace: string; name: string } {
  const uri = text(record, 'requestURI') ?? '';
  const name =
    firstText(record, ['objectRef.name', 'requestObject.metadata.name', 'responseObject.metadata.name']) ??
    fail('objectRef.name', 'is required');
  if (!namespaced) return { namespace: 'cluster', name };
  const namespace =
    firstText(record, ['objectRef.namespace', 'requestObject.metadata.namespace']) ??
    /\/namespaces\/([^/?]+)/.exec(uri)?.[1] ??
    fail('objectRef.namespace', 'is required');
  return { namespace, name };
}

function serviceAccountNhi(namespace: string, name: string): string {
  return nodeId('NHI', PLATFORM, `${namespace}/${name}`);
}

function secretCredential(namespace: string, name: string): string {
  return nodeId('Credential', PLATFORM, `${namespace}/secret/${name}`);
}

function roleNodeId(kind: string, name: string, namespace: string | undefined): string {
  if (kind === 'ClusterRole') return nodeId('Role', PLATFORM, `clusterrole/${name}`);
  return nodeId('Role', PLATFORM, `role/${namespace ?? fail('objectRef.namespace', 'is required')}/${name}`);
}

/**
 * A Kubernetes user name as a node: `system:serviceaccount:<ns>:<name>` is a service account;
 * other `system:` and `eks:` users are the control plane (not named); anyone else is a person.
 */
function userId(username: string | undefined): string | undefined {
  if (username === undefined) return undefined;
  const account = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(username);
  if (account?.[1] !== undefined && account[2] !== undefined) return serviceAccountNhi(account[1], account[2]);
  if (/^(system|eks|aks|gke):/.test(username) || username === 'system:anonymous') return undefined;
  return personId(username);
}
