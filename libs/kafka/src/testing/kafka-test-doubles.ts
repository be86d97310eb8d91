import type {
  KafkaMessage,
  MessageProducer,
  OffsetCommitter,
  OutgoingMessage,
  PartitionPosition,
} from '../kafka-transport.port';

/**
 * Test doubles of the transport port only (the broker's client), never of the store or the
 * pipeline: they record what they were asked to do, and can be told to fail.
 */

/** A shared, ordered record of what happened, to assert one step came before another. */
export type StepLog = string[];

export class RecordingProducer implements MessageProducer {
  readonly sent: OutgoingMessage[] = [];
  /** Calls still to fail before sends succeed. */
  failuresLeft = 0;
  calls = 0;

  constructor(private readonly steps: StepLog = []) {}

  async send(messages: readonly OutgoingMessage[]): Promise<void> {
    this.calls++;
    if (this.failuresLeft > 0) {
      this.failuresLeft--;
      this.steps.push('produce-failed');
      throw Object.assign(new Error('broker unavailable'), { code: 'PLT_KFK_NETWORK' });
    }
    this.sent.push(...messages);
    this.steps.push(`produce:${messages.map((m) => m.topic).join(',')}`);
  }
}

export class RecordingCommitter implements OffsetCommitter {
  readonly commits: (readonly PartitionPosition[])[] = [];
  failuresLeft = 0;
  /** Runs inside `commit`, before it records: lets a test look at the store at commit time. */
  onCommit: (positions: readonly PartitionPosition[]) => Promise<void> = async () => undefined;

  constructor(private readonly steps: StepLog = []) {}

  async commit(positions: readonly PartitionPosition[]): Promise<void> {
    if (this.failuresLeft > 0) {
      this.failuresLeft--;
      this.steps.push('commit-failed');
      throw Object.assign(new Error('rebalance in progress'), { code: 'PLT_KFK_PROTOCOL' });
    }
    await this.onCommit(positions);
    this.commits.push(positions);
    this.steps.push(`commit:${positions.map((p) => `${p.topic}/${p.partition}@${p.offset}`).join(',')}`);
  }
}

/** A Kafka message as the client would deliver it, keyed by `key` (the subject). */
export function kafkaMessage(
  topic: string,
  partition: number,
  offset: number,
  value: string | Buffer,
  options: { key?: string | null; headers?: Record<string, string> } = {},
): KafkaMessage {
  const headers = new Map(
    Object.entries(options.headers ?? {}).map(([name, v]) => [name, Buffer.from(v, 'utf8')] as const),
  );
  return {
    topic,
    partition,
    offset: BigInt(offset),
    key: options.key === null || options.key === undefined ? null : Buffer.from(options.key, 'utf8'),
    value: typeof value === 'string' ? Buffer.from(value, 'utf8') : value,
    headers,
  };
}

/** Header values of an outgoing message, decoded as UTF-8. */
export function headerText(message: OutgoingMessage): Record<string, string> {
  return Object.fromEntries([...message.headers].map(([name, value]) => [name, value.toString('utf8')]));
}
