import { Inject } from '@nestjs/common';
import { Args, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { GraphStore, PlanDeliveryControl } from '@lineage/domain';
import { GRAPH_STORE, PLAN_DELIVERY_CONTROL, badInput } from '@lineage/domain';
import { Clock, Roles } from '@lineage/auth';
import { RetryPlanDeliveriesArgs } from '../args/mutation.args';
import { OffboardingPlanArgs, OffboardingPlansArgs } from '../args/query.args';
import type { ConnectionShape } from '../models/connection.model';
import { toConnection } from '../models/connection.model';
import type { NodeView } from '../models/node.model';
import { NodeModel, PersonModel, personView, toNodeView } from '../models/node.model';
import {
  OffboardingActionModel,
  OffboardingPlanConnection,
  OffboardingPlanModel,
  PlanDeliveryRetryModel,
  toOffboardingPlanModel,
} from '../models/offboarding.model';

/** Offboarding plans, as the offboarding module stored them (for automation). */
@Resolver(() => OffboardingPlanModel)
@Roles('automation')
export class OffboardingResolver {
  constructor(
    @Inject(GRAPH_STORE) private readonly store: GraphStore,
    private readonly clock: Clock,
    @Inject(PLAN_DELIVERY_CONTROL) private readonly deliveries: PlanDeliveryControl,
  ) {}

  @Query(() => OffboardingPlanModel, {
    nullable: true,
    description: 'The latest plan for a person who left, or for a vendor whose contract ended.',
  })
  async offboardingPlan(@Args() args: OffboardingPlanArgs): Promise<OffboardingPlanModel | null> {
    const plan = await this.store.latestPlan(args.personId);
    return plan ? toOffboardingPlanModel(plan, await this.store.planDeliveries([plan])) : null;
  }

  @Query(() => OffboardingPlanConnection, { description: 'Every plan, newest first; or only those with a delivery not made yet.' })
  async offboardingPlans(@Args() args: OffboardingPlansArgs): Promise<ConnectionShape<OffboardingPlanModel>> {
    const page = await this.store.listPlans({ first: args.first, after: args.after ?? null }, { undelivered: args.undelivered ?? false });
    // The page's deliveries in one read, not one per plan.
    const deliveries = await this.store.planDeliveries(page.items);
    return toConnection(page, (plan) => toOffboardingPlanModel(plan, deliveries));
  }

  @Mutation(() => [PlanDeliveryRetryModel], {
    description:
      "Send the plans waiting for a channel now, not at their backed-off retry times: for when a receiver that was down is back. Answers once they are rescheduled; `offboardingPlans(undelivered: true)` shows how the run went.",
  })
  @Roles('admin')
  async retryPlanDeliveries(@Args() args: RetryPlanDeliveriesArgs): Promise<PlanDeliveryRetryModel[]> {
    const configured = this.deliveries.channelNames;
    const channel = args.channel ?? null;
    if (channel !== null && !configured.includes(channel)) {
      const which = configured.length > 0 ? `configured: ${configured.join(', ')}` : 'none is (LINEAGE_WEBHOOK_URL, KAFKA_BROKERS)';
      throw badInput('channel', `is not a configured plan channel; ${which}`);
    }
    return this.deliveries.retryNow(channel === null ? configured : [channel]);
  }

  @ResolveField(() => NodeModel, {
    nullable: true,
    description: 'The person or vendor who left, as the graph knows them now.',
  })
  async subject(@Parent() plan: Readonly<OffboardingPlanModel>): Promise<NodeView | null> {
    const node = await this.store.getNode(plan.personId);
    return node ? toNodeView(node, this.clock.now()) : null;
  }
}

@Resolver(() => OffboardingActionModel)
@Roles('automation')
export class OffboardingActionResolver {
  constructor(
    @Inject(GRAPH_STORE) private readonly store: GraphStore,
    private readonly clock: Clock,
  ) {}

  @ResolveField(() => NodeModel, { nullable: true, description: 'The NHI or credential the action is about.' })
  async target(@Parent() action: Readonly<OffboardingActionModel>): Promise<NodeView | null> {
    const node = await this.store.getNode(action.targetId);
    return node ? toNodeView(node, this.clock.now()) : null;
  }

  @ResolveField(() => PersonModel, { nullable: true, description: 'Who should take it over (REASSIGN).' })
  async suggestedOwner(@Parent() action: Readonly<OffboardingActionModel>): Promise<PersonModel | null> {
    if (!action.suggestedOwnerId) return null;
    return personView(await this.store.getNode(action.suggestedOwnerId), this.clock.now());
  }
}
