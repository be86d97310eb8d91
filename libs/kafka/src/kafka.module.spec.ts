import { Global, Logger, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { LineageConfig, validateConfig } from '@lineage/config';
import { IngestionPipeline } from '@lineage/pipeline';
import { EmbeddedGraphStore } from '@lineage/store-embedded';
import type { FactoryProvider } from '@nestjs/common';
import {
  KAFKA_CLIENT,
  KAFKA_PLAN_CHANNEL,
  kafkaPlanChannelProvider,
  KafkaModule,
  openKafkaClient,
} from './kafka.module';
import { KafkaPlanChannel } from './kafka-plan-channel';
import { PlatformaticKafkaClient } from './platformatic-kafka-client';

/** The global modules KafkaModule relies on, with a given environment. */
function globalsFor(env: Record<string, string>) {
  @Global()
  @Module({
    providers: [
      { provide: LineageConfig, useValue: validateConfig(env) },
      { provide: IngestionPipeline, useValue: new IngestionPipeline(EmbeddedGraphStore.open({ dataDir: ':memory:' })) },
    ],
    exports: [LineageConfig, IngestionPipeline],
  })
  class TestGlobals {}
  return TestGlobals;
}

const quietLogger = (): Logger => {
  const logger = new Logger('test');
  jest.spyOn(logger, 'log').mockImplementation(() => undefined);
  return logger;
};

describe('KafkaModule', () => {
  it('without KAFKA_BROKERS provides no client and no plan channel, says so once, and starts and stops cleanly', async () => {
    const said = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    @Module({ imports: [globalsFor({}), KafkaModule] })
    class App {}
    const app = await NestFactory.createApplicationContext(App, { logger: false });

    expect(app.get(KAFKA_CLIENT)).toBeNull();
    expect(app.get(KAFKA_PLAN_CHANNEL)).toBeNull();
    const kafkaOff = said.mock.calls.filter(
      ([message]) => typeof message === 'string' && message.startsWith('KAFKA_BROKERS is not set'),
    );
    expect(kafkaOff).toHaveLength(1);

    await app.close();
    said.mockRestore();
  });

  it('with KAFKA_BROKERS makes the client and the `kafka` plan channel on the configured topic', async () => {
    const config = validateConfig({ KAFKA_BROKERS: 'kafka-1:9092, kafka-2:9092', KAFKA_OFFBOARDING_TOPIC: 'plans' });
    // Constructing the client opens no connection; only consuming or producing would.
    const client = openKafkaClient(config, quietLogger());
    expect(client).toBeInstanceOf(PlatformaticKafkaClient);

    const factory = (kafkaPlanChannelProvider as FactoryProvider).useFactory as (...args: unknown[]) => unknown;
    const channel = factory(client, config);
    expect(channel).toBeInstanceOf(KafkaPlanChannel);
    expect((channel as KafkaPlanChannel).name).toBe('kafka');
    expect(factory(null, config)).toBeNull();
    await client!.close();
  });
});

describe('openKafkaClient', () => {
  it.each([
    ['KAFKA_DLQ_TOPIC', { KAFKA_TOPICS: 'hr.events,lineage.dlq' }],
    ['KAFKA_OFFBOARDING_TOPIC', { KAFKA_TOPICS: 'hr.events,lineage.offboarding' }],
  ])('refuses input topics that include %s (the consumer would re-read what it writes)', (name, env) => {
    const config = validateConfig({ KAFKA_BROKERS: 'localhost:9092', ...env });
    expect(() => openKafkaClient(config, quietLogger())).toThrow(new RegExp(`KAFKA_TOPICS: must not include ${name}`));
  });

  it('connects over TLS with SASL when configured (options the client accepts), and never logs the password', async () => {
    const logger = new Logger('test');
    const said: unknown[] = [];
    jest.spyOn(logger, 'log').mockImplementation((message: unknown) => void said.push(message));
    const config = validateConfig({
      KAFKA_BROKERS: 'broker-1:9096',
      KAFKA_TLS: 'true',
      KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
      KAFKA_SASL_USERNAME: 'lineage',
      KAFKA_SASL_PASSWORD: 'pw-never-logged',
    });
    // The client validates its options when constructed: a shape it does not know would throw here.
    const client = openKafkaClient(config, logger)!;
    for (const name of ['consumer', 'nativeProducer']) {
      const native = (client as unknown as Record<string, object>)[name]!;
      const key = Object.getOwnPropertySymbols(native).find((symbol) => symbol.description === 'plt.kafka.base.options')!;
      expect((native as Record<symbol, unknown>)[key]).toMatchObject({
        tls: {},
        tlsServerName: true,
        sasl: { mechanism: 'SCRAM-SHA-512', username: 'lineage', password: 'pw-never-logged' },
      });
    }
    expect(said).toEqual([expect.objectContaining({ msg: 'Kafka is on', tls: 'true', sasl: 'SCRAM-SHA-512' })]);
    expect(JSON.stringify(said)).not.toContain('pw-never-logged');
    await client.close();
  });

  it('refuses SASL settings that are not all set, and an unknown mechanism, naming the variables', () => {
    expect(() => validateConfig({ KAFKA_SASL_MECHANISM: 'PLAIN', KAFKA_SASL_USERNAME: 'lineage' })).toThrow(
      /KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD: set all three/,
    );
    expect(() => validateConfig({ KAFKA_SASL_MECHANISM: 'GSSAPI', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p' })).toThrow(
      /KAFKA_SASL_MECHANISM: /,
    );
    expect(() => validateConfig({ KAFKA_TLS: 'yes' })).toThrow(/KAFKA_TLS: /);
  });

  it('takes the dead-letter send cap as a whole number of bytes, 1 KiB or more', () => {
    expect(validateConfig({}).KAFKA_DLQ_MAX_BYTES).toBe(1_000_000);
    expect(validateConfig({ KAFKA_DLQ_MAX_BYTES: '8388608' }).KAFKA_DLQ_MAX_BYTES).toBe(8_388_608);
    expect(() => validateConfig({ KAFKA_DLQ_MAX_BYTES: '100' })).toThrow(/KAFKA_DLQ_MAX_BYTES: /);
    expect(() => validateConfig({ KAFKA_DLQ_MAX_BYTES: '1MB' })).toThrow(/KAFKA_DLQ_MAX_BYTES: /);
  });

  it('refuses a broker list or a topic list that names nothing, naming the variable', () => {
    expect(() => openKafkaClient(validateConfig({ KAFKA_BROKERS: ' , ' }), quietLogger())).toThrow(
      /KAFKA_BROKERS: names no broker/,
    );
    expect(() =>
      openKafkaClient(validateConfig({ KAFKA_BROKERS: 'localhost:9092', KAFKA_TOPICS: ',' }), quietLogger()),
    ).toThrow(/KAFKA_TOPICS: names no topic/);
  });
});
