import type { MiddlewareConsumer, NestModule } from '@nestjs/common';
import { Global, Module, RequestMethod } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { LineageConfig } from '@lineage/config';
import { HealthController } from './health.controller';
import { HttpErrorFilter } from './http/http-error.filter';
import { RequestLoggingMiddleware } from './http/request-logging.middleware';
import { JsonLogger } from './json-logger';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';

/**
 * Logs, metrics, health and HTTP error responses, for every app: the JSON logger, the
 * Prometheus registry fed by the pipeline, `GET /health`, `GET /metrics`, one log line per
 * request, and the mapping of domain errors to HTTP statuses.
 */
@Global()
@Module({
  controllers: [HealthController, MetricsController],
  providers: [
    {
      provide: JsonLogger,
      inject: [LineageConfig],
      useFactory: (config: LineageConfig) => new JsonLogger(config.LOG_LEVEL),
    },
    MetricsService,
    { provide: APP_FILTER, useClass: HttpErrorFilter },
  ],
  exports: [JsonLogger, MetricsService],
})
export class ObservabilityModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequestLoggingMiddleware).forRoutes({ path: '{*path}', method: RequestMethod.ALL });
  }
}
