import {
  BeforeApplicationShutdown,
  Global,
  Inject,
  Injectable,
  Logger,
  Module,
  OnApplicationBootstrap,
  OnApplicationShutdown,
  Provider,
} from '@nestjs/common';
import { ConfigError, kafkaSasl, kafkaTopics, LineageConfig } from '@lineage/config';
import { IngestionPipeline } from '@lineage/pipeline';
import { KafkaBatchHandler } from './kafka-batch-handler';
import { KafkaIngestConsumer } from './kafka-ingest-consumer';
import type { KafkaLog } from './kafka-log';
import { ConsumerLagTracker, consumerLagTracker, offsetResetTracker } from './kafka-metrics';
import { KafkaPlanChannel } from './kafka-plan-channel';
import type { KafkaClient } from './kafka-transport.port';
import { parseBrokers, PlatformaticKafkaClient } from './platformatic-kafka-client';

/** Injection token of the connected `KafkaClient`, or null when Kafka is off. */
export const KAFKA_CLIENT = 'KAFKA_CLIENT';
/** Injection token of the `kafka` plan channel (`KafkaPlanChannel`), or null when Kafka is off. */
export const KAFKA_PLAN_CHANNEL = 'KAFKA_PLAN_CHANNEL';

/** How often the consumer group's lag is measured for `lineage_consumer_lag`. */
export const LAG_REPORT_INTERVAL_MS = 10_000;

/** A `KafkaLog` on a Nest logger: one structured object per line. */
export function nestKafkaLog(logger: Logger): KafkaLog {
  return (level, message, fields = {}) => {
    const line = { msg: message, ...fields };
    switch (level) {
      case 'debug':
        logger.debug(line);
        break;
      case 'info':
        logger.log(line);
        break;
      case 'warn':
        logger.warn(line);
        break;
      case 'error':
        logger.error(line);
        break;
    }
  };
}

/**
 * The Kafka client the configuration asks for, or null (logged once) when `KAFKA_BROKERS` is
 * unset. Topic settings that would loop are refused: a consumer of its own dead-letter or plan
 * topic would re-read every message it writes there.
 */
export function openKafkaClient(config: LineageConfig, logger: Logger): KafkaClient | null {
  if (!config.KAFKA_BROKERS) {
    logger.log('KAFKA_BROKERS is not set: Kafka is off (no consumers, no dead-letter topic, no plan topic)');
    return null;
  }
  const topics = kafkaTopics(config);
  if (topics.length === 0) throw new ConfigError(['KAFKA_TOPICS: names no topic']);
  for (const [name, topic] of [
    ['KAFKA_DLQ_TOPIC', config.KAFKA_DLQ_TOPIC],
    ['KAFKA_OFFBOARDING_TOPIC', config.KAFKA_OFFBOARDING_TOPIC],
  ] as const) {
    if (topics.includes(topic))
      throw new ConfigError([`KAFKA_TOPICS: must not include ${name} (${topic}); the consumer would re-read what it writes there`]);
  }
  const brokers = parseBrokers(config.KAFKA_BROKERS);
  if (brokers.length === 0)
    throw new ConfigError(['KAFKA_BROKERS: names no broker (expected host:port[,host:port…])']);
  logger.log({
    msg: 'Kafka is on',
    brokers: brokers.join(','),
    groupId: config.KAFKA_GROUP_ID,
    topics: topics.join(','),
    tls: config.KAFKA_TLS,
    sasl: config.KAFKA_SASL_MECHANISM ?? 'none',
  });
  return new PlatformaticKafkaClient({
    brokers,
    clientId: config.KAFKA_CLIENT_ID,
    groupId: config.KAFKA_GROUP_ID,
    highWaterMark: config.LINEAGE_BATCH_SIZE,
    tls: config.KAFKA_TLS === 'true',
    sasl: kafkaSasl(config),
    log: nestKafkaLog(logger),
    onOffsetReset: (reset) => offsetResetTracker.record(reset),
  });
}

/**
 * Runs the consumer group member for the life of the application: starts at bootstrap, stops
 * reading at shutdown (the batch in flight commits first, before the store closes), and closes
 * the client last, after every other module (the offboarding outbox included) is done with it.
 */
@Injectable()
export class KafkaIngestService implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('Kafka');
  private consumer: KafkaIngestConsumer | null = null;

  constructor(
    @Inject(KAFKA_CLIENT) private readonly client: KafkaClient | null,
    private readonly pipeline: IngestionPipeline,
    private readonly config: LineageConfig,
    private readonly lag: ConsumerLagTracker,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.client) return;
    const log = nestKafkaLog(this.logger);
    const topics = kafkaTopics(this.config);
    const handler = new KafkaBatchHandler({
      pipeline: this.pipeline,
      producer: this.client.producer,
      committer: this.client.committer,
      dlqTopic: this.config.KAFKA_DLQ_TOPIC,
      dlqMaxBytes: this.config.KAFKA_DLQ_MAX_BYTES,
      log,
    });
    this.consumer = new KafkaIngestConsumer({
      client: this.client,
      handler,
      topics,
      batchSize: this.config.LINEAGE_BATCH_SIZE,
      log,
    });
    this.consumer.start();
    this.client.monitorLag(topics, LAG_REPORT_INTERVAL_MS, (lag) => this.lag.update(lag));
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer?.stop();
    this.lag.clear();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client?.close();
  }
}

const kafkaClientProvider: Provider = {
  provide: KAFKA_CLIENT,
  inject: [LineageConfig],
  useFactory: (config: LineageConfig) => openKafkaClient(config, new Logger('Kafka')),
};

/** The `kafka` plan channel (null when Kafka is off), for the offboarding module's channel list. */
export const kafkaPlanChannelProvider: Provider = {
  provide: KAFKA_PLAN_CHANNEL,
  inject: [KAFKA_CLIENT, LineageConfig],
  useFactory: (client: KafkaClient | null, config: LineageConfig) =>
    client ? new KafkaPlanChannel(client.producer, config.KAFKA_OFFBOARDING_TOPIC) : null,
};

/**
 * Kafka for the application: when `KAFKA_BROKERS` is set, a consumer group member on
 * `KAFKA_TOPICS` feeding the ingestion pipeline, the dead-letter topic, the consumer-lag gauge's
 * data and the `kafka` plan channel; when it is not, nothing (and one log line saying so).
 * Global, so the offboarding module can inject `KAFKA_PLAN_CHANNEL` without importing it.
 */
@Global()
@Module({
  providers: [
    kafkaClientProvider,
    kafkaPlanChannelProvider,
    { provide: ConsumerLagTracker, useValue: consumerLagTracker },
    KafkaIngestService,
  ],
  exports: [KAFKA_CLIENT, KAFKA_PLAN_CHANNEL, ConsumerLagTracker],
})
export class KafkaModule {}
