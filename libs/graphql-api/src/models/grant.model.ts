import { Field, GraphQLISODateTime, ObjectType } from '@nestjs/graphql';
import type { AccessLevel } from '@lineage/domain';
import { Connection } from './connection.model';
import { AccessLevelEnum } from './enums';
import { ResourceModel } from './node.model';

@ObjectType('Grant', { description: 'What a role grants on one resource.' })
export class GrantModel {
  @Field(() => ResourceModel) resource!: ResourceModel;
  @Field(() => AccessLevelEnum) level!: AccessLevel;
  @Field(() => [String]) actions!: string[];
  @Field(() => GraphQLISODateTime) since!: Date;
}

@ObjectType('GrantConnection')
export class GrantConnection extends Connection(GrantModel, 'Grant') {}
