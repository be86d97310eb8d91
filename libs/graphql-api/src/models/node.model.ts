import { Field, GraphQLISODateTime, ID, InterfaceType, ObjectType } from '@nestjs/graphql';
import type { AttributeValue, Attributes, EpochMs, GraphNode, Lineage, NodeKind } from '@lineage/domain';

/**
 * Graph nodes as GraphQL types. Every node kind is a type of its own implementing `Node`; the
 * type's name is the node kind. Resolvers hand GraphQL plain "views" built by `toNodeView`:
 * the node's properties flattened, times as `Date` (the domain's epoch ms are converted here,
 * at the edge), and the `asOf` the view was read at, so that walking on from it answers as of
 * the same time.
 */
@InterfaceType('Node', {
  description:
    'Any node of the lineage graph. `kind` is the node kind (Person, NHI, Credential, …), which is also its GraphQL type.',
  resolveType: (node: { kind: NodeKind }) => node.kind,
})
export abstract class NodeModel {
  @Field(() => ID, { description: 'The id the events carried, unchanged.' })
  id!: string;

  @Field(() => String)
  kind!: NodeKind;

  @Field(() => String, { nullable: true })
  name!: string | null;
}

@ObjectType({ isAbstract: true })
export abstract class GraphNodeFields {
  @Field(() => ID, { description: 'The id the events carried, unchanged.' })
  id!: string;

  @Field(() => String)
  kind!: NodeKind;

  @Field(() => String, { nullable: true })
  name!: string | null;

  @Field(() => String, { nullable: true, description: 'The CloudEvents source that last described it.' })
  source!: string | null;

  @Field(() => GraphQLISODateTime)
  firstSeen!: Date;

  @Field(() => GraphQLISODateTime)
  lastSeen!: Date;

  @Field(() => GraphQLISODateTime, { description: 'When it started to exist (event time).' })
  validFrom!: Date;

  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description: 'When it stopped existing (deleted, event time); null while it exists.',
  })
  validTo!: Date | null;

  @Field(() => Boolean, { description: 'Known only from references so far: no event has described it yet.' })
  placeholder!: boolean;

  /** The time this view answers as of (not a GraphQL field). */
  asOf!: EpochMs;
}

@ObjectType('Person', { implements: () => [NodeModel] })
export class PersonModel extends GraphNodeFields {
  @Field(() => String, { nullable: true }) email!: string | null;
  @Field(() => String, { nullable: true, description: 'employee | contractor' }) employmentType!: string | null;
  @Field(() => String, { nullable: true, description: 'active | left' }) status!: string | null;
  @Field(() => String, { nullable: true }) department!: string | null;
  @Field(() => String, { nullable: true }) title!: string | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) leftAt!: Date | null;
}

@ObjectType('NHI', {
  implements: () => [NodeModel],
  description:
    'A non-human identity: service account, machine user, OAuth or GitHub app, bot, AI agent, workload identity, API token.',
})
export class NhiModel extends GraphNodeFields {
  @Field(() => String, {
    nullable: true,
    description: 'service_account, machine_user, oauth_app, github_app, bot, ai_agent, workload_identity, api_token',
  })
  nhiKind!: string | null;
  @Field(() => String, { nullable: true }) platform!: string | null;
  @Field(() => String, { nullable: true, description: 'prod | staging | dev' }) environment!: string | null;
  @Field(() => String, { nullable: true }) purpose!: string | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) expiresAt!: Date | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) lastUsedAt!: Date | null;
  /** A lineage already resolved for this NHI at `asOf` (orphans come with theirs); saves a store call. */
  knownLineage?: Lineage;
}

@ObjectType('Credential', { implements: () => [NodeModel] })
export class CredentialModel extends GraphNodeFields {
  @Field(() => String, {
    nullable: true,
    description: 'access_key, sa_key, api_token, pat, client_secret, certificate, ssh_key, oidc_trust',
  })
  credentialKind!: string | null;
  @Field(() => String, { nullable: true, description: 'active | disabled | deleted' }) status!: string | null;
  @Field(() => String, { nullable: true, description: 'A fingerprint of the secret; never the secret.' }) fingerprint!:
    string | null;
  @Field(() => ID, { nullable: true, description: 'The credential that replaced it when it was rotated.' }) rotatedTo!:
    string | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) createdAt!: Date | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) expiresAt!: Date | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) lastRotatedAt!: Date | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) lastUsedAt!: Date | null;
}

@ObjectType('Workload', {
  implements: () => [NodeModel],
  description: 'A service, deployment, function, CI pipeline or repository.',
})
export class WorkloadModel extends GraphNodeFields {
  @Field(() => String, { nullable: true }) workloadKind!: string | null;
  @Field(() => String, { nullable: true }) environment!: string | null;
  @Field(() => String, { nullable: true }) repo!: string | null;
}

@ObjectType('Vendor', { implements: () => [NodeModel] })
export class VendorModel extends GraphNodeFields {
  @Field(() => String, { nullable: true, description: 'active | ended' }) contractStatus!: string | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) endedAt!: Date | null;
}

@ObjectType('Role', {
  implements: () => [NodeModel],
  description: 'A set of permissions: a cloud role, a policy, a group.',
})
export class RoleModel extends GraphNodeFields {}

@ObjectType('Resource', {
  implements: () => [NodeModel],
  description: 'What permissions reach: an account, a project, a bucket, a database, a repository, a secret.',
})
export class ResourceModel extends GraphNodeFields {
  @Field(() => String, { nullable: true }) resourceKind!: string | null;
}

@ObjectType('SecretStore', {
  implements: () => [NodeModel],
  description: 'Where a credential is kept: a vault path, a CI variable, a Kubernetes secret, a file in a repository.',
})
export class SecretStoreModel extends GraphNodeFields {
  @Field(() => String, { nullable: true }) storeKind!: string | null;
  @Field(() => Boolean, { nullable: true, description: 'Whether the store is a vault.' }) vault!: boolean | null;
}

export type NodeView =
  PersonModel | NhiModel | CredentialModel | WorkloadModel | VendorModel | RoleModel | ResourceModel | SecretStoreModel;

/** The view of a graph node as of `asOf`. */
export function toNodeView(node: GraphNode, asOf: EpochMs): NodeView {
  const a = node.attributes;
  const base = {
    id: node.id,
    kind: node.kind,
    name: node.name,
    source: node.source,
    firstSeen: new Date(node.firstSeen),
    lastSeen: new Date(node.lastSeen),
    validFrom: new Date(node.validFrom),
    validTo: node.validTo === null ? null : new Date(node.validTo),
    placeholder: node.placeholder,
    asOf,
  };
  switch (node.kind) {
    case 'Person':
      return {
        ...base,
        email: text(a, 'email'),
        employmentType: text(a, 'employmentType'),
        status: text(a, 'status'),
        department: text(a, 'department'),
        title: text(a, 'title'),
        leftAt: time(a, 'leftAt'),
      } satisfies PersonModel;
    case 'NHI':
      return {
        ...base,
        nhiKind: text(a, 'nhiKind'),
        platform: text(a, 'platform'),
        environment: text(a, 'environment'),
        purpose: text(a, 'purpose'),
        expiresAt: time(a, 'expiresAt'),
        lastUsedAt: time(a, 'lastUsedAt'),
      } satisfies NhiModel;
    case 'Credential':
      return {
        ...base,
        credentialKind: text(a, 'credentialKind'),
        status: text(a, 'status'),
        fingerprint: text(a, 'fingerprint'),
        rotatedTo: text(a, 'rotatedTo'),
        createdAt: time(a, 'createdAt'),
        expiresAt: time(a, 'expiresAt'),
        lastRotatedAt: time(a, 'lastRotatedAt'),
        lastUsedAt: time(a, 'lastUsedAt'),
      } satisfies CredentialModel;
    case 'Workload':
      return {
        ...base,
        workloadKind: text(a, 'workloadKind'),
        environment: text(a, 'environment'),
        repo: text(a, 'repo'),
      } satisfies WorkloadModel;
    case 'Vendor':
      return { ...base, contractStatus: text(a, 'contractStatus'), endedAt: time(a, 'endedAt') } satisfies VendorModel;
    case 'Role':
      return base satisfies RoleModel;
    case 'Resource':
      return { ...base, resourceKind: text(a, 'resourceKind') } satisfies ResourceModel;
    case 'SecretStore':
      return { ...base, storeKind: text(a, 'storeKind'), vault: flag(a, 'vault') } satisfies SecretStoreModel;
  }
}

/** The view when the node is of `kind`, else null (a lookup by the wrong kind finds nothing). */
export function viewOfKind(node: GraphNode | null | undefined, kind: NodeKind, asOf: EpochMs): NodeView | null {
  return node && node.kind === kind ? toNodeView(node, asOf) : null;
}

export function personView(node: GraphNode | null | undefined, asOf: EpochMs): PersonModel | null {
  return node?.kind === 'Person' ? (toNodeView(node, asOf) as PersonModel) : null;
}

export function nhiView(node: GraphNode, asOf: EpochMs, knownLineage?: Lineage): NhiModel {
  const view = toNodeView(node, asOf) as NhiModel;
  return knownLineage ? { ...view, knownLineage } : view;
}

function text(attributes: Attributes, key: string): string | null {
  const value: AttributeValue | undefined = attributes[key];
  if (value === undefined || value === null) return null;
  return Array.isArray(value) ? value.join(',') : String(value);
}

/** Times are epoch ms in the graph; an ISO string from an older writer is read too. */
function time(attributes: Attributes, key: string): Date | null {
  const value = attributes[key];
  if (typeof value === 'number' && Number.isFinite(value)) return new Date(value);
  if (typeof value === 'string') {
    const parsed = Date.parse(value);
    return Number.isNaN(parsed) ? null : new Date(parsed);
  }
  return null;
}

function flag(attributes: Attributes, key: string): boolean | null {
  const value = attributes[key];
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  return null;
}
