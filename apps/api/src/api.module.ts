import { Module } from '@nestjs/common';
import { AdminKeyModule, AuthModule } from '@lineage/auth';
import { LineageConfigModule } from '@lineage/config';
import { EventsHttpModule, GraphqlApiModule } from '@lineage/graphql-api';
import { ObservabilityModule } from '@lineage/observability';
import { OffboardingModule } from '@lineage/offboarding';
import { PipelineModule } from '@lineage/pipeline';

/**
 * The API alone (GraphQL, `POST /events`, health, metrics), for replicas behind a load balancer
 * on a shared store (Neo4j). No Kafka consumers (those run in the ingestor). Offboarding runs
 * here too, for the leaver events this replica commits from `POST /events`: plans are idempotent
 * per triggering event, so replicas never make two.
 */
@Module({
  imports: [
    LineageConfigModule,
    PipelineModule,
    ObservabilityModule,
    AuthModule,
    AdminKeyModule,
    GraphqlApiModule,
    EventsHttpModule,
    OffboardingModule,
  ],
})
export class ApiModule {}
