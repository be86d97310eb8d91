import { Inject } from '@nestjs/common';
import { Args, Mutation, Resolver } from '@nestjs/graphql';
import type { GraphStore } from '@lineage/domain';
import { GRAPH_STORE, badInput, notFound } from '@lineage/domain';
import { ProductEventWriter, Roles } from '@lineage/auth';
import { AssignOwnerArgs } from '../args/mutation.args';
import { LineageModel, toLineageModel } from '../models/lineage.model';

@Resolver()
@Roles('admin')
export class OwnerResolver {
  constructor(
    @Inject(GRAPH_STORE) private readonly store: GraphStore,
    private readonly events: ProductEventWriter,
  ) {}

  @Mutation(() => LineageModel, {
    description:
      'Declare a person the owner of an NHI. Written as an `iam.owner.assigned` event (source nhi-lineage/api) through the ingestion pipeline; returns the new lineage.',
  })
  async assignOwner(@Args() args: AssignOwnerArgs): Promise<LineageModel> {
    const nhi = await this.store.getNode(args.nhiId);
    if (!nhi) throw notFound('NHI', args.nhiId);
    if (nhi.kind !== 'NHI') throw badInput('nhiId', `names a ${nhi.kind}, not an NHI`);
    const owner = await this.store.getNode(args.ownerId);
    if (owner && owner.kind !== 'Person') throw badInput('ownerId', `names a ${owner.kind}, not a person`);
    const written = await this.events.write('iam.owner.assigned', args.nhiId, {
      nhiId: args.nhiId,
      ownerId: args.ownerId,
    });
    const lineage = await this.store.lineage(args.nhiId, written.time);
    if (!lineage) throw notFound('NHI', args.nhiId);
    return toLineageModel(lineage, written.time);
  }
}
