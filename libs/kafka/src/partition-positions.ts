import type { PartitionPosition } from './kafka-transport.port';

/** Where a message sits: what the batch handler commits and the adapter commits with. */
interface Positioned {
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
}

/** One key per topic-partition. */
export function partitionKey(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}

/**
 * Per topic-partition, the message of `batch` with the highest offset. Not the last one: after a
 * rebalance the client fetches again from the committed offset but keeps what it had buffered, so
 * one batch can hold offsets 150…499 and then 150…249 again (applying them twice is harmless:
 * events are idempotent), and the batch's commit is past 499.
 */
export function newestByPartition<M extends Positioned>(batch: readonly M[]): Map<string, M> {
  const newest = new Map<string, M>();
  for (const message of batch) {
    const key = partitionKey(message.topic, message.partition);
    const known = newest.get(key);
    if (!known || message.offset > known.offset) newest.set(key, message);
  }
  return newest;
}

/** Per partition, the position after the highest offset in the batch (Kafka's commit convention). */
export function nextPositions(messages: readonly Positioned[]): PartitionPosition[] {
  return [...newestByPartition(messages).values()].map(({ topic, partition, offset }) => ({ topic, partition, offset: offset + 1n }));
}
