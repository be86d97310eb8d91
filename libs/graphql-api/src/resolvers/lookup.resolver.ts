import { Inject } from '@nestjs/common';
import { Args, Query, Resolver } from '@nestjs/graphql';
import type { GraphStore } from '@lineage/domain';
import { GRAPH_STORE } from '@lineage/domain';
import { Clock, Roles } from '@lineage/auth';
import { LookupArgs } from '../args/query.args';
import type { NodeView } from '../models/node.model';
import { CredentialModel, NhiModel, NodeModel, PersonModel, toNodeView, viewOfKind } from '../models/node.model';
import { timeOf } from './resolver-helpers';

/** Lookups by id: null when nothing of that kind has the id. Walking on from the result answers as of `asOf`. */
@Resolver()
@Roles('analyst')
export class LookupResolver {
  constructor(
    @Inject(GRAPH_STORE) private readonly store: GraphStore,
    private readonly clock: Clock,
  ) {}

  @Query(() => PersonModel, { nullable: true })
  async person(@Args() args: LookupArgs): Promise<PersonModel | null> {
    return viewOfKind(await this.store.getNode(args.id), 'Person', timeOf(args.asOf, this.clock)) as PersonModel | null;
  }

  @Query(() => NhiModel, { nullable: true })
  async nhi(@Args() args: LookupArgs): Promise<NhiModel | null> {
    return viewOfKind(await this.store.getNode(args.id), 'NHI', timeOf(args.asOf, this.clock)) as NhiModel | null;
  }

  @Query(() => CredentialModel, { nullable: true })
  async credential(@Args() args: LookupArgs): Promise<CredentialModel | null> {
    return viewOfKind(
      await this.store.getNode(args.id),
      'Credential',
      timeOf(args.asOf, this.clock),
    ) as CredentialModel | null;
  }

  @Query(() => NodeModel, { nullable: true, description: 'Any node by id, whatever its kind.' })
  async node(@Args() args: LookupArgs): Promise<NodeView | null> {
    const node = await this.store.getNode(args.id);
    return node ? toNodeView(node, timeOf(args.asOf, this.clock)) : null;
  }
}
