import { Field, GraphQLISODateTime, ID, ObjectType } from '@nestjs/graphql';
import type { ApiKeyRecord, ApiRole, EpochMs } from '@lineage/domain';
import type { Principal } from '@lineage/auth';
import { apiKeyNhiId } from '@lineage/auth';
import type { ApiKeyStatus } from './enums';
import { ApiKeyStatusEnum, ApiRoleEnum } from './enums';

@ObjectType('ApiKey', {
  description: 'An API key, without its secret or hash. Every key is also an NHI in the graph (`nhiId`).',
})
export class ApiKeyModel {
  @Field(() => ID, { description: 'The public part of the key (`nhil_<id>_…`).' }) id!: string;
  @Field(() => ApiRoleEnum) role!: ApiRole;
  @Field(() => ID) ownerId!: string;
  @Field(() => ID, { description: 'The key as an NHI in the graph (kind api_token, platform nhi-lineage).' })
  nhiId!: string;
  @Field(() => String, { nullable: true }) description!: string | null;
  @Field(() => GraphQLISODateTime) createdAt!: Date;
  @Field(() => GraphQLISODateTime) expiresAt!: Date;
  @Field(() => GraphQLISODateTime, { nullable: true }) revokedAt!: Date | null;
  @Field(() => ApiKeyStatusEnum) status!: ApiKeyStatus;
}

@ObjectType('CreatedApiKey')
export class CreatedApiKeyModel {
  @Field(() => String, { description: 'The key. Shown this once: it is not stored and cannot be shown again.' })
  key!: string;
  @Field(() => ApiKeyModel) apiKey!: ApiKeyModel;
}

@ObjectType('Viewer', { description: 'The key making the request.' })
export class ViewerModel {
  @Field(() => ID) keyId!: string;
  @Field(() => ApiRoleEnum) role!: ApiRole;
  @Field(() => ID) ownerId!: string;
  @Field(() => ID) nhiId!: string;
  @Field(() => GraphQLISODateTime) expiresAt!: Date;
}

export function toApiKeyModel(record: ApiKeyRecord, now: EpochMs): ApiKeyModel {
  return {
    id: record.id,
    role: record.role,
    ownerId: record.ownerId,
    nhiId: apiKeyNhiId(record.id),
    description: record.description,
    createdAt: new Date(record.createdAt),
    expiresAt: new Date(record.expiresAt),
    revokedAt: record.revokedAt === null ? null : new Date(record.revokedAt),
    status:
      record.revokedAt !== null
        ? ApiKeyStatusEnum.REVOKED
        : record.expiresAt <= now
          ? ApiKeyStatusEnum.EXPIRED
          : ApiKeyStatusEnum.ACTIVE,
  };
}

export function toViewerModel(principal: Principal): ViewerModel {
  return {
    keyId: principal.keyId,
    role: principal.role,
    ownerId: principal.ownerId,
    nhiId: principal.nhiId,
    expiresAt: new Date(principal.expiresAt),
  };
}
