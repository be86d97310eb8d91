import type { HandledBatch } from './kafka-batch-handler';
import type { KafkaLog } from './kafka-log';
import { errorFields, silentKafkaLog } from './kafka-log';
import type { KafkaClient, KafkaMessage, MessageSource } from './kafka-transport.port';
import type { Backoff, Sleep } from './retry-backoff';
import { abortableSleep, backoffDelay, DEFAULT_BACKOFF, RetryAborted } from './retry-backoff';

export interface KafkaIngestConsumerOptions {
  readonly client: Pick<KafkaClient, 'openSource'>;
  readonly handler: { handle(messages: readonly KafkaMessage[], signal: AbortSignal): Promise<HandledBatch> };
  readonly topics: readonly string[];
  /** Most messages per batch (one store transaction). */
  readonly batchSize: number;
  readonly backoff?: Backoff;
  readonly sleep?: Sleep;
  readonly log?: KafkaLog;
}

/**
 * The consumer loop: open the group's stream, then batch after batch, hand each to the batch
 * handler and only then read the next, so each partition's messages apply in offset order. When
 * the stream fails (broker gone, group error) it is reopened with backoff from the committed
 * positions: whatever was not committed is read again.
 *
 * `stop()` is the graceful shutdown: no further batch is read, the batch in flight finishes and
 * commits; if it is waiting to retry a failed step, it gives up without committing (the group
 * will deliver it again).
 */
export class KafkaIngestConsumer {
  private readonly stopping = new AbortController();
  private running: Promise<void> | null = null;
  private readonly backoff: Backoff;
  private readonly sleep: Sleep;
  private readonly log: KafkaLog;

  constructor(private readonly options: KafkaIngestConsumerOptions) {
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.sleep = options.sleep ?? abortableSleep;
    this.log = options.log ?? silentKafkaLog;
  }

  /** Start consuming in the background; `stop()` ends it. Starting twice is a no-op. */
  start(): void {
    this.running ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.running;
  }

  private async run(): Promise<void> {
    const signal = this.stopping.signal;
    let failures = 0;
    while (!signal.aborted) {
      let source: MessageSource | null = null;
      try {
        source = await this.options.client.openSource(this.options.topics);
        this.log('info', 'kafka consumer joined its group', { topics: this.options.topics.join(',') });
        await this.consume(source, signal, () => (failures = 0));
      } catch (error) {
        if (error instanceof RetryAborted || signal.aborted) break;
        failures++;
        const delay = backoffDelay(this.backoff, failures);
        this.log('error', 'kafka consumer stream failed; reopening from the committed offsets', {
          attempt: failures,
          retryInMs: delay,
          ...errorFields(error),
        });
        await this.sleep(delay, signal);
      } finally {
        if (source) await this.close(source);
      }
    }
    this.log('info', 'kafka consumer stopped', {});
  }

  private async consume(source: MessageSource, signal: AbortSignal, onProgress: () => void): Promise<void> {
    while (!signal.aborted) {
      const batch = await source.next(this.options.batchSize, signal);
      if (batch === null) {
        if (signal.aborted) return;
        throw new Error('the consumer stream ended');
      }
      await this.options.handler.handle(batch, signal);
      onProgress();
    }
  }

  private async close(source: MessageSource): Promise<void> {
    try {
      await source.close();
    } catch (error) {
      this.log('warn', 'kafka consumer stream did not close cleanly', errorFields(error));
    }
  }
}
