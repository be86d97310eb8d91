import { Field, GraphQLISODateTime, ID, Int, ObjectType } from '@nestjs/graphql';
import type { OffboardingActionKind, OffboardingPlan, PlanDeliveryState } from '@lineage/domain';
import { Connection } from './connection.model';
import type { PlanDeliveryStatus } from './enums';
import { OffboardingActionKindEnum, PlanDeliveryStatusEnum } from './enums';

@ObjectType('OffboardingAction')
export class OffboardingActionModel {
  @Field(() => ID) targetId!: string;
  @Field(() => OffboardingActionKindEnum) action!: OffboardingActionKind;
  @Field(() => String) reason!: string;
  @Field(() => ID, { nullable: true }) suggestedOwnerId!: string | null;
  @Field(() => [String], { description: 'Ids of the events that are its evidence.' }) evidence!: string[];
}

@ObjectType('PlanDelivery', { description: "Where a plan's delivery on one channel (kafka, webhook) stands." })
export class PlanDeliveryModel {
  @Field(() => String) channel!: string;
  @Field(() => PlanDeliveryStatusEnum) status!: PlanDeliveryStatus;
  @Field(() => Int, { description: 'Attempts made so far, the successful one included.' }) attempts!: number;
  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When the channel accepted it.' })
  deliveredAt!: Date | null;
  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When it is tried next; null once delivered.' })
  nextAttemptAt!: Date | null;
  @Field(() => String, { nullable: true, description: 'Why the last attempt failed, as the channel said it (an HTTP status, a broker error).' })
  lastError!: string | null;
}

@ObjectType('OffboardingPlan', {
  description:
    'What to reassign, rotate, disable or revoke after a person or a vendor left. Advisory: nothing is revoked by this product.',
})
export class OffboardingPlanModel {
  @Field(() => ID, { description: 'The person (or vendor) who left.' }) personId!: string;
  @Field(() => String, { description: 'Person | Vendor' }) subjectKind!: string;
  @Field(() => String, { description: 'The id of the triggering event.' }) triggeredBy!: string;
  @Field(() => String) triggerSource!: string;
  @Field(() => String) triggerType!: string;
  @Field(() => GraphQLISODateTime, { description: 'When they left or the contract ended (event time).' })
  effectiveAt!: Date;
  @Field(() => GraphQLISODateTime) createdAt!: Date;
  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description: 'Set when the person joined again: the plan no longer stands.',
  })
  supersededAt!: Date | null;
  @Field(() => [OffboardingActionModel]) actions!: OffboardingActionModel[];
  @Field(() => [PlanDeliveryModel], { description: 'One per channel the plan goes out on, by channel; none when no channel is configured.' })
  deliveries!: PlanDeliveryModel[];
}

@ObjectType('PlanDeliveryRetry', { description: "What an operator's retry did on one channel." })
export class PlanDeliveryRetryModel {
  @Field(() => String) channel!: string;
  @Field(() => Int, {
    description: 'Deliveries that were waiting for a later attempt and are due now. Those already due are not counted; they go in the same run.',
  })
  rescheduled!: number;
}

@ObjectType('OffboardingPlanConnection')
export class OffboardingPlanConnection extends Connection(OffboardingPlanModel, 'OffboardingPlan') {}

export function toPlanDeliveryModel(delivery: PlanDeliveryState): PlanDeliveryModel {
  const status: PlanDeliveryStatus = delivery.deliveredAt !== null ? 'DELIVERED' : delivery.attempts > 0 ? 'RETRYING' : 'PENDING';
  const date = (at: number | null) => (at === null ? null : new Date(at));
  return {
    channel: delivery.channel,
    status,
    attempts: delivery.attempts,
    deliveredAt: date(delivery.deliveredAt),
    nextAttemptAt: date(delivery.nextAttemptAt),
    lastError: delivery.lastError,
  };
}

/** A plan with its deliveries (those of `deliveries` that are its own). */
export function toOffboardingPlanModel(plan: OffboardingPlan, deliveries: readonly PlanDeliveryState[]): OffboardingPlanModel {
  return {
    personId: plan.subjectId,
    subjectKind: plan.subjectKind,
    triggeredBy: plan.triggeredBy,
    triggerSource: plan.triggerSource,
    triggerType: plan.triggerType,
    effectiveAt: new Date(plan.effectiveAt),
    createdAt: new Date(plan.createdAt),
    supersededAt: plan.supersededAt === null ? null : new Date(plan.supersededAt),
    actions: plan.actions.map((action) => ({
      targetId: action.targetId,
      action: action.action,
      reason: action.reason,
      suggestedOwnerId: action.suggestedOwnerId,
      evidence: [...action.evidence],
    })),
    deliveries: deliveries
      .filter((delivery) => delivery.triggerSource === plan.triggerSource && delivery.triggeredBy === plan.triggeredBy)
      .map(toPlanDeliveryModel),
  };
}
