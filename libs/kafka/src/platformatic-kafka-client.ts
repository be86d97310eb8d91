import type { KafkaSasl } from '@lineage/config';
import type * as PlatformaticKafka from '@platformatic/kafka';
import type { Consumer, Message, MessagesStream, Producer } from '@platformatic/kafka';
import type { KafkaLog } from './kafka-log';
import { errorFields, silentKafkaLog } from './kafka-log';
import { MessageRefused } from './kafka-transport.port';
import type {
  ConsumerLag,
  KafkaClient,
  KafkaMessage,
  MessageProducer,
  MessageSource,
  OffsetCommitter,
  OutgoingMessage,
  PartitionPosition,
} from './kafka-transport.port';
import type { OffsetReset } from './partition-positions';
import { newestByPartition, outOfRangeResets, partitionKey } from './partition-positions';
import { holdPaused, readBatch } from './stream-batch-reader';

/**
 * The Kafka client adapter, on `@platformatic/kafka` 1.x: the only file that touches the client.
 * Every call follows the client's documentation (docs/consumer.md, docs/producer.md):
 *  - one `Consumer` in the group, `autocommit: false`, streams opened with `consume()` in
 *    `committed` mode (resume after the group's last commit; `earliest` when it has none, so
 *    events produced before the first start are not missed);
 *  - offsets are committed with each partition's last message's `commit()`, which commits
 *    offset + 1 with the partition's leader epoch and keeps the stream's committed offsets (the
 *    base of `getLag`) current;
 *  - one `Producer`, with the Java-compatible murmur2 partitioner so a key lands on the
 *    partition any other Kafka client would choose for it; every send asks for `acks: ALL`
 *    itself, as 1.x reads acks from the send's options only (a non-idempotent producer's
 *    default is the leader's acknowledgement alone);
 *  - a listener on the consumer's 'error': 1.x emits one when the group cannot be joined again
 *    after its retries, and an unheard 'error' event would end the process;
 *  - a committed offset the broker no longer holds (`OFFSET_OUT_OF_RANGE`, which 1.x does not
 *    retry and which would fail every reopened stream at the same offset) is moved to the
 *    partition's first retained offset before the next stream opens, as the Java consumer's
 *    `auto.offset.reset=earliest` would, and reported (`onOffsetReset`).
 */

type Bytes = Buffer;
type NativeConsumer = Consumer<Bytes, Bytes, Bytes, Bytes>;
type NativeProducer = Producer<Bytes, Bytes, Bytes, Bytes>;
type NativeMessage = Message<Bytes, Bytes, Bytes, Bytes>;
type NativeStream = MessagesStream<Bytes, Bytes, Bytes, Bytes>;

export interface PlatformaticKafkaSettings {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly groupId: string;
  /** Messages the consumer stream buffers before it pauses fetching (one batch's worth). */
  readonly highWaterMark: number;
  /** Connect over TLS, with the broker's host name as SNI. */
  readonly tls?: boolean;
  /** Authenticate with SASL (PLAIN or SCRAM); null or absent: no authentication. */
  readonly sasl?: KafkaSasl | null;
  readonly log?: KafkaLog;
  /** Told of every committed position moved to the first retained offset (already logged). */
  readonly onOffsetReset?: (reset: OffsetReset) => void;
}

/** What moving positions back into their partitions' logs needs of the client's consumer. */
export type GroupOffsets = Pick<NativeConsumer, 'assignments' | 'listOffsets' | 'listCommittedOffsets' | 'commit'>;

/** Does `error` (the client's) carry the broker's protocol error `apiId`? */
function hasProtocolError(error: unknown, apiId: string): boolean {
  const found = (error as { findBy?: (property: string, value: unknown) => unknown } | null)?.findBy?.('apiId', apiId);
  return found !== null && found !== undefined;
}

/** Is `error` the broker saying a fetch position is outside its partition's log? */
export function isOffsetOutOfRange(error: unknown): boolean {
  return hasProtocolError(error, 'OFFSET_OUT_OF_RANGE');
}

/** The broker's answers that refuse a produce request for what it holds, which a retry would not change. */
const REFUSED_RECORDS = ['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE', 'INVALID_RECORD'];

/** `MessageRefused` for a send the broker refused for its records; any other error as it is. */
export function asSendError(error: unknown): unknown {
  const refused = REFUSED_RECORDS.find((apiId) => hasProtocolError(error, apiId));
  return refused ? new MessageRefused(`the broker refused the messages: ${refused}`) : error;
}

/**
 * Commit, for this member's partitions of `topics`, the first retained offset wherever the group's
 * committed offset is outside the partition's log (`outOfRangeResets`); returns what it moved.
 */
export async function resetOutOfRangePositions(consumer: GroupOffsets, topics: readonly string[]): Promise<OffsetReset[]> {
  const assigned = (consumer.assignments ?? []).filter((assignment) => topics.includes(assignment.topic));
  if (assigned.length === 0) return [];
  const { ListOffsetTimestamps } = loadPlatformaticKafka();
  const names = assigned.map((assignment) => assignment.topic);
  const [committed, earliest, latest] = await Promise.all([
    consumer.listCommittedOffsets({ topics: assigned }),
    consumer.listOffsets({ topics: names, timestamp: ListOffsetTimestamps.EARLIEST }),
    consumer.listOffsets({ topics: names, timestamp: ListOffsetTimestamps.LATEST }),
  ]);
  const resets = outOfRangeResets(committed, earliest, latest);
  if (resets.length > 0) {
    // -1: no leader epoch to vouch for; the broker then does not check it.
    await consumer.commit({ offsets: resets.map(({ topic, partition, resumeAt }) => ({ topic, partition, offset: resumeAt, leaderEpoch: -1 })) });
  }
  return resets;
}

/**
 * `@platformatic/kafka` ships ES modules only. Node (>= 20.19) loads them with `require()`; jest's
 * module registry cannot, so the module is loaded through Node's own loader, which works in both.
 * Exported for the broker tests, which also need the client's admin and a plain consumer.
 */
export function loadPlatformaticKafka(): typeof PlatformaticKafka {
  const { createRequire } = process.getBuiltinModule('node:module');
  return createRequire(__filename)('@platformatic/kafka') as typeof PlatformaticKafka;
}

/** Split `KAFKA_BROKERS` (`host:port,host:port`). */
export function parseBrokers(value: string): string[] {
  return value
    .split(',')
    .map((broker) => broker.trim())
    .filter(Boolean);
}

export class PlatformaticKafkaClient implements KafkaClient {
  readonly producer: MessageProducer;
  readonly committer: OffsetCommitter;
  private readonly kafka = loadPlatformaticKafka();
  private readonly consumer: NativeConsumer;
  private readonly nativeProducer: NativeProducer;
  private readonly log: KafkaLog;
  /** Per topic-partition, the newest message of the batch last handed out: what a commit commits. */
  private delivered = new Map<string, NativeMessage>();
  private readonly streams = new Set<NativeStream>();
  /** A stream failed on a position outside its partition's log: check the positions before the next opens. */
  private outOfRange = false;

  constructor(private readonly settings: PlatformaticKafkaSettings) {
    this.log = settings.log ?? silentKafkaLog;
    const base = {
      clientId: settings.clientId,
      bootstrapBrokers: [...settings.brokers],
      ...(settings.tls ? { tls: {}, tlsServerName: true } : {}),
      ...(settings.sasl ? { sasl: settings.sasl } : {}),
    };
    this.consumer = new this.kafka.Consumer({
      ...base,
      groupId: settings.groupId,
      autocommit: false,
      highWaterMark: settings.highWaterMark,
    });
    // Not `idempotent`: with 1.35 an idempotent producer's send never settles while the broker is
    // unreachable (a plain one fails after its retries), and a send that never settles would stall
    // the batch forever. Duplicates from a producer retry are harmless here: dead letters are
    // at-least-once by design and a plan carries a stable CloudEvents id.
    this.nativeProducer = new this.kafka.Producer({
      ...base,
      partitioner: this.kafka.compatibilityPartitioner,
      autocreateTopics: false,
    });
    // A failed rejoin: the open streams end with the error, and the consumer loop reopens one,
    // which joins the group again from the committed offsets.
    this.consumer.on('error', (error: Error) => {
      this.log('error', 'kafka consumer left its group', errorFields(error));
      for (const stream of this.streams) stream.destroy(error);
    });
    this.producer = { send: (messages) => this.send(messages) };
    this.committer = { commit: (positions) => this.commit(positions) };
  }

  async openSource(topics: readonly string[]): Promise<MessageSource> {
    if (this.outOfRange) {
      await this.resetOutOfRange(topics);
      this.outOfRange = false;
    }
    const stream = await this.consumer.consume({
      topics: [...topics],
      mode: this.kafka.MessagesStreamModes.COMMITTED,
      fallbackMode: this.kafka.MessagesStreamFallbackModes.EARLIEST,
      autocommit: false,
      highWaterMark: this.settings.highWaterMark,
    });
    this.streams.add(stream);
    // The loop sees an error at its next read; meanwhile it is logged here.
    holdPaused(stream, (error) => {
      this.log('error', 'kafka consumer stream error', errorFields(error));
      if (isOffsetOutOfRange(error)) this.outOfRange = true;
    });
    return {
      next: async (max, signal) => {
        const batch = await readBatch<NativeMessage>(stream, max, signal);
        if (batch === null) return null;
        this.delivered = newestByPartition(batch);
        return batch.map(toKafkaMessage);
      },
      close: async () => {
        this.streams.delete(stream);
        if (!stream.closed) await stream.close();
      },
    };
  }

  private async resetOutOfRange(topics: readonly string[]): Promise<void> {
    for (const reset of await resetOutOfRangePositions(this.consumer, topics)) {
      this.log('error', 'kafka committed offset is outside the partition; resuming at its first retained offset', {
        topic: reset.topic,
        partition: reset.partition,
        committed: String(reset.committed),
        resumeAt: String(reset.resumeAt),
        lost: String(reset.lost),
      });
      this.settings.onOffsetReset?.(reset);
    }
  }

  monitorLag(topics: readonly string[], intervalMs: number, onLag: (lag: ConsumerLag) => void): void {
    this.consumer.on('consumer:lag', (lag) => onLag(lag));
    this.consumer.on('consumer:lag:error', (error) =>
      this.log('warn', 'kafka consumer lag unavailable', errorFields(error)),
    );
    this.consumer.startLagMonitoring({ topics: [...topics] }, intervalMs);
  }

  async close(): Promise<void> {
    this.consumer.stopLagMonitoring();
    // Unforced close refuses while a stream is open: close them first, then leave the group.
    for (const stream of this.streams) if (!stream.closed) await stream.close();
    this.streams.clear();
    await this.consumer.close();
    await this.nativeProducer.close();
  }

  private async send(messages: readonly OutgoingMessage[]): Promise<void> {
    await this.nativeProducer.send({
      acks: this.kafka.ProduceAcks.ALL,
      messages: messages.map((message) => ({
        topic: message.topic,
        ...(message.key ? { key: message.key } : {}),
        value: message.value,
        headers: new Map([...message.headers].map(([name, value]) => [Buffer.from(name, 'utf8'), value] as const)),
      })),
    }).catch((error: unknown) => {
      throw asSendError(error);
    });
  }

  private async commit(positions: readonly PartitionPosition[]): Promise<void> {
    await Promise.all(
      positions.map(async ({ topic, partition, offset }) => {
        const message = this.delivered.get(partitionKey(topic, partition));
        if (!message || message.offset + 1n !== offset) {
          throw new Error(
            `cannot commit ${topic}/${partition} at ${offset}: it does not follow the last message consumed`,
          );
        }
        await message.commit();
      }),
    );
  }
}

function toKafkaMessage(message: NativeMessage): KafkaMessage {
  const headers = new Map<string, Buffer>();
  for (const [name, value] of message.headers) {
    if (Buffer.isBuffer(name)) headers.set(name.toString('utf8'), Buffer.isBuffer(value) ? value : Buffer.alloc(0));
  }
  return {
    topic: message.topic,
    partition: message.partition,
    offset: message.offset,
    key: Buffer.isBuffer(message.key) ? message.key : null,
    value: Buffer.isBuffer(message.value) ? message.value : Buffer.alloc(0),
    headers,
  };
}
