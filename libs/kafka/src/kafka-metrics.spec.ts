import { Registry } from 'prom-client';
import { ConsumerLagTracker, OffsetResetTracker, registerKafkaMetrics } from './kafka-metrics';

describe('registerKafkaMetrics', () => {
  it('exports the latest lag of the partitions this member consumes, per topic and partition', async () => {
    const registry = new Registry();
    const tracker = new ConsumerLagTracker();
    registerKafkaMetrics(registry, tracker);

    tracker.update(
      new Map([
        ['hr.events', [5n, -1n, 0n]],
        ['iam.events', [-2n, 1200n]],
      ]),
    );
    const text = await registry.metrics();

    expect(text).toContain('# TYPE lineage_consumer_lag gauge');
    expect(text).toContain('lineage_consumer_lag{topic="hr.events",partition="0"} 5');
    expect(text).toContain('lineage_consumer_lag{topic="hr.events",partition="2"} 0');
    expect(text).toContain('lineage_consumer_lag{topic="iam.events",partition="1"} 1200');
    // Partitions of other members (-1) or filtered out (-2) are not this member's to report.
    expect(text).not.toContain('partition="1"} -');
    expect(text).not.toContain('lineage_consumer_lag{topic="hr.events",partition="1"}');
    expect(text).not.toContain('lineage_consumer_lag{topic="iam.events",partition="0"}');
  });

  it('drops partitions that a later report no longer lists (a rebalance moved them), and all of them on clear', async () => {
    const registry = new Registry();
    const tracker = new ConsumerLagTracker();
    registerKafkaMetrics(registry, tracker);

    tracker.update(new Map([['ci.events', [3n, 4n]]]));
    tracker.update(new Map([['ci.events', [-1n, 9n]]]));
    const afterRebalance = await registry.metrics();
    expect(afterRebalance).not.toContain('lineage_consumer_lag{topic="ci.events",partition="0"}');
    expect(afterRebalance).toContain('lineage_consumer_lag{topic="ci.events",partition="1"} 9');

    tracker.clear();
    expect(await registry.metrics()).not.toContain('lineage_consumer_lag{');
  });

  it('counts offset resets and the messages lost to them, per partition, for alerting', async () => {
    const registry = new Registry();
    const resets = new OffsetResetTracker();
    registerKafkaMetrics(registry, new ConsumerLagTracker(), resets);
    expect(await registry.metrics()).not.toContain('lineage_kafka_offset_resets_total{');

    resets.record({ topic: 'hr.events', partition: 2, committed: 3n, resumeAt: 12n, lost: 9n });
    resets.record({ topic: 'hr.events', partition: 2, committed: 12n, resumeAt: 40n, lost: 28n });
    resets.record({ topic: 'iam.events', partition: 0, committed: 80n, resumeAt: 0n, lost: 0n });
    const text = await registry.metrics();

    expect(text).toContain('# TYPE lineage_kafka_offset_resets_total counter');
    expect(text).toContain('lineage_kafka_offset_resets_total{topic="hr.events",partition="2"} 2');
    expect(text).toContain('lineage_kafka_offset_resets_total{topic="iam.events",partition="0"} 1');
    expect(text).toContain('lineage_kafka_messages_lost_total{topic="hr.events",partition="2"} 37');
    expect(text).toContain('lineage_kafka_messages_lost_total{topic="iam.events",partition="0"} 0');
  });
});
