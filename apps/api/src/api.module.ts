import { Module } from '@nestjs/common';
import { AdminKeyModule, AuthModule } from '@lineage/auth';
import { LineageConfigModule } from '@lineage/config';
import { EventsHttpModule, GraphqlApiModule } from '@lineage/graphql-api';
import { ObservabilityModule } from '@lineage/observability';
import { PipelineModule } from '@lineage/pipeline';

/**
 * The API alone (GraphQL, `POST /events`, health, metrics), for replicas behind a load balancer
 * on a shared store (Neo4j). No Kafka consumers and no offboarding: those run in the ingestor.
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
  ],
})
export class ApiModule {}
