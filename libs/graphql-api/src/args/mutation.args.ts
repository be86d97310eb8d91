import { ArgsType, Field, ID, Int } from '@nestjs/graphql';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import type { ApiRole } from '@lineage/domain';
import { API_ROLES } from '@lineage/domain';
import { MAX_KEY_LIFETIME_DAYS } from '@lineage/auth';
import { ApiRoleEnum } from '../models/enums';
import { IsNodeId } from './validators';

export const DEFAULT_KEY_LIFETIME_DAYS = 90;

@ArgsType()
export class AssignOwnerArgs {
  @Field(() => ID)
  @IsNodeId()
  nhiId!: string;

  @Field(() => ID, { description: 'The person who becomes its declared owner.' })
  @IsNodeId()
  ownerId!: string;
}

@ArgsType()
export class CreateApiKeyArgs {
  @Field(() => ApiRoleEnum)
  @IsIn(API_ROLES)
  role!: ApiRole;

  @Field(() => ID, { description: "The person who answers for the key; it becomes the owner of the key's NHI." })
  @IsNodeId()
  ownerId!: string;

  @Field(() => Int, {
    nullable: true,
    defaultValue: DEFAULT_KEY_LIFETIME_DAYS,
    description: `Days until it expires, 1 to ${MAX_KEY_LIFETIME_DAYS}.`,
  })
  @Transform(({ value }: { value: unknown }) => value ?? DEFAULT_KEY_LIFETIME_DAYS)
  @IsInt()
  @Min(1)
  @Max(MAX_KEY_LIFETIME_DAYS)
  expiresInDays: number = DEFAULT_KEY_LIFETIME_DAYS;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  description?: string | null;
}

@ArgsType()
export class RevokeApiKeyArgs {
  @Field(() => ID, { description: 'The key id (the part after `nhil_`, before the secret).' })
  @IsNodeId()
  id!: string;
}

@ArgsType()
export class RetryPlanDeliveriesArgs {
  @Field(() => String, { nullable: true, description: 'One channel (kafka, webhook); every configured channel when omitted.' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  channel?: string | null;
}
