/**
 * The Kafka transport's port: the little the consumer logic needs from a Kafka client, in plain
 * types. The `@platformatic/kafka` adapter implements it (and is the only file that imports the
 * client); the batch logic is tested against in-memory fakes of it, without a broker.
 */

/** One consumed message, as the broker delivered it. */
export interface KafkaMessage {
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
  /** The message key (the event's subject, by convention); null when the producer sent none. */
  readonly key: Buffer | null;
  /** The original bytes (empty for a message without a value). */
  readonly value: Buffer;
  /** Header names as sent (UTF-8); values are the original bytes. */
  readonly headers: ReadonlyMap<string, Buffer>;
}

/** A message to produce. `key` decides the partition, so one subject's messages stay in order. */
export interface OutgoingMessage {
  readonly topic: string;
  readonly key: Buffer | null;
  readonly value: Buffer;
  readonly headers: ReadonlyMap<string, Buffer>;
}

/** A consumer-group position: the offset of the next message to read from a partition. */
export interface PartitionPosition {
  readonly topic: string;
  readonly partition: number;
  /** Next offset to consume: the last processed offset + 1 (Kafka's commit convention). */
  readonly offset: bigint;
}

/**
 * The broker is up but refuses these messages as they are (too large for the topic, an invalid
 * record): sending them again unchanged would be refused again. Any other send error may pass.
 */
export class MessageRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MessageRefused';
  }
}

/** Produces messages; resolves once the broker has acknowledged all of them (acks=all). */
export interface MessageProducer {
  send(messages: readonly OutgoingMessage[]): Promise<void>;
}

/** Commits consumer-group positions; resolves once the group coordinator has stored them. */
export interface OffsetCommitter {
  commit(positions: readonly PartitionPosition[]): Promise<void>;
}

/**
 * Where consumed messages come from: the consumer group's stream. `next` resolves with the
 * messages already fetched (at most `max`, at least one), waiting for some when there are none;
 * null when the stream has ended or `signal` aborted the wait.
 */
export interface MessageSource {
  next(max: number, signal: AbortSignal): Promise<KafkaMessage[] | null>;
  /** Stop fetching and release the stream (the consumer stays in the group). */
  close(): Promise<void>;
}

/** Consumer lag per partition: `topic → lag by partition index`; negative means not assigned. */
export type ConsumerLag = ReadonlyMap<string, readonly bigint[]>;

/** Everything the Kafka module needs from a connected client. */
export interface KafkaClient {
  readonly producer: MessageProducer;
  readonly committer: OffsetCommitter;
  /** Join the consumer group on `topics` and start fetching from the committed positions. */
  openSource(topics: readonly string[]): Promise<MessageSource>;
  /** Report the group's lag on `topics` every `intervalMs` (until close). */
  monitorLag(topics: readonly string[], intervalMs: number, onLag: (lag: ConsumerLag) => void): void;
  /** Leave the group and close every connection. */
  close(): Promise<void>;
}
