export * from './ingest-types';
export * from './ingestion-pipeline';
export * from './pipeline.module';
export * from './open-graph-store';
