import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import type { KafkaLog } from './kafka-log';
import { newestByPartition, nextPositions } from './partition-positions';
import { PlatformaticKafkaClient, loadPlatformaticKafka } from './platformatic-kafka-client';

/*
 * The adapter's own decisions, without a broker (tests/kafka runs it against one when
 * KAFKA_BROKERS is set). Constructing the client opens no connection; the tests reach its
 * consumer and producer, the library's own objects, to see what the adapter does with them.
 */

interface Internals {
  readonly consumer: EventEmitter;
  readonly nativeProducer: { send: (options: unknown) => Promise<unknown> };
  readonly streams: Set<PassThrough>;
}

function clientWithLog(): { client: PlatformaticKafkaClient; internals: Internals; logged: string[] } {
  const logged: string[] = [];
  const log: KafkaLog = (level, message) => logged.push(`${level}: ${message}`);
  const client = new PlatformaticKafkaClient({ brokers: ['127.0.0.1:9'], clientId: 'spec', groupId: 'spec', highWaterMark: 10, log });
  return { client, internals: client as unknown as Internals, logged };
}

const message = (partition: number, offset: bigint) => ({ topic: 'iam.events', partition, offset });

describe('PlatformaticKafkaClient', () => {
  it('commits past the highest offset of each partition, also when a rebalance delivered some again', () => {
    // After a rebalance the client fetches again from the committed offset and keeps what it had buffered.
    const batch = [
      ...[150n, 151n, 499n].map((offset) => message(0, offset)),
      ...[150n, 151n, 249n].map((offset) => message(0, offset)),
      ...[7n, 3n].map((offset) => message(1, offset)),
    ];
    const newest = newestByPartition(batch);
    expect([...newest.values()].map((m) => [m.partition, m.offset])).toEqual([
      [0, 499n],
      [1, 7n],
    ]);
    // What the batch handler commits is what the adapter can commit: the newest message + 1.
    expect(nextPositions(batch)).toEqual(
      [...newest.values()].map(({ topic, partition, offset }) => ({ topic, partition, offset: offset + 1n })),
    );
  });

  it('asks every send for acknowledgement by all in-sync replicas', async () => {
    const { client, internals } = clientWithLog();
    const sent: unknown[] = [];
    internals.nativeProducer.send = async (options) => sent.push(options);
    await client.producer.send([{ topic: 'lineage.offboarding', key: Buffer.from('person:e1'), value: Buffer.from('{}'), headers: new Map() }]);
    expect(sent).toEqual([expect.objectContaining({ acks: loadPlatformaticKafka().ProduceAcks.ALL })]);
    expect(loadPlatformaticKafka().ProduceAcks.ALL).toBe(-1);
    await client.close();
  });

  it('survives the consumer leaving its group: the error is logged and ends the open streams, for the loop to reopen', async () => {
    const { client, internals, logged } = clientWithLog();
    const stream = new PassThrough({ objectMode: true });
    const ended = new Promise<Error>((resolve) => stream.on('error', resolve));
    internals.streams.add(stream);
    expect(() => internals.consumer.emit('error', new Error('rejoin failed'))).not.toThrow();
    expect((await ended).message).toBe('rejoin failed');
    expect(logged).toEqual(['error: kafka consumer left its group']);
    internals.streams.clear();
    await client.close();
  });
});
