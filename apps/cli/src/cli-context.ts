import type { DynamicModule, INestApplicationContext, Type } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { LineageConfigModule } from '@lineage/config';
import { OffboardingModule } from '@lineage/offboarding';
import { PipelineModule } from '@lineage/pipeline';
import { StderrLogger } from './stderr-logger';

/**
 * What `ingest` and `demo` need: the validated configuration, the store, the pipeline, and the
 * offboarding automation that listens to it (a leaver ingested from a file gets a plan too). No
 * HTTP, and no Kafka: a file ingestion must not join the consumer group. Plans are stored (and
 * queued for the webhook when one is configured); the Kafka plan channel is the server's.
 */
@Module({ imports: [LineageConfigModule, PipelineModule, OffboardingModule] })
export class IngestCliModule {}

export interface ContextOptions {
  readonly verbose?: boolean;
}

/**
 * Run `work` inside a Nest application context over `module`, and close it afterwards (which
 * drains the pipeline and closes the store). `abortOnError: false` makes a bad configuration an
 * exception we report, not a process abort.
 */
export async function withCliContext<T>(
  module: Type<unknown> | DynamicModule,
  options: ContextOptions,
  work: (app: INestApplicationContext) => Promise<T>,
): Promise<T> {
  const logger = new StderrLogger(options.verbose ? ['error', 'warn', 'log'] : ['error', 'warn']);
  const app = await NestFactory.createApplicationContext(module, { logger, abortOnError: false });
  let result: T;
  try {
    result = await work(app);
  } catch (error) {
    // Closing may fail for the same reason the work did (a locked store): report the first error.
    await app
      .close()
      .catch((closeError: unknown) => logger.warn(`closing after a failure: ${String(closeError)}`, 'cli'));
    throw error;
  }
  await app.close();
  return result;
}
