import { ArgsType, Field, GraphQLISODateTime, ID, Int } from '@nestjs/graphql';
import { ArrayMaxSize, IsDate, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import type { OwaspNhiRisk } from '@lineage/domain';
import { DEFAULT_BLAST_DEPTH, MAX_BLAST_DEPTH, OWASP_NHI_RISKS } from '@lineage/domain';
import { OwaspNhiRiskEnum } from '../models/enums';
import { ExactlyOneOf, IsNodeId, IsOptionalNodeId } from './validators';

/**
 * Arguments of every query, as `@ArgsType` classes checked by the global ValidationPipe. A bad
 * value fails with BAD_USER_INPUT naming the argument (`extensions.field`).
 */

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;
const MAX_CURSOR_LENGTH = 1024;

@ArgsType()
export class PageArgs {
  @Field(() => Int, { defaultValue: DEFAULT_PAGE_SIZE, description: `Items per page, 1 to ${MAX_PAGE_SIZE}.` })
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  first: number = DEFAULT_PAGE_SIZE;

  @Field(() => String, { nullable: true, description: 'The `endCursor` of the previous page.' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_CURSOR_LENGTH)
  after?: string | null;
}

@ArgsType()
export class AsOfArgs {
  @Field(() => GraphQLISODateTime, { nullable: true, description: 'Answer as the graph stood then; now when absent.' })
  @IsOptional()
  @IsDate()
  asOf?: Date | null;
}

@ArgsType()
export class LineageArgs extends AsOfArgs {
  @Field(() => ID)
  @IsNodeId()
  nhiId!: string;
}

@ArgsType()
export class OrphanedByArgs extends AsOfArgs {
  @Field(() => ID)
  @IsNodeId()
  personId!: string;
}

@ArgsType()
export class OrphansArgs extends PageArgs {
  @Field(() => GraphQLISODateTime, { nullable: true })
  @IsOptional()
  @IsDate()
  asOf?: Date | null;
}

@ArgsType()
export class BlastRadiusArgs extends AsOfArgs {
  @Field(() => ID, { nullable: true, description: 'Give this or nhiId.' })
  @IsOptionalNodeId()
  @ExactlyOneOf(['nhiId'])
  credentialId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Give this or credentialId.' })
  @IsOptionalNodeId()
  nhiId?: string | null;

  @Field(() => Int, { defaultValue: DEFAULT_BLAST_DEPTH, description: `Role hops to follow, 1 to ${MAX_BLAST_DEPTH}.` })
  @IsInt()
  @Min(1)
  @Max(MAX_BLAST_DEPTH)
  maxDepth: number = DEFAULT_BLAST_DEPTH;
}

@ArgsType()
export class TimelineArgs extends PageArgs {
  @Field(() => ID)
  @IsNodeId()
  entityId!: string;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'From this event time, inclusive.' })
  @IsOptional()
  @IsDate()
  from?: Date | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'Up to this event time, inclusive.' })
  @IsOptional()
  @IsDate()
  to?: Date | null;
}

@ArgsType()
export class LookupArgs extends AsOfArgs {
  @Field(() => ID)
  @IsNodeId()
  id!: string;
}

@ArgsType()
export class FindingsArgs extends PageArgs {
  @Field(() => [OwaspNhiRiskEnum], { nullable: true, description: 'Only these risks; every risk when absent.' })
  @IsOptional()
  @ArrayMaxSize(OWASP_NHI_RISKS.length)
  @IsIn(OWASP_NHI_RISKS, { each: true })
  owasp?: OwaspNhiRisk[] | null;

  @Field(() => ID, { nullable: true, description: 'Only findings about this node.' })
  @IsOptionalNodeId()
  subjectId?: string | null;

  @Field(() => GraphQLISODateTime, { nullable: true })
  @IsOptional()
  @IsDate()
  asOf?: Date | null;
}

@ArgsType()
export class OffboardingPlanArgs {
  @Field(() => ID, { description: 'A person, or a vendor whose contract ended.' })
  @IsNodeId()
  personId!: string;
}
