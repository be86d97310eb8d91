import { SECRET_REASON } from '@lineage/events';
import type { IngestionPipeline, IngestResult, RawRecord, RecordOutcome } from '@lineage/pipeline';
import { countOutcomes } from '@lineage/pipeline';
import { fromKafkaBinary } from './kafka-binary-decoder';
import type { KafkaLog } from './kafka-log';
import { errorFields, silentKafkaLog } from './kafka-log';
import { nextPositions } from './partition-positions';
import type {
  KafkaMessage,
  MessageProducer,
  OffsetCommitter,
  OutgoingMessage,
  PartitionPosition,
} from './kafka-transport.port';
import type { Backoff, Sleep } from './retry-backoff';
import { abortableSleep, DEFAULT_BACKOFF, retryUntilDone } from './retry-backoff';

/** Headers a dead-lettered message carries, beside its original headers, key and bytes. */
export const DLQ_HEADERS = {
  reason: 'x-lineage-reason',
  field: 'x-lineage-field',
  origin: 'x-lineage-origin',
  /** `true` on a message refused for carrying a secret: its value is redacted, its key and headers dropped. */
  redacted: 'x-lineage-redacted',
} as const;

export interface KafkaBatchHandlerOptions {
  readonly pipeline: Pick<IngestionPipeline, 'ingest'>;
  readonly producer: MessageProducer;
  readonly committer: OffsetCommitter;
  readonly dlqTopic: string;
  readonly backoff?: Backoff;
  readonly sleep?: Sleep;
  readonly log?: KafkaLog;
}

/** What one batch came to, once its offsets are committed. */
export interface HandledBatch {
  readonly accepted: number;
  readonly duplicates: number;
  readonly rejected: number;
  readonly committed: readonly PartitionPosition[];
}

/**
 * One fetched batch, from bytes to committed offsets, in an order that loses nothing:
 *  1. every message becomes a `RawRecord` and the pipeline applies the batch (one store
 *     transaction; the store's dead-letter table counts the rejects);
 *  2. every rejected message goes to the dead-letter topic with its original key, bytes and
 *     headers, plus the reason, the field and where it came from (one refused for carrying a
 *     secret goes with every secret value redacted, as the store keeps it, and nothing else);
 *  3. only then the offsets are committed (next offset = last + 1, per partition).
 * A failing step is retried with capped exponential backoff, and nothing is committed until all
 * steps are done: a batch is never skipped. Redelivery after a crash is harmless, the store
 * counts events it has seen (by source + id) as duplicates. Each step is retried on its own, so a
 * dead-letter producer that is down does not make the store apply the batch twice.
 */
export class KafkaBatchHandler {
  private readonly backoff: Backoff;
  private readonly sleep: Sleep;
  private readonly log: KafkaLog;

  constructor(private readonly options: KafkaBatchHandlerOptions) {
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.sleep = options.sleep ?? abortableSleep;
    this.log = options.log ?? silentKafkaLog;
  }

  /**
   * Handle `messages` (one fetch: any partitions, each partition's messages in offset order).
   * `signal` stops the retries at shutdown: then this throws `RetryAborted` and nothing of the
   * batch is committed.
   */
  async handle(messages: readonly KafkaMessage[], signal: AbortSignal): Promise<HandledBatch> {
    if (messages.length === 0) return { accepted: 0, duplicates: 0, rejected: 0, committed: [] };
    const where = batchFields(messages);
    const onFailure = (step: string) => (error: unknown, attempt: number, delayMs: number) =>
      this.log('warn', `kafka batch: ${step} failed; nothing committed, retrying`, {
        ...where,
        attempt,
        retryInMs: delayMs,
        ...errorFields(error),
      });
    const retry = { backoff: this.backoff, signal, sleep: this.sleep };

    const records = messages.map(toRawRecord);
    const result = await retryUntilDone('store', () => this.options.pipeline.ingest(records), {
      ...retry,
      onFailure: onFailure('store'),
    });

    const deadLetters = deadLetterMessages(messages, records, result, this.options.dlqTopic);
    if (deadLetters.length > 0) {
      await retryUntilDone('dead-letter', () => this.options.producer.send(deadLetters), {
        ...retry,
        onFailure: onFailure('dead-letter topic'),
      });
    }

    const committed = nextPositions(messages);
    await retryUntilDone('commit', () => this.options.committer.commit(committed), {
      ...retry,
      onFailure: onFailure('offset commit'),
    });

    const counts = countOutcomes(result);
    this.log('debug', 'kafka batch committed', { ...where, ...counts });
    return { ...counts, committed };
  }
}

/** `kafka:<topic>/<partition>/<offset>`: where a record came from, in dead letters and logs. */
export function kafkaOrigin(message: Pick<KafkaMessage, 'topic' | 'partition' | 'offset'>): string {
  return `kafka:${message.topic}/${message.partition}/${message.offset}`;
}

/**
 * The pipeline's view of a message: its bytes, origin and headers (names lower-cased, values
 * UTF-8). A CloudEvent in the Kafka binding's binary mode arrives as the event its headers and
 * value make, or, when they do not make one, as a rejection naming the attribute.
 */
export function toRawRecord(message: KafkaMessage): RawRecord {
  const headers: Record<string, string> = {};
  for (const [name, value] of message.headers) headers[name.toLowerCase()] = value.toString('utf8');
  const record: RawRecord = {
    bytes: message.value,
    origin: kafkaOrigin(message),
    ...(message.headers.size > 0 ? { headers } : {}),
  };
  const binary = fromKafkaBinary(message);
  if (binary === null) return record;
  return binary.ok
    ? { ...record, value: binary.value }
    : { ...record, rejection: { reason: binary.reason, field: binary.field } };
}

type Rejection = Extract<RecordOutcome, { status: 'rejected' }>;

/**
 * The dead-letter message for a rejected one: same key, bytes and headers, plus why and whence.
 * A message refused for carrying a secret keeps none of what may hold it (key, headers, bytes):
 * its value is the event with every secret value replaced, as the store's dead-letter table
 * keeps it, and `x-lineage-redacted` says so.
 */
export function deadLetterMessage(
  message: KafkaMessage,
  record: RawRecord,
  rejection: Rejection,
  dlqTopic: string,
): OutgoingMessage {
  const secret = rejection.reason.endsWith(SECRET_REASON);
  const headers = secret ? new Map<string, Buffer>() : new Map(message.headers);
  headers.set(DLQ_HEADERS.reason, Buffer.from(rejection.reason, 'utf8'));
  if (rejection.field !== null) headers.set(DLQ_HEADERS.field, Buffer.from(rejection.field, 'utf8'));
  else headers.delete(DLQ_HEADERS.field);
  headers.set(DLQ_HEADERS.origin, Buffer.from(kafkaOrigin(message), 'utf8'));
  if (secret) headers.set(DLQ_HEADERS.redacted, Buffer.from('true', 'utf8'));
  else headers.delete(DLQ_HEADERS.redacted);
  return secret
    ? { topic: dlqTopic, key: null, value: rejection.raw, headers }
    : { topic: dlqTopic, key: message.key, value: message.value, headers };
}

function deadLetterMessages(
  messages: readonly KafkaMessage[],
  records: readonly RawRecord[],
  result: IngestResult,
  dlqTopic: string,
): OutgoingMessage[] {
  const out: OutgoingMessage[] = [];
  messages.forEach((message, i) => {
    const rejection = result.outcomes[i]?.find((o): o is Rejection => o.status === 'rejected');
    if (rejection) out.push(deadLetterMessage(message, records[i]!, rejection, dlqTopic));
  });
  return out;
}



function batchFields(messages: readonly KafkaMessage[]): Record<string, string | number> {
  const first = messages[0]!;
  const partitions = new Set(messages.map((m) => `${m.topic}/${m.partition}`));
  return {
    messages: messages.length,
    partitions: [...partitions].join(','),
    firstOrigin: kafkaOrigin(first),
    lastOrigin: kafkaOrigin(messages[messages.length - 1]!),
  };
}
