import 'reflect-metadata';
import { startApp } from '@lineage/observability';
import { IngestorModule } from './ingestor.module';

/** `npm run start:ingestor`: Kafka consumers and offboarding, with health and metrics. */
void startApp(IngestorModule, 'ingestor');
