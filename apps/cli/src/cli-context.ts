import type { DynamicModule, INestApplicationContext, LogLevel, Type } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { LineageConfigModule } from '@lineage/config';
import { PipelineModule } from '@lineage/pipeline';
import { StderrLogger } from './stderr-logger';

/** What `ingest` and `demo` need: the validated configuration, the store and the pipeline. No HTTP. */
@Module({ imports: [LineageConfigModule, PipelineModule] })
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
  const levels: LogLevel[] = options.verbose ? ['error', 'warn', 'log'] : ['error', 'warn'];
  const app = await NestFactory.createApplicationContext(module, {
    logger: new StderrLogger(levels),
    abortOnError: false,
  });
  try {
    return await work(app);
  } finally {
    await app.close();
  }
}
