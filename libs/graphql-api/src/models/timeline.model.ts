import { Field, GraphQLISODateTime, ID, ObjectType } from '@nestjs/graphql';
import type { TimelineEntry } from '@lineage/domain';
import { Connection } from './connection.model';

@ObjectType('TimelineEvent')
export class TimelineEventModel {
  @Field(() => ID) eventId!: string;
  @Field(() => String) type!: string;
  @Field(() => GraphQLISODateTime, { description: 'Event time.' }) time!: Date;
  @Field(() => String) source!: string;
  @Field(() => String, { nullable: true }) subject!: string | null;
  @Field(() => String, { nullable: true, description: 'One line, free of secrets.' }) summary!: string | null;
}

@ObjectType('TimelineConnection')
export class TimelineConnection extends Connection(TimelineEventModel, 'TimelineEvent') {}

export function toTimelineEvent(entry: TimelineEntry): TimelineEventModel {
  return {
    eventId: entry.eventId,
    type: entry.type,
    time: new Date(entry.time),
    source: entry.source,
    subject: entry.subject,
    summary: entry.summary,
  };
}
