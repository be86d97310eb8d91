import { Global, Module } from '@nestjs/common';
import { LineageConfig, validateConfig } from './lineage-config';

/** Provides the validated `LineageConfig`; read once, from `process.env`, here only. */
@Global()
@Module({
  providers: [{ provide: LineageConfig, useFactory: () => validateConfig(process.env) }],
  exports: [LineageConfig],
})
export class LineageConfigModule {}
