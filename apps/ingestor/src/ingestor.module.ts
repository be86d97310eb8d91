import { Module } from '@nestjs/common';
import { AuthModule } from '@lineage/auth';
import { LineageConfigModule } from '@lineage/config';
import { KafkaModule } from '@lineage/kafka';
import { ObservabilityModule } from '@lineage/observability';
import { OffboardingModule } from '@lineage/offboarding';
import { PipelineModule } from '@lineage/pipeline';

/**
 * The ingestor alone: Kafka consumers (KAFKA_BROKERS must be set) and offboarding, with
 * `GET /health` and `GET /metrics` (consumer lag included) for probes and scrapes. Keys are
 * verified against the shared store; the API seeds the first admin key, not the ingestor.
 */
@Module({
  imports: [LineageConfigModule, PipelineModule, ObservabilityModule, AuthModule, KafkaModule, OffboardingModule],
})
export class IngestorModule {}
