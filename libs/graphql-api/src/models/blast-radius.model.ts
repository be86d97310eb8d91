import { Field, GraphQLISODateTime, ID, Int, ObjectType } from '@nestjs/graphql';
import type { AccessLevel, BlastRadius, EpochMs } from '@lineage/domain';
import { AccessLevelEnum } from './enums';
import type { NodeView } from './node.model';
import { NodeModel, ResourceModel, toNodeView } from './node.model';

@ObjectType('ReachedResource')
export class ReachedResourceModel {
  @Field(() => ResourceModel) resource!: ResourceModel;
  @Field(() => AccessLevelEnum, { description: 'The strongest level any path grants.' }) level!: AccessLevel;
  @Field(() => [ID], { description: 'Root, principal, roles, resource: the path that grants the level.' })
  path!: string[];
  @Field(() => [String], { description: 'The actions the granting role allows.' }) actions!: string[];
}

@ObjectType('BlastRadius')
export class BlastRadiusModel {
  @Field(() => NodeModel) root!: NodeView;
  @Field(() => [ReachedResourceModel]) resources!: ReachedResourceModel[];
  @Field(() => [NodeModel], { description: 'The other workloads and secret stores that hold the same credential.' })
  sharedWith!: NodeView[];
  @Field(() => Boolean, { description: 'A role chain was longer than maxDepth: there may be more.' })
  truncated!: boolean;
  @Field(() => Int) maxDepth!: number;
  @Field(() => GraphQLISODateTime) asOf!: Date;
}

export function toBlastRadiusModel(blast: BlastRadius, maxDepth: number, asOf: EpochMs): BlastRadiusModel {
  return {
    root: toNodeView(blast.root, asOf),
    resources: blast.resources.map((reached) => ({
      resource: toNodeView(reached.resource, asOf) as ResourceModel,
      level: reached.level,
      path: [...reached.path],
      actions: [...reached.actions],
    })),
    sharedWith: blast.sharedWith.map((node) => toNodeView(node, asOf)),
    truncated: blast.truncated,
    maxDepth,
    asOf: new Date(asOf),
  };
}
