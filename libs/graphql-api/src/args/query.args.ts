import { applyDecorators } from '@nestjs/common';
import { ArgsType, Field, GraphQLISODateTime, ID, Int } from '@nestjs/graphql';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsBoolean, IsDate, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import type { OwaspNhiRisk } from '@lineage/domain';
import { DEFAULT_BLAST_DEPTH, MAX_BLAST_DEPTH, OWASP_NHI_RISKS } from '@lineage/domain';
import { OwaspNhiRiskEnum } from '../models/enums';
import { ExactlyOneOf, IsNodeId, IsOptionalNodeId } from './validators';

/**
 * Arguments of every query, as `@ArgsType` classes checked by the global ValidationPipe. A bad
 * value fails with BAD_USER_INPUT naming the argument (`extensions.field`). Arguments are
 * declared in the order of the schema; shared ones through the decorators below.
 */

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;
const MAX_CURSOR_LENGTH = 1024;

/** An Int argument with a default, which an explicit null also selects. */
const orDefault = (fallback: number) =>
  Transform(({ value }: { value: unknown }) => (value === null || value === undefined ? fallback : value));

/** `first: Int = 50`, 1 to 500. */
const FirstArg = () =>
  applyDecorators(
    Field(() => Int, {
      nullable: true,
      defaultValue: DEFAULT_PAGE_SIZE,
      description: `Items per page, 1 to ${MAX_PAGE_SIZE}.`,
    }),
    orDefault(DEFAULT_PAGE_SIZE),
    IsInt(),
    Min(1),
    Max(MAX_PAGE_SIZE),
  );

/** `after: String`: the `endCursor` of the previous page. */
const AfterArg = () =>
  applyDecorators(
    Field(() => String, { nullable: true, description: 'The `endCursor` of the previous page.' }),
    IsOptional(),
    IsString(),
    MaxLength(MAX_CURSOR_LENGTH),
  );

/** A nullable `DateTime` argument. */
const TimeArg = (description: string) =>
  applyDecorators(
    Field(() => GraphQLISODateTime, { nullable: true, description }),
    IsOptional(),
    IsDate(),
  );
const AsOfArg = () => TimeArg('Answer as the graph stood then; now when absent.');

/** A required `ID!` argument. */
const IdArg = (description?: string) =>
  applyDecorators(
    Field(() => ID, description ? { description } : {}),
    IsNodeId(),
  );

@ArgsType()
export class PageArgs {
  @FirstArg() first: number = DEFAULT_PAGE_SIZE;
  @AfterArg() after?: string | null;
}

@ArgsType()
export class LineageArgs {
  @IdArg() nhiId!: string;
  @AsOfArg() asOf?: Date | null;
}

@ArgsType()
export class OrphanedByArgs {
  @IdArg() personId!: string;
  @AsOfArg() asOf?: Date | null;
}

@ArgsType()
export class OrphansArgs {
  @FirstArg() first: number = DEFAULT_PAGE_SIZE;
  @AfterArg() after?: string | null;
  @AsOfArg() asOf?: Date | null;
}

@ArgsType()
export class BlastRadiusArgs {
  @Field(() => ID, { nullable: true, description: 'Give this or nhiId.' })
  @IsOptionalNodeId()
  @ExactlyOneOf(['nhiId'])
  credentialId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Give this or credentialId.' })
  @IsOptionalNodeId()
  nhiId?: string | null;

  @Field(() => Int, {
    nullable: true,
    defaultValue: DEFAULT_BLAST_DEPTH,
    description: `Role hops to follow, 1 to ${MAX_BLAST_DEPTH}.`,
  })
  @orDefault(DEFAULT_BLAST_DEPTH)
  @IsInt()
  @Min(1)
  @Max(MAX_BLAST_DEPTH)
  maxDepth: number = DEFAULT_BLAST_DEPTH;

  @AsOfArg() asOf?: Date | null;
}

@ArgsType()
export class TimelineArgs {
  @IdArg() entityId!: string;
  @TimeArg('From this event time, inclusive.') from?: Date | null;
  @TimeArg('Up to this event time, inclusive.') to?: Date | null;
  @FirstArg() first: number = DEFAULT_PAGE_SIZE;
  @AfterArg() after?: string | null;
}

@ArgsType()
export class LookupArgs {
  @IdArg() id!: string;
  @AsOfArg() asOf?: Date | null;
}

@ArgsType()
export class FindingsArgs {
  @Field(() => [OwaspNhiRiskEnum], { nullable: true, description: 'Only these risks; every risk when absent.' })
  @IsOptional()
  @ArrayMaxSize(OWASP_NHI_RISKS.length)
  @IsIn(OWASP_NHI_RISKS, { each: true })
  owasp?: OwaspNhiRisk[] | null;

  @Field(() => ID, { nullable: true, description: 'Only findings about this node.' })
  @IsOptionalNodeId()
  subjectId?: string | null;

  @AsOfArg() asOf?: Date | null;
  @FirstArg() first: number = DEFAULT_PAGE_SIZE;
  @AfterArg() after?: string | null;
}

@ArgsType()
export class OffboardingPlansArgs {
  @FirstArg() first: number = DEFAULT_PAGE_SIZE;
  @AfterArg() after?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'Only plans with a delivery not made yet: waiting for its first attempt, or for a retry.',
  })
  @IsOptional()
  @IsBoolean()
  undelivered?: boolean | null;
}

@ArgsType()
export class OffboardingPlanArgs {
  @IdArg('A person, or a vendor whose contract ended.') personId!: string;
}
