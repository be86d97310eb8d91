import { Counter, Gauge } from 'prom-client';
import type { Registry } from 'prom-client';
import type { ConsumerLag } from './kafka-transport.port';
import type { OffsetReset } from './partition-positions';
import { partitionKey } from './partition-positions';

export const CONSUMER_LAG_METRIC = 'lineage_consumer_lag';
export const OFFSET_RESETS_METRIC = 'lineage_kafka_offset_resets_total';
export const MESSAGES_LOST_METRIC = 'lineage_kafka_messages_lost_total';

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

/** One partition's offset resets since the process started, and the messages deleted unread. */
export interface OffsetResetTotal {
  topic: string;
  partition: string;
  resets: number;
  lost: number;
}

/** Per partition, since the process started: committed positions moved back into the log, and the messages deleted unread. */
export class OffsetResetTracker {
  private readonly totals = new Map<string, OffsetResetTotal>();

  record(reset: OffsetReset): void {
    const key = partitionKey(reset.topic, reset.partition);
    const total = this.totals.get(key) ?? { topic: reset.topic, partition: String(reset.partition), resets: 0, lost: 0 };
    total.resets += 1;
    total.lost += Number(reset.lost);
    this.totals.set(key, total);
  }

  entries(): OffsetResetTotal[] {
    return [...this.totals.values()].map((total) => ({ ...total }));
  }
}

/** The tracker the Kafka client reports its offset resets to. */
export const offsetResetTracker = new OffsetResetTracker();

/**
 * Register `lineage_consumer_lag{topic,partition}` (messages behind the end of each partition this
 * process consumes), `lineage_kafka_offset_resets_total{topic,partition}` and
 * `lineage_kafka_messages_lost_total{topic,partition}` in `registry`. The observability module
 * calls it on the registry `/metrics` serves; without Kafka they simply have no series.
 */
export function registerKafkaMetrics(
  registry: Registry,
  tracker: ConsumerLagTracker = consumerLagTracker,
  resets: OffsetResetTracker = offsetResetTracker,
): Gauge<'topic' | 'partition'> {
  // Both counters are alerts: any increase means a partition's committed offset had left its log.
  const resetCounter = (name: string, help: string, total: (entry: OffsetResetTotal) => number) =>
    new Counter({
      name,
      help,
      labelNames: ['topic', 'partition'] as const,
      registers: [registry],
      collect() {
        this.reset();
        for (const entry of resets.entries()) this.inc({ topic: entry.topic, partition: entry.partition }, total(entry));
      },
    });
  resetCounter(
    OFFSET_RESETS_METRIC,
    'Kafka committed offsets found outside their partition (deleted by retention, or past a truncated end) and moved to its first retained offset',
    (entry) => entry.resets,
  );
  resetCounter(MESSAGES_LOST_METRIC, 'Kafka messages deleted from their partition before this consumer group read them', (entry) => entry.lost);
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
