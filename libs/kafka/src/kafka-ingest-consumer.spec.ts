import type { HandledBatch } from './kafka-batch-handler';
import { nextPositions } from './partition-positions';
import { KafkaIngestConsumer } from './kafka-ingest-consumer';
import type { KafkaMessage, MessageSource } from './kafka-transport.port';
import { kafkaMessage } from './testing/kafka-test-doubles';

/**
 * The consumer loop against a fake message source (the client's stream) and a recording batch
 * handler: order, graceful shutdown, and reopening a failed stream.
 */

interface Deferred {
  readonly promise: Promise<void>;
  resolve(): void;
}
function deferred(): Deferred {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** Hands out queued batches (or throws queued errors), then waits until shutdown like an idle stream. */
class ScriptedSource implements MessageSource {
  reads = 0;
  closed = false;
  constructor(private readonly script: (KafkaMessage[] | Error)[]) {}

  async next(_max: number, signal: AbortSignal): Promise<KafkaMessage[] | null> {
    this.reads++;
    const step = this.script.shift();
    if (step instanceof Error) throw step;
    if (step) return step;
    if (!signal.aborted) await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
    return null;
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

/** Records each batch; `gate` (when set) holds the next batch in flight until released. */
class RecordingHandler {
  readonly handled: string[][] = [];
  readonly committed: string[] = [];
  gate: Deferred | null = null;
  started = deferred();
  idle = deferred();
  expected = 0;

  async handle(messages: readonly KafkaMessage[]): Promise<HandledBatch> {
    this.handled.push(messages.map((m) => `${m.topic}/${m.partition}@${m.offset}`));
    this.started.resolve();
    if (this.gate) await this.gate.promise;
    const committed = nextPositions(messages);
    this.committed.push(...committed.map((p) => `${p.topic}/${p.partition}@${p.offset}`));
    if (this.handled.length >= this.expected) this.idle.resolve();
    return { accepted: messages.length, duplicates: 0, rejected: 0, committed };
  }
}

const noSleep = async () => undefined;

describe('KafkaIngestConsumer', () => {
  it('hands batches to the handler one after another, in the order the stream delivers them', async () => {
    const source = new ScriptedSource([
      [kafkaMessage('hr.events', 0, 0, '{}'), kafkaMessage('hr.events', 0, 1, '{}')],
      [kafkaMessage('hr.events', 0, 2, '{}')],
    ]);
    const handler = new RecordingHandler();
    handler.expected = 2;
    const consumer = new KafkaIngestConsumer({
      client: { openSource: async () => source },
      handler,
      topics: ['hr.events'],
      batchSize: 500,
      sleep: noSleep,
    });

    consumer.start();
    await handler.idle.promise;
    await consumer.stop();

    expect(handler.handled).toEqual([['hr.events/0@0', 'hr.events/0@1'], ['hr.events/0@2']]);
    expect(handler.committed).toEqual(['hr.events/0@2', 'hr.events/0@3']);
    expect(source.closed).toBe(true);
  });

  it('on shutdown finishes and commits the batch in flight, then reads nothing more', async () => {
    const source = new ScriptedSource([
      [kafkaMessage('iam.events', 1, 10, '{}')],
      [kafkaMessage('iam.events', 1, 11, '{}')],
    ]);
    const handler = new RecordingHandler();
    handler.gate = deferred();
    const consumer = new KafkaIngestConsumer({
      client: { openSource: async () => source },
      handler,
      topics: ['iam.events'],
      batchSize: 500,
      sleep: noSleep,
    });

    consumer.start();
    await handler.started.promise;
    const stopped = consumer.stop();
    handler.gate.resolve();
    await stopped;

    expect(handler.handled).toEqual([['iam.events/1@10']]);
    expect(handler.committed).toEqual(['iam.events/1@11']);
    expect(source.reads).toBe(1);
    expect(source.closed).toBe(true);
  });

  it('reopens the stream after it fails, backing off, and goes on from there', async () => {
    const broken = new ScriptedSource([
      [kafkaMessage('ci.events', 0, 0, '{}')],
      new Error('PLT_KFK_NETWORK: connection reset'),
    ]);
    const reopened = new ScriptedSource([[kafkaMessage('ci.events', 0, 1, '{}')]]);
    const sources = [broken, reopened];
    const handler = new RecordingHandler();
    handler.expected = 2;
    const delays: number[] = [];
    const consumer = new KafkaIngestConsumer({
      client: { openSource: async () => sources.shift()! },
      handler,
      topics: ['ci.events'],
      batchSize: 500,
      backoff: { initialDelayMs: 50, maxDelayMs: 1000 },
      sleep: async (ms) => {
        delays.push(ms);
      },
    });

    consumer.start();
    await handler.idle.promise;
    await consumer.stop();

    expect(handler.handled).toEqual([['ci.events/0@0'], ['ci.events/0@1']]);
    expect(delays).toEqual([50]);
    expect(broken.closed).toBe(true);
    expect(reopened.closed).toBe(true);
  });

  it('treats a stream that ends on its own as a failure and reopens it', async () => {
    const ended = new ScriptedSource([]);
    // An ended stream answers null without waiting for shutdown.
    ended.next = async () => null;
    const reopened = new ScriptedSource([[kafkaMessage('cloud.audit', 2, 5, '{}')]]);
    const sources = [ended, reopened];
    const handler = new RecordingHandler();
    handler.expected = 1;
    const consumer = new KafkaIngestConsumer({
      client: { openSource: async () => sources.shift()! },
      handler,
      topics: ['cloud.audit'],
      batchSize: 500,
      sleep: noSleep,
    });

    consumer.start();
    await handler.idle.promise;
    await consumer.stop();

    expect(handler.handled).toEqual([['cloud.audit/2@5']]);
    expect(ended.closed).toBe(true);
  });
});
