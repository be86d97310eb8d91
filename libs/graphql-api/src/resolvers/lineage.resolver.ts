import { Inject } from '@nestjs/common';
import { Args, Info, Query, Resolver } from '@nestjs/graphql';
import type { GraphQLResolveInfo } from 'graphql';
import type { GraphStore } from '@lineage/domain';
import { GRAPH_STORE, badInput, notFound } from '@lineage/domain';
import { Clock, Roles } from '@lineage/auth';
import { LineageArgs, OrphanedByArgs, OrphansArgs } from '../args/query.args';
import type { ConnectionShape } from '../models/connection.model';
import { toConnection } from '../models/connection.model';
import { NhiConnection } from '../models/connections';
import { LineageModel, OrphanedNhiModel, toLineageModel, toOrphanedModel } from '../models/lineage.model';
import type { NhiModel } from '../models/node.model';
import { nhiView } from '../models/node.model';
import { selects, timeOf } from './resolver-helpers';

/** Accountability: who answers for an NHI, what a leaver orphaned, which NHIs nobody answers for. */
@Resolver()
@Roles('analyst')
export class LineageResolver {
  constructor(
    @Inject(GRAPH_STORE) private readonly store: GraphStore,
    private readonly clock: Clock,
  ) {}

  @Query(() => LineageModel, {
    description: 'Who is accountable for the NHI, with the chain of evidence; NOT_FOUND for an unknown id.',
  })
  async lineage(@Args() args: LineageArgs): Promise<LineageModel> {
    const asOf = timeOf(args.asOf, this.clock);
    const lineage = await this.store.lineage(args.nhiId, asOf);
    if (!lineage) throw notFound('NHI', args.nhiId);
    if (lineage.root.kind !== 'NHI') throw badInput('nhiId', `names a ${lineage.root.kind}, not an NHI`);
    return toLineageModel(lineage, asOf);
  }

  @Query(() => [OrphanedNhiModel], {
    description:
      'The NHIs for which the person was the accountable human when they left, and which no other active candidate covers now.',
  })
  async orphanedBy(@Args() args: OrphanedByArgs): Promise<OrphanedNhiModel[]> {
    const asOf = timeOf(args.asOf, this.clock);
    const person = await this.store.getNode(args.personId);
    if (!person) throw notFound('person', args.personId);
    if (person.kind !== 'Person') throw badInput('personId', `names a ${person.kind}, not a person`);
    const orphans = await this.store.orphanedBy(args.personId, asOf);
    return orphans.map((orphan) => toOrphanedModel(orphan, asOf));
  }

  @Query(() => NhiConnection, { description: 'NHIs with no active accountable person (ORPHANED or UNOWNED), by id.' })
  async orphans(@Args() args: OrphansArgs, @Info() info: GraphQLResolveInfo): Promise<ConnectionShape<NhiModel>> {
    const asOf = timeOf(args.asOf, this.clock);
    // Counting means resolving every NHI: only when the client asks for it.
    const withTotal = selects(info, 'totalCount');
    const page = await this.store.orphans(asOf, { first: args.first, after: args.after ?? null }, { withTotal });
    return toConnection(page, (lineage) => nhiView(lineage.root, asOf, lineage));
  }
}
