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

/** Per topic, an offset per partition index (holes where a partition was not asked about). */
export type OffsetsByPartition = ReadonlyMap<string, readonly (bigint | undefined)[]>;

/** A committed position the broker no longer holds, and where the group resumes instead. */
export interface OffsetReset {
  readonly topic: string;
  readonly partition: number;
  /** The committed offset, outside the partition's log. */
  readonly committed: bigint;
  /** The partition's first retained offset: where the group resumes. */
  readonly resumeAt: bigint;
  /** Messages deleted (by retention, or deleteRecords) before the group read them; 0 when the commit was past the end. */
  readonly lost: bigint;
}

/**
 * The committed positions outside their partition's log (`earliest` ≤ offset ≤ `latest`), each
 * to resume at the first retained offset. Below the log, the messages in between were deleted
 * unread: they are lost whatever the consumer does, and waiting would only stop every partition
 * behind this one. Past the end (a truncated log, a topic deleted and created again), going back
 * to the first offset reads some messages twice, which is harmless: events are idempotent by id.
 * Either way nothing still in the log is skipped. A partition without a commit (negative) is the
 * client's fallback to decide, not a reset.
 */
export function outOfRangeResets(committed: OffsetsByPartition, earliest: OffsetsByPartition, latest: OffsetsByPartition): OffsetReset[] {
  const resets: OffsetReset[] = [];
  for (const [topic, offsets] of committed) {
    offsets.forEach((offset, partition) => {
      const first = earliest.get(topic)?.[partition];
      const end = latest.get(topic)?.[partition];
      if (offset === undefined || offset < 0n || first === undefined || end === undefined) return;
      if (offset < first) resets.push({ topic, partition, committed: offset, resumeAt: first, lost: first - offset });
      else if (offset > end) resets.push({ topic, partition, committed: offset, resumeAt: first, lost: 0n });
    });
  }
  return resets;
}
