import { Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import type { GraphStore } from '@lineage/domain';
import { GRAPH_STORE } from '@lineage/domain';
import { LineageConfig } from '@lineage/config';
import { IngestionPipeline } from './ingestion-pipeline';
import { openGraphStore } from './open-graph-store';

/**
 * The store and the pipeline, once per process. Every transport (HTTP, Kafka, the CLI) injects
 * `IngestionPipeline`; readers inject the store by the `GRAPH_STORE` token.
 */
@Global()
@Module({
  providers: [
    { provide: GRAPH_STORE, inject: [LineageConfig], useFactory: (config: LineageConfig) => openGraphStore(config) },
    { provide: IngestionPipeline, inject: [GRAPH_STORE], useFactory: (store: GraphStore) => new IngestionPipeline(store) },
  ],
  exports: [GRAPH_STORE, IngestionPipeline],
})
export class PipelineModule implements OnApplicationShutdown {
  private readonly logger = new Logger(PipelineModule.name);

  constructor(
    @Inject(GRAPH_STORE) private readonly store: GraphStore,
    private readonly pipeline: IngestionPipeline,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    // Graceful shutdown: let the batch in flight commit, then close the store.
    await this.pipeline.drain();
    await this.store.close();
    this.logger.log('store closed');
  }
}
