import { Inject } from '@nestjs/common';
import { Args, Query, Resolver } from '@nestjs/graphql';
import type { GraphStore } from '@lineage/domain';
import { GRAPH_STORE, badInput } from '@lineage/domain';
import { Roles } from '@lineage/auth';
import { TimelineArgs } from '../args/query.args';
import type { ConnectionShape } from '../models/connection.model';
import { toConnection } from '../models/connection.model';
import type { TimelineEventModel } from '../models/timeline.model';
import { TimelineConnection, toTimelineEvent } from '../models/timeline.model';

/** What happened to an entity, in event-time order: evidence, for responders. */
@Resolver()
@Roles('responder')
export class TimelineResolver {
  constructor(@Inject(GRAPH_STORE) private readonly store: GraphStore) {}

  @Query(() => TimelineConnection, {
    description: 'The events about an entity, oldest first, optionally between two event times (inclusive).',
  })
  async timeline(@Args() args: TimelineArgs): Promise<ConnectionShape<TimelineEventModel>> {
    const from = args.from ? args.from.getTime() : null;
    const to = args.to ? args.to.getTime() : null;
    if (from !== null && to !== null && from > to) throw badInput('to', 'must not be before from');
    const page = await this.store.timeline(args.entityId, from, to, { first: args.first, after: args.after ?? null });
    return toConnection(page, toTimelineEvent);
  }
}
