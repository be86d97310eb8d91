import { Inject } from '@nestjs/common';
import { Args, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import type { GraphStore, Neighbour } from '@lineage/domain';
import { ACCESS_LEVELS, GRAPH_STORE, notFound } from '@lineage/domain';
import { Roles } from '@lineage/auth';
import { PageArgs } from '../args/query.args';
import type { ConnectionShape } from '../models/connection.model';
import {
  CredentialConnection,
  NhiConnection,
  NodeConnection,
  PersonConnection,
  RoleConnection,
  WorkloadConnection,
} from '../models/connections';
import { GrantConnection, GrantModel } from '../models/grant.model';
import { LineageModel, toLineageModel } from '../models/lineage.model';
import type { NodeView } from '../models/node.model';
import {
  CredentialModel,
  NhiModel,
  NodeModel,
  PersonModel,
  ResourceModel,
  RoleModel,
  SecretStoreModel,
  VendorModel,
  WorkloadModel,
  toNodeView,
} from '../models/node.model';
import { GraphWalker } from './graph-walker';

/**
 * Graph walking: the fields that lead from one node to its neighbours, each one relationship
 * through `GraphWalker` (Relay connections where the list can grow), as of the time the parent
 * was read at. Parents are typed `Readonly<…>` so that the global ValidationPipe, which checks
 * class-typed parameters, leaves them alone.
 */

type Walk<T> = Promise<ConnectionShape<T>>;

@Resolver(() => PersonModel)
@Roles('analyst')
export class PersonWalkResolver {
  constructor(private readonly walk: GraphWalker) {}

  @ResolveField(() => PersonModel, { nullable: true })
  manager(@Parent() person: Readonly<PersonModel>): Promise<PersonModel | null> {
    return this.walk.one<PersonModel>(person, 'MANAGES', 'in');
  }

  @ResolveField(() => PersonConnection, { description: 'People this person manages.' })
  reports(@Parent() person: Readonly<PersonModel>, @Args() page: PageArgs): Walk<PersonModel> {
    return this.walk.connection(person, 'MANAGES', 'out', page);
  }

  @ResolveField(() => NodeConnection, { description: 'NHIs and workloads this person is the declared owner of.' })
  owns(@Parent() person: Readonly<PersonModel>, @Args() page: PageArgs): Walk<NodeView> {
    return this.walk.connection(person, 'OWNS', 'out', page);
  }

  @ResolveField(() => NodeConnection, { description: 'NHIs and credentials this person created.' })
  created(@Parent() person: Readonly<PersonModel>, @Args() page: PageArgs): Walk<NodeView> {
    return this.walk.connection(person, 'CREATED', 'out', page);
  }

  @ResolveField(() => RoleConnection)
  roles(@Parent() person: Readonly<PersonModel>, @Args() page: PageArgs): Walk<RoleModel> {
    return this.walk.connection(person, 'HAS_ROLE', 'out', page);
  }

  @ResolveField(() => [VendorModel], { description: 'Vendors this person sponsors.' })
  sponsors(@Parent() person: Readonly<PersonModel>): Promise<VendorModel[]> {
    return this.walk.list<VendorModel>(person, 'SPONSORS', 'out');
  }

  @ResolveField(() => NodeConnection, {
    description: 'NHIs and credentials this person used as if they were a machine (NHI10).',
  })
  used(@Parent() person: Readonly<PersonModel>, @Args() page: PageArgs): Walk<NodeView> {
    return this.walk.connection(person, 'USED', 'out', page);
  }
}

@Resolver(() => NhiModel)
@Roles('analyst')
export class NhiWalkResolver {
  constructor(
    private readonly walk: GraphWalker,
    @Inject(GRAPH_STORE) private readonly store: GraphStore,
  ) {}

  @ResolveField(() => CredentialConnection, { description: 'Credentials that authenticate as this NHI.' })
  credentials(@Parent() nhi: Readonly<NhiModel>, @Args() page: PageArgs): Walk<CredentialModel> {
    return this.walk.connection(nhi, 'AUTHENTICATES', 'in', page);
  }

  @ResolveField(() => RoleConnection, { description: 'Roles granted to it.' })
  roles(@Parent() nhi: Readonly<NhiModel>, @Args() page: PageArgs): Walk<RoleModel> {
    return this.walk.connection(nhi, 'HAS_ROLE', 'out', page);
  }

  @ResolveField(() => RoleConnection, { description: 'Roles it is trusted to assume.' })
  assumableRoles(@Parent() nhi: Readonly<NhiModel>, @Args() page: PageArgs): Walk<RoleModel> {
    return this.walk.connection(nhi, 'CAN_ASSUME', 'out', page);
  }

  @ResolveField(() => [PersonModel], { description: 'Its declared owners.' })
  owners(@Parent() nhi: Readonly<NhiModel>): Promise<PersonModel[]> {
    return this.walk.list<PersonModel>(nhi, 'OWNS', 'in');
  }

  @ResolveField(() => NodeModel, {
    nullable: true,
    description: 'Who or what created it: a person, an NHI or a workload.',
  })
  creator(@Parent() nhi: Readonly<NhiModel>): Promise<NodeView | null> {
    return this.walk.one(nhi, 'CREATED', 'in');
  }

  @ResolveField(() => NodeConnection, { description: 'NHIs and credentials it created.' })
  created(@Parent() nhi: Readonly<NhiModel>, @Args() page: PageArgs): Walk<NodeView> {
    return this.walk.connection(nhi, 'CREATED', 'out', page);
  }

  @ResolveField(() => WorkloadConnection, { description: 'Workloads that run as it.' })
  workloads(@Parent() nhi: Readonly<NhiModel>, @Args() page: PageArgs): Walk<WorkloadModel> {
    return this.walk.connection(nhi, 'RUNS_AS', 'in', page);
  }

  @ResolveField(() => VendorModel, { nullable: true, description: 'The vendor that supplies it.' })
  supplier(@Parent() nhi: Readonly<NhiModel>): Promise<VendorModel | null> {
    return this.walk.one<VendorModel>(nhi, 'SUPPLIES', 'in');
  }

  @ResolveField(() => PersonConnection, { description: 'People who used it as if they were a machine (NHI10).' })
  usedBy(@Parent() nhi: Readonly<NhiModel>, @Args() page: PageArgs): Walk<PersonModel> {
    return this.walk.connection(nhi, 'USED', 'in', page);
  }

  @ResolveField(() => LineageModel, { description: 'Who is accountable for it, as of the time it was read at.' })
  async lineage(@Parent() nhi: Readonly<NhiModel>): Promise<LineageModel> {
    const lineage = nhi.knownLineage ?? (await this.store.lineage(nhi.id, nhi.asOf));
    if (!lineage) throw notFound('NHI', nhi.id);
    return toLineageModel(lineage, nhi.asOf);
  }
}

@Resolver(() => CredentialModel)
@Roles('analyst')
export class CredentialWalkResolver {
  constructor(private readonly walk: GraphWalker) {}

  @ResolveField(() => NhiModel, { nullable: true, description: 'The NHI it authenticates as.' })
  nhi(@Parent() credential: Readonly<CredentialModel>): Promise<NhiModel | null> {
    return this.walk.one<NhiModel>(credential, 'AUTHENTICATES', 'out');
  }

  @ResolveField(() => [SecretStoreModel], { description: 'Where it is kept.' })
  stores(@Parent() credential: Readonly<CredentialModel>): Promise<SecretStoreModel[]> {
    return this.walk.list<SecretStoreModel>(credential, 'STORED_IN', 'out');
  }

  @ResolveField(() => WorkloadConnection, { description: 'Workloads that use it.' })
  users(@Parent() credential: Readonly<CredentialModel>, @Args() page: PageArgs): Walk<WorkloadModel> {
    return this.walk.connection(credential, 'USES', 'in', page);
  }

  @ResolveField(() => NodeModel, { nullable: true, description: 'Who or what created it.' })
  creator(@Parent() credential: Readonly<CredentialModel>): Promise<NodeView | null> {
    return this.walk.one(credential, 'CREATED', 'in');
  }

  @ResolveField(() => NodeConnection, { description: 'Resources it was seen accessing.' })
  accessed(@Parent() credential: Readonly<CredentialModel>, @Args() page: PageArgs): Walk<NodeView> {
    return this.walk.connection(credential, 'ACCESSED', 'out', page);
  }
}

@Resolver(() => WorkloadModel)
@Roles('analyst')
export class WorkloadWalkResolver {
  constructor(private readonly walk: GraphWalker) {}

  @ResolveField(() => NhiModel, { nullable: true, description: 'The identity it runs as.' })
  runsAs(@Parent() workload: Readonly<WorkloadModel>): Promise<NhiModel | null> {
    return this.walk.one<NhiModel>(workload, 'RUNS_AS', 'out');
  }

  @ResolveField(() => PersonModel, { nullable: true })
  owner(@Parent() workload: Readonly<WorkloadModel>): Promise<PersonModel | null> {
    return this.walk.one<PersonModel>(workload, 'OWNS', 'in');
  }

  @ResolveField(() => CredentialConnection, { description: 'Credentials it uses.' })
  uses(@Parent() workload: Readonly<WorkloadModel>, @Args() page: PageArgs): Walk<CredentialModel> {
    return this.walk.connection(workload, 'USES', 'out', page);
  }

  @ResolveField(() => RoleConnection, { description: 'Roles it is trusted to assume.' })
  assumableRoles(@Parent() workload: Readonly<WorkloadModel>, @Args() page: PageArgs): Walk<RoleModel> {
    return this.walk.connection(workload, 'CAN_ASSUME', 'out', page);
  }

  @ResolveField(() => WorkloadConnection, { description: 'Workloads this pipeline deploys.' })
  deploys(@Parent() workload: Readonly<WorkloadModel>, @Args() page: PageArgs): Walk<WorkloadModel> {
    return this.walk.connection(workload, 'DEPLOYS', 'out', page);
  }
}

@Resolver(() => RoleModel)
@Roles('analyst')
export class RoleWalkResolver {
  constructor(private readonly walk: GraphWalker) {}

  @ResolveField(() => GrantConnection, { description: 'The resources it grants access to, by resource id.' })
  grants(@Parent() role: Readonly<RoleModel>, @Args() page: PageArgs): Walk<GrantModel> {
    return this.walk.relationships(role, 'GRANTS', 'out', page, (n: Neighbour) => grantOf(n, role.asOf));
  }

  @ResolveField(() => NodeConnection, { description: 'NHIs and people it is granted to.' })
  holders(@Parent() role: Readonly<RoleModel>, @Args() page: PageArgs): Walk<NodeView> {
    return this.walk.connection(role, 'HAS_ROLE', 'in', page);
  }

  @ResolveField(() => NodeConnection, { description: 'NHIs, workloads and roles trusted to assume it.' })
  assumableBy(@Parent() role: Readonly<RoleModel>, @Args() page: PageArgs): Walk<NodeView> {
    return this.walk.connection(role, 'CAN_ASSUME', 'in', page);
  }
}

function grantOf(neighbour: Neighbour, asOf: number): GrantModel {
  const { level, actions } = neighbour.relationship.attributes;
  return {
    resource: toNodeView(neighbour.node, asOf) as ResourceModel,
    level: ACCESS_LEVELS.find((known) => known === level) ?? 'read',
    actions: Array.isArray(actions) ? actions.filter((action): action is string => typeof action === 'string') : [],
    since: new Date(neighbour.relationship.validFrom),
  };
}

@Resolver(() => VendorModel)
@Roles('analyst')
export class VendorWalkResolver {
  constructor(private readonly walk: GraphWalker) {}

  @ResolveField(() => PersonModel, { nullable: true, description: 'The person who sponsors the vendor.' })
  sponsor(@Parent() vendor: Readonly<VendorModel>): Promise<PersonModel | null> {
    return this.walk.one<PersonModel>(vendor, 'SPONSORS', 'in');
  }

  @ResolveField(() => NhiConnection, { description: 'NHIs the vendor supplies.' })
  nhis(@Parent() vendor: Readonly<VendorModel>, @Args() page: PageArgs): Walk<NhiModel> {
    return this.walk.connection(vendor, 'SUPPLIES', 'out', page);
  }
}

@Resolver(() => ResourceModel)
@Roles('analyst')
export class ResourceWalkResolver {
  constructor(private readonly walk: GraphWalker) {}

  @ResolveField(() => RoleConnection, { description: 'Roles that grant access to it.' })
  grantedBy(@Parent() resource: Readonly<ResourceModel>, @Args() page: PageArgs): Walk<RoleModel> {
    return this.walk.connection(resource, 'GRANTS', 'in', page);
  }

  @ResolveField(() => NodeConnection, { description: 'NHIs and credentials seen accessing it.' })
  accessedBy(@Parent() resource: Readonly<ResourceModel>, @Args() page: PageArgs): Walk<NodeView> {
    return this.walk.connection(resource, 'ACCESSED', 'in', page);
  }
}

@Resolver(() => SecretStoreModel)
@Roles('analyst')
export class SecretStoreWalkResolver {
  constructor(private readonly walk: GraphWalker) {}

  @ResolveField(() => CredentialConnection, { description: 'Credentials kept here.' })
  credentials(@Parent() store: Readonly<SecretStoreModel>, @Args() page: PageArgs): Walk<CredentialModel> {
    return this.walk.connection(store, 'STORED_IN', 'in', page);
  }
}

export const GRAPH_WALK_RESOLVERS = [
  PersonWalkResolver,
  NhiWalkResolver,
  CredentialWalkResolver,
  WorkloadWalkResolver,
  RoleWalkResolver,
  VendorWalkResolver,
  ResourceWalkResolver,
  SecretStoreWalkResolver,
];
