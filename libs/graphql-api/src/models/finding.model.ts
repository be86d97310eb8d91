import { Field, GraphQLISODateTime, ID, ObjectType } from '@nestjs/graphql';
import type { EpochMs, Finding, OwaspNhiRisk, Severity } from '@lineage/domain';
import { OWASP_NHI_TITLES } from '@lineage/domain';
import { Connection } from './connection.model';
import { OwaspNhiRiskEnum, SeverityEnum } from './enums';
import type { NodeView } from './node.model';
import { NodeModel, toNodeView } from './node.model';

@ObjectType('Finding', { description: 'A risk found in the graph, mapped to the OWASP Non-Human Identities Top 10.' })
export class FindingModel {
  @Field(() => ID, { description: 'Stable across runs (risk and subject), so triage survives.' }) id!: string;
  @Field(() => OwaspNhiRiskEnum) risk!: OwaspNhiRisk;
  @Field(() => String, { description: 'The OWASP title of the risk.' }) title!: string;
  @Field(() => NodeModel) subject!: NodeView;
  @Field(() => SeverityEnum) severity!: Severity;
  @Field(() => String) summary!: string;
  @Field(() => [String], { description: 'Ids of the events that prove it.' }) evidence!: string[];
  @Field(() => GraphQLISODateTime, { nullable: true }) since!: Date | null;
}

@ObjectType('FindingConnection')
export class FindingConnection extends Connection(FindingModel, 'Finding') {}

export function toFindingModel(finding: Finding, asOf: EpochMs): FindingModel {
  return {
    id: finding.id,
    risk: finding.risk,
    title: OWASP_NHI_TITLES[finding.risk],
    subject: toNodeView(finding.subject, asOf),
    severity: finding.severity,
    summary: finding.summary,
    evidence: [...finding.evidence],
    since: finding.since === null ? null : new Date(finding.since),
  };
}
