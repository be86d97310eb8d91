import { Gauge } from 'prom-client';
import type { Registry } from 'prom-client';
import type { ConsumerLag } from './kafka-transport.port';

export const CONSUMER_LAG_METRIC = 'lineage_consumer_lag';

/**
 * The latest consumer-lag report of this process's consumer group member. The consumer updates
 * it on every lag report; the gauge reads it at scrape time. Partitions assigned to other members
 * of the group are not ours to report (their replicas export them), so they are left out.
 */
export class ConsumerLagTracker {
  private latest: ReadonlyMap<string, number> = new Map();

  update(lag: ConsumerLag): void {
    const next = new Map<string, number>();
    for (const [topic, partitions] of lag) {
      partitions.forEach((value, partition) => {
        // -1: not assigned to this member; -2: filtered out of the request.
        if (value >= 0n) next.set(`${topic}\u0000${partition}`, Number(value));
      });
    }
    this.latest = next;
  }

  /** Forget every partition (the consumer stopped). */
  clear(): void {
    this.latest = new Map();
  }

  entries(): { topic: string; partition: string; lag: number }[] {
    return [...this.latest].map(([key, lag]) => {
      const [topic, partition] = key.split('\u0000') as [string, string];
      return { topic, partition, lag };
    });
  }
}

/** The tracker the Kafka module feeds; one consumer group member per process. */
export const consumerLagTracker = new ConsumerLagTracker();

/**
 * Register `lineage_consumer_lag{topic,partition}` (messages behind the end of each partition this
 * process consumes) in `registry`. The observability module calls it on the registry `/metrics`
 * serves; without Kafka the gauge simply has no series.
 */
export function registerKafkaMetrics(
  registry: Registry,
  tracker: ConsumerLagTracker = consumerLagTracker,
): Gauge<'topic' | 'partition'> {
  return new Gauge({
    name: CONSUMER_LAG_METRIC,
    help: 'Kafka consumer lag: messages between the committed offset and the end of the partition',
    labelNames: ['topic', 'partition'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const { topic, partition, lag } of tracker.entries()) this.set({ topic, partition }, lag);
    },
  });
}
