import { Field, GraphQLISODateTime, ObjectType } from '@nestjs/graphql';
import type { EpochMs, Lineage, LineageStatus, OrphanedNhi } from '@lineage/domain';
import { LineageStatusEnum } from './enums';
import type { NodeView } from './node.model';
import { CredentialModel, NhiModel, NodeModel, PersonModel, nhiView, personView, toNodeView } from './node.model';

@ObjectType('LineageStep', {
  description: 'One relationship of a chain, in graph direction, with the ids of the events that prove it.',
})
export class LineageStepModel {
  @Field(() => NodeModel) from!: NodeView;
  @Field(() => String, { description: 'OWNS, CREATED, RUNS_AS, SUPPLIES, SPONSORS, AUTHENTICATES' }) relation!: string;
  @Field(() => NodeModel) to!: NodeView;
  @Field(() => [String], { description: 'Ids of the events that are its evidence.' }) evidence!: string[];
  @Field(() => GraphQLISODateTime, { nullable: true, description: 'Since when it holds (event time).' })
  since!: Date | null;
}

@ObjectType('Lineage', { description: 'Who is accountable for an NHI, and the chain that says so.' })
export class LineageModel {
  @Field(() => NhiModel) nhi!: NhiModel;
  @Field(() => LineageStatusEnum) status!: LineageStatus;
  @Field(() => PersonModel, { nullable: true, description: 'The active person who answers for it (ACCOUNTABLE only).' })
  accountable!: PersonModel | null;
  @Field(() => PersonModel, {
    nullable: true,
    description: 'When ORPHANED: the person who left, or the sponsor of the ended vendor.',
  })
  lastAccountable!: PersonModel | null;
  @Field(() => [LineageStepModel], { description: 'From the human (or vendor) down to the NHI.' })
  chain!: LineageStepModel[];
  @Field(() => String, { description: 'Which rule decided, in words.' }) reason!: string;
  @Field(() => GraphQLISODateTime, { description: 'The time the answer is for.' }) asOf!: Date;
}

@ObjectType('OrphanedNHI')
export class OrphanedNhiModel {
  @Field(() => NhiModel) nhi!: NhiModel;
  @Field(() => PersonModel, { nullable: true }) lastAccountable!: PersonModel | null;
  @Field(() => [CredentialModel], { description: 'Its credentials still active at the time asked.' })
  credentials!: CredentialModel[];
  @Field(() => LineageModel, { description: 'Its lineage now (ORPHANED or UNOWNED).' }) lineage!: LineageModel;
}

export function toLineageModel(lineage: Lineage, asOf: EpochMs): LineageModel {
  return {
    nhi: nhiView(lineage.root, asOf, lineage),
    status: lineage.status,
    accountable: personView(lineage.accountable, asOf),
    lastAccountable: personView(lineage.lastAccountable, asOf),
    chain: lineage.chain.map((step) => ({
      from: toNodeView(step.from, asOf),
      relation: step.relation,
      to: toNodeView(step.to, asOf),
      evidence: [...step.evidence],
      since: new Date(step.since),
    })),
    reason: lineage.reason,
    asOf: new Date(asOf),
  };
}

export function toOrphanedModel(orphaned: OrphanedNhi, asOf: EpochMs): OrphanedNhiModel {
  const lineage = toLineageModel(orphaned.lineage, asOf);
  return {
    nhi: lineage.nhi,
    lastAccountable: lineage.lastAccountable,
    credentials: orphaned.credentials.map((credential) => toNodeView(credential, asOf) as CredentialModel),
    lineage,
  };
}
