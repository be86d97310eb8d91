import { validateConfig } from '@lineage/config';
import { configuredPlanChannels } from './offboarding.service';

describe('configuredPlanChannels', () => {
  it('queues a plan for every channel the configuration names, whatever this process has loaded', () => {
    expect(configuredPlanChannels(validateConfig({}))).toEqual([]);
    expect(configuredPlanChannels(validateConfig({ KAFKA_BROKERS: 'kafka:9092' }))).toEqual(['kafka']);
    expect(
      configuredPlanChannels(
        validateConfig({ KAFKA_BROKERS: 'kafka:9092', LINEAGE_WEBHOOK_URL: 'https://soar.example/hook', LINEAGE_WEBHOOK_SECRET: 'a-long-enough-secret' }),
      ),
    ).toEqual(['kafka', 'webhook']);
  });
});
