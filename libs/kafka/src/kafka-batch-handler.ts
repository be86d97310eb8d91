import { SECRET_REASON } from '@lineage/events';
import type { IngestionPipeline, IngestResult, RawRecord, RecordOutcome } from '@lineage/pipeline';
import { countOutcomes } from '@lineage/pipeline';
import { fromKafkaBinary } from './kafka-binary-decoder';
import type { KafkaLog } from './kafka-log';
import { errorFields, silentKafkaLog } from './kafka-log';
import { nextPositions } from './partition-positions';
import { MessageRefused } from './kafka-transport.port';
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
  /** On a dead letter too large for the topic: the original value's size in bytes; the value is empty. */
  truncated: 'x-lineage-truncated',
} as const;

/**
 * The default cap on one dead-letter send, in bytes: under Kafka's default `max.message.bytes`
 * (1,048,588), which bounds each partition's record batch in a produce request.
 */
export const DEFAULT_DLQ_MAX_BYTES = 1_000_000;

export interface KafkaBatchHandlerOptions {
  readonly pipeline: Pick<IngestionPipeline, 'ingest'>;
  readonly producer: MessageProducer;
  readonly committer: OffsetCommitter;
  readonly dlqTopic: string;
  /** Most bytes one send to the dead-letter topic carries (the topic's `max.message.bytes`); DEFAULT_DLQ_MAX_BYTES. */
  readonly dlqMaxBytes?: number;
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
 *     (in sends no larger than the topic takes; a dead letter too large on its own goes without
 *     its value, which the store's dead-letter table keeps: a send the broker refuses for its
 *     size would be refused again on every retry, and stop the consumer for good);
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
    for (const send of deadLetterSends(deadLetters, this.options.dlqMaxBytes ?? DEFAULT_DLQ_MAX_BYTES)) {
      await retryUntilDone('dead-letter', () => this.sendDeadLetters(send), {
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

  /**
   * One send of dead letters. When the broker refuses it for its records (the topic takes less than
   * `dlqMaxBytes` says), each goes alone without its value, as one too large would: sent again
   * unchanged it would be refused on every retry.
   */
  private async sendDeadLetters(letters: readonly OutgoingMessage[]): Promise<void> {
    try {
      await this.options.producer.send(letters);
    } catch (error) {
      if (!(error instanceof MessageRefused)) throw error;
      this.log('error', 'kafka dead-letter topic refused the dead letters; sending them without their values (the store keeps them)', {
        topic: this.options.dlqTopic,
        messages: letters.length,
        ...errorFields(error),
      });
      for (const letter of letters) await this.options.producer.send([truncated(letter)]);
    }
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

/** A record's size in a record batch, near enough (its key, value and headers, and ~20 bytes of framing). */
function recordBytes(message: OutgoingMessage): number {
  let bytes = 21 + (message.key?.length ?? 0) + message.value.length;
  for (const [name, value] of message.headers) bytes += 2 + Buffer.byteLength(name, 'utf8') + value.length;
  return bytes;
}

/** A record batch's own framing (its header), in bytes. */
const BATCH_OVERHEAD = 61;

/**
 * `letters` split into sends of at most `maxBytes` each, in order. A dead letter larger than that
 * on its own goes as a stub: its key and the dead-letter headers (reason, field, origin), an empty
 * value, and `x-lineage-truncated` with the original value's size. Its original headers are left
 * out too, as they may be what made it large. The store's dead-letter table keeps its bytes.
 */
export function deadLetterSends(letters: readonly OutgoingMessage[], maxBytes: number): OutgoingMessage[][] {
  const sends: OutgoingMessage[][] = [];
  let current: OutgoingMessage[] = [];
  let size = BATCH_OVERHEAD;
  for (const letter of letters) {
    const whole = recordBytes(letter);
    const fitted = whole + BATCH_OVERHEAD > maxBytes ? truncated(letter) : letter;
    const bytes = fitted === letter ? whole : recordBytes(fitted);
    if (current.length > 0 && size + bytes > maxBytes) {
      sends.push(current);
      current = [];
      size = BATCH_OVERHEAD;
    }
    current.push(fitted);
    size += bytes;
  }
  if (current.length > 0) sends.push(current);
  return sends;
}

function truncated(letter: OutgoingMessage): OutgoingMessage {
  const headers = new Map<string, Buffer>();
  for (const name of Object.values(DLQ_HEADERS)) {
    const value = letter.headers.get(name);
    if (value) headers.set(name, value);
  }
  headers.set(DLQ_HEADERS.truncated, Buffer.from(String(letter.value.length), 'utf8'));
  return { ...letter, value: Buffer.alloc(0), headers };
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
