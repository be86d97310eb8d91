import { Logger, Module } from '@nestjs/common';
import type { GraphStore } from '@lineage/domain';
import { GRAPH_STORE, PLAN_DELIVERY_CONTROL } from '@lineage/domain';
import { LineageConfig } from '@lineage/config';
import { KAFKA_PLAN_CHANNEL } from '@lineage/kafka';
import { MetricsService } from '@lineage/observability';
import { OffboardingMetrics } from './offboarding-metrics';
import type { OffboardingOptions } from './offboarding.service';
import { DEFAULT_OFFBOARDING_OPTIONS, OFFBOARDING_OPTIONS, OffboardingService, configuredPlanChannels } from './offboarding.service';
import type { PlanChannel } from './plan-channel';
import { PLAN_CHANNELS } from './plan-channel';
import type { DeliveryLog } from './plan-delivery-worker';
import { PlanDeliveryWorker } from './plan-delivery-worker';
import { WebhookPlanChannel } from './webhook-plan-channel';

/**
 * The configured plan channels: Kafka (`lineage.offboarding`) when the Kafka module provides its
 * channel — it does only when KAFKA_BROKERS is set — and the webhook when LINEAGE_WEBHOOK_URL is.
 * With neither, plans are still stored and served over GraphQL.
 */
export function planChannels(
  config: LineageConfig,
  options: OffboardingOptions | undefined,
  kafka: PlanChannel | null | undefined,
): PlanChannel[] {
  const channels: PlanChannel[] = [];
  if (kafka) channels.push(kafka);
  if (config.LINEAGE_WEBHOOK_URL) {
    const timeoutMs = (options ?? DEFAULT_OFFBOARDING_OPTIONS).webhookTimeoutMs;
    channels.push(
      new WebhookPlanChannel({
        url: config.LINEAGE_WEBHOOK_URL,
        secret: config.LINEAGE_WEBHOOK_SECRET ?? '',
        timeoutMs,
      }),
    );
  }
  return channels;
}

function nestDeliveryLog(logger: Logger): DeliveryLog {
  return (level, msg, fields) =>
    level === 'warn' ? logger.warn({ msg, ...fields }) : logger.error({ msg, ...fields });
}

/** Offboarding's metrics on the registry `/metrics` serves; none in a process without one (the CLI). */
export function offboardingMetrics(
  service: OffboardingService,
  store: GraphStore,
  config: LineageConfig,
  options: OffboardingOptions | undefined,
  metrics: MetricsService | undefined,
): OffboardingMetrics | null {
  if (!metrics) return null;
  const logger = new Logger('Offboarding');
  const offboarding = new OffboardingMetrics(metrics.registry, {
    outbox: () => store.deliveryOutbox(),
    channels: configuredPlanChannels(config),
    clock: (options ?? DEFAULT_OFFBOARDING_OPTIONS).clock,
    onError: (error) => logger.warn({ msg: 'offboarding outbox not read for /metrics', error: error instanceof Error ? error.message : String(error) }),
  });
  service.onPlanned((plan, trigger) => offboarding.planned(plan, trigger));
  service.onAttempt((attempt) => offboarding.attempted(attempt));
  return offboarding;
}

/**
 * Offboarding automation for an application that ingests: needs the global config and pipeline
 * modules (`LineageConfigModule`, `PipelineModule`), and `KafkaModule` for the Kafka channel.
 * With the global `ObservabilityModule`, its metrics go on the registry `/metrics` serves.
 * `OFFBOARDING_OPTIONS` (delivery policy, webhook timeout, clock) is optional: a global provider
 * of it (a test, the bench) replaces the defaults.
 */
@Module({
  providers: [
    {
      provide: PLAN_CHANNELS,
      inject: [
        LineageConfig,
        { token: OFFBOARDING_OPTIONS, optional: true },
        { token: KAFKA_PLAN_CHANNEL, optional: true },
      ],
      useFactory: planChannels,
    },
    {
      provide: PlanDeliveryWorker,
      inject: [GRAPH_STORE, PLAN_CHANNELS, { token: OFFBOARDING_OPTIONS, optional: true }],
      useFactory: (store: GraphStore, channels: PlanChannel[], options: OffboardingOptions | undefined) => {
        const { delivery, clock } = options ?? DEFAULT_OFFBOARDING_OPTIONS;
        return new PlanDeliveryWorker(store, channels, delivery, clock, nestDeliveryLog(new Logger('Offboarding')));
      },
    },
    { provide: PLAN_DELIVERY_CONTROL, useExisting: PlanDeliveryWorker },
    OffboardingService,
    {
      provide: OffboardingMetrics,
      inject: [OffboardingService, GRAPH_STORE, LineageConfig, { token: OFFBOARDING_OPTIONS, optional: true }, { token: MetricsService, optional: true }],
      useFactory: offboardingMetrics,
    },
  ],
  exports: [OffboardingService, PlanDeliveryWorker, PLAN_CHANNELS, PLAN_DELIVERY_CONTROL],
})
export class OffboardingModule {}
