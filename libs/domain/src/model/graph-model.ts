/**
 * The graph model, declared once as data. Node kinds, relationship kinds, which kinds a
 * relationship may join, and the attributes each kind carries. DDL, Neo4j constraints, GraphQL
 * enums and validation are all derived from these declarations; label strings appear nowhere else.
 */

export const NODE_KINDS = {
  Person: {
    idPrefix: 'person',
    attributes: ['email', 'employmentType', 'status', 'managerId', 'department', 'title', 'leftAt'],
  },
  NHI: {
    idPrefix: 'nhi',
    attributes: ['nhiKind', 'platform', 'environment', 'purpose', 'expiresAt', 'lastUsedAt'],
  },
  Credential: {
    idPrefix: 'cred',
    attributes: [
      'credentialKind',
      'createdAt',
      'expiresAt',
      'lastRotatedAt',
      'lastUsedAt',
      'status',
      'fingerprint',
      'rotatedTo',
    ],
  },
  Workload: { idPrefix: 'workload', attributes: ['workloadKind', 'environment', 'repo'] },
  Vendor: { idPrefix: 'vendor', attributes: ['contractStatus', 'endedAt'] },
  Role: { idPrefix: 'role', attributes: [] },
  Resource: { idPrefix: 'resource', attributes: ['resourceKind'] },
  SecretStore: { idPrefix: 'store', attributes: ['storeKind', 'vault'] },
} as const;

export type NodeKind = keyof typeof NODE_KINDS;
export const NODE_KIND_NAMES = Object.keys(NODE_KINDS) as NodeKind[];

export const RELATION_KINDS = {
  MANAGES: { from: ['Person'], to: ['Person'] },
  OWNS: { from: ['Person'], to: ['NHI', 'Workload'] },
  CREATED: { from: ['Person', 'NHI', 'Workload'], to: ['NHI', 'Credential'] },
  AUTHENTICATES: { from: ['Credential'], to: ['NHI'] },
  RUNS_AS: { from: ['Workload'], to: ['NHI'] },
  USES: { from: ['Workload'], to: ['Credential'] },
  STORED_IN: { from: ['Credential'], to: ['SecretStore'] },
  HAS_ROLE: { from: ['NHI', 'Person'], to: ['Role'] },
  /** Role → Role is our extension: a role that may assume another (AWS role chaining). */
  CAN_ASSUME: { from: ['NHI', 'Workload', 'Role'], to: ['Role'] },
  GRANTS: { from: ['Role'], to: ['Resource'] },
  SUPPLIES: { from: ['Vendor'], to: ['NHI'] },
  SPONSORS: { from: ['Person'], to: ['Vendor'] },
  USED: { from: ['Person'], to: ['NHI', 'Credential'] },
  /** Observed use of a resource by an NHI (from audit events); our extension, feeds NHI5. */
  ACCESSED: { from: ['NHI', 'Credential'], to: ['Resource'] },
  /** A workload deployed by a CI pipeline (ci.pipeline.ran deployedTo); our extension. */
  DEPLOYS: { from: ['Workload'], to: ['Workload'] },
} as const satisfies Record<string, { from: readonly NodeKind[]; to: readonly NodeKind[] }>;

export type RelationKind = keyof typeof RELATION_KINDS;
export const RELATION_KIND_NAMES = Object.keys(RELATION_KINDS) as RelationKind[];

export const CONFIDENCES = ['declared', 'observed', 'inferred'] as const;
export type Confidence = (typeof CONFIDENCES)[number];

export const NHI_KINDS = [
  'service_account',
  'machine_user',
  'oauth_app',
  'github_app',
  'bot',
  'ai_agent',
  'workload_identity',
  'api_token',
] as const;
export type NhiKind = (typeof NHI_KINDS)[number];

export const CREDENTIAL_KINDS = [
  'access_key',
  'sa_key',
  'api_token',
  'pat',
  'client_secret',
  'certificate',
  'ssh_key',
  'oidc_trust',
] as const;
export type CredentialKind = (typeof CREDENTIAL_KINDS)[number];

export const ENVIRONMENTS = ['prod', 'staging', 'dev'] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

export const ACCESS_LEVELS = ['read', 'write', 'admin'] as const;
export type AccessLevel = (typeof ACCESS_LEVELS)[number];

/** Secret-store kinds that are vaults unless a store says otherwise. */
export const VAULT_STORE_KINDS = ['vault', 'secrets_manager', 'key_vault', 'secret_manager', 'k8s_secret'] as const;

export function levelRank(level: AccessLevel): number {
  return ACCESS_LEVELS.indexOf(level);
}

/**
 * The kind an id names, from its namespace prefix (`person:e1001` → Person), or `fallback`
 * when the prefix names none of `allowed`. References to nodes not seen yet use it.
 */
export function inferKind(id: string, allowed: readonly NodeKind[], fallback: NodeKind): NodeKind {
  const colon = id.indexOf(':');
  if (colon > 0) {
    const prefix = id.slice(0, colon);
    for (const kind of allowed) if (NODE_KINDS[kind].idPrefix === prefix) return kind;
  }
  return fallback;
}

export function isNodeKind(value: unknown): value is NodeKind {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(NODE_KINDS, value);
}

export function isRelationKind(value: unknown): value is RelationKind {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(RELATION_KINDS, value);
}
