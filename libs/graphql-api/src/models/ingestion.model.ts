import { Field, GraphQLISODateTime, Int, ObjectType } from '@nestjs/graphql';
import type { DeadLetterRecord, IngestionStatus, SourceStatus } from '@lineage/domain';
import { compareIds } from '@lineage/domain';
import { Connection } from './connection.model';

@ObjectType('TypeStatus', { description: 'Counts for one event type of one source.' })
export class TypeStatusModel {
  @Field(() => String) type!: string;
  @Field(() => Int) accepted!: number;
  @Field(() => Int) duplicates!: number;
  @Field(() => Int) rejected!: number;
  @Field(() => GraphQLISODateTime, { nullable: true }) lastEventTime!: Date | null;
}

@ObjectType('SourceStatus', {
  description: 'Counts for one CloudEvents source, all types together, with the per-type breakdown.',
})
export class SourceStatusModel {
  @Field(() => String, {
    description: 'The CloudEvents `source` attribute; `(unknown)` for input too broken to name one.',
  })
  source!: string;
  @Field(() => Int) accepted!: number;
  @Field(() => Int) duplicates!: number;
  @Field(() => Int) rejected!: number;
  @Field(() => GraphQLISODateTime, { nullable: true }) lastEventTime!: Date | null;
  @Field(() => [TypeStatusModel]) types!: TypeStatusModel[];
}

@ObjectType('IngestionStatus')
export class IngestionStatusModel {
  @Field(() => [SourceStatusModel]) sources!: SourceStatusModel[];
  @Field(() => Int, { description: 'Records in the dead-letter store.' }) deadLettered!: number;
}

@ObjectType('DeadLetter', {
  description:
    'A record that could not be accepted. Its original bytes stay in the store; they are not served (they may hold what made them invalid, a secret included).',
})
export class DeadLetterModel {
  @Field(() => GraphQLISODateTime) receivedAt!: Date;
  @Field(() => String, { description: '`http`, `api`, `file:<name>:<line>`, `kafka:<topic>/<partition>/<offset>`' })
  origin!: string;
  @Field(() => String, { nullable: true }) source!: string | null;
  @Field(() => String, { nullable: true }) type!: string | null;
  @Field(() => String) reason!: string;
  @Field(() => String, { nullable: true, description: 'The field the reason names.' }) field!: string | null;
  @Field(() => Int) sizeBytes!: number;
}

@ObjectType('DeadLetterConnection')
export class DeadLetterConnection extends Connection(DeadLetterModel, 'DeadLetter') {}

/** The store counts per (source, type); the API answers per source, with the types inside. */
export function toIngestionStatusModel(status: IngestionStatus): IngestionStatusModel {
  const bySource = new Map<string, SourceStatus[]>();
  for (const row of status.sources) bySource.set(row.source, [...(bySource.get(row.source) ?? []), row]);
  const sources = [...bySource.entries()]
    .sort(([a], [b]) => compareIds(a, b))
    .map(([source, rows]): SourceStatusModel => {
      const types = rows.map(toTypeStatus).sort((a, b) => compareIds(a.type, b.type));
      const latest = Math.max(...rows.map((row) => row.lastEventTime ?? -Infinity));
      return {
        source,
        accepted: sum(rows, 'accepted'),
        duplicates: sum(rows, 'duplicates'),
        rejected: sum(rows, 'rejected'),
        lastEventTime: Number.isFinite(latest) ? new Date(latest) : null,
        types,
      };
    });
  return { sources, deadLettered: status.deadLettered };
}

function toTypeStatus(row: SourceStatus): TypeStatusModel {
  return {
    type: row.type,
    accepted: row.accepted,
    duplicates: row.duplicates,
    rejected: row.rejected,
    lastEventTime: row.lastEventTime === null ? null : new Date(row.lastEventTime),
  };
}

function sum(rows: readonly SourceStatus[], key: 'accepted' | 'duplicates' | 'rejected'): number {
  return rows.reduce((total, row) => total + row[key], 0);
}

export function toDeadLetterModel(record: DeadLetterRecord): DeadLetterModel {
  return {
    receivedAt: new Date(record.receivedAt),
    origin: record.origin,
    source: record.source,
    type: record.type,
    reason: record.reason,
    field: record.field,
    sizeBytes: record.raw.length,
  };
}
