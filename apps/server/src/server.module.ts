import { Module } from '@nestjs/common';
import { AdminKeyModule, AuthModule } from '@lineage/auth';
import { LineageConfigModule } from '@lineage/config';
import { EventsHttpModule, GraphqlApiModule } from '@lineage/graphql-api';
import { KafkaModule } from '@lineage/kafka';
import { ObservabilityModule } from '@lineage/observability';
import { OffboardingModule } from '@lineage/offboarding';
import { PipelineModule } from '@lineage/pipeline';

/**
 * Everything in one process, on the configured store: the GraphQL API, `POST /events`,
 * health and metrics, the Kafka consumers (only when KAFKA_BROKERS is set) and offboarding.
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
    KafkaModule,
    OffboardingModule,
  ],
})
export class ServerModule {}
