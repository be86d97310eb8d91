import { Field, GraphQLISODateTime, ID, ObjectType } from '@nestjs/graphql';
import type { OffboardingActionKind, OffboardingPlan } from '@lineage/domain';
import { Connection } from './connection.model';
import { OffboardingActionKindEnum } from './enums';

@ObjectType('OffboardingAction')
export class OffboardingActionModel {
  @Field(() => ID) targetId!: string;
  @Field(() => OffboardingActionKindEnum) action!: OffboardingActionKind;
  @Field(() => String) reason!: string;
  @Field(() => ID, { nullable: true }) suggestedOwnerId!: string | null;
  @Field(() => [String], { description: 'Ids of the events that are its evidence.' }) evidence!: string[];
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
}

@ObjectType('OffboardingPlanConnection')
export class OffboardingPlanConnection extends Connection(OffboardingPlanModel, 'OffboardingPlan') {}

export function toOffboardingPlanModel(plan: OffboardingPlan): OffboardingPlanModel {
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
  };
}
