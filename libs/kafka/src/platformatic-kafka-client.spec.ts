import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import type { KafkaLog } from './kafka-log';
import { newestByPartition, nextPositions } from './partition-positions';
import type { OffsetReset } from './partition-positions';
import type { GroupOffsets } from './platformatic-kafka-client';
import { MessageRefused } from './kafka-transport.port';
import { PlatformaticKafkaClient, asSendError, isOffsetOutOfRange, loadPlatformaticKafka, resetOutOfRangePositions } from './platformatic-kafka-client';

/*
 * The adapter's own decisions, without a broker (tests/kafka runs it against one when
 * KAFKA_BROKERS is set). Constructing the client opens no connection; the tests reach its
 * consumer and producer, the library's own objects, to see what the adapter does with them.
 */

interface Internals {
  readonly consumer: EventEmitter & Record<string, unknown>;
  readonly nativeProducer: { send: (options: unknown) => Promise<unknown> };
  readonly streams: Set<PassThrough>;
}

function clientWithLog(onOffsetReset?: (reset: OffsetReset) => void): { client: PlatformaticKafkaClient; internals: Internals; logged: string[] } {
  const logged: string[] = [];
  const log: KafkaLog = (level, message) => logged.push(`${level}: ${message}`);
  const client = new PlatformaticKafkaClient({
    brokers: ['127.0.0.1:9'],
    clientId: 'spec',
    groupId: 'spec',
    highWaterMark: 10,
    log,
    ...(onOffsetReset ? { onOffsetReset } : {}),
  });
  return { client, internals: client as unknown as Internals, logged };
}

/** The error 1.x's fetch fails with when the broker answers OFFSET_OUT_OF_RANGE (1) for a partition. */
function outOfRangeError(): Error {
  const { ResponseError } = loadPlatformaticKafka();
  return new ResponseError(1, 12, { '/responses/0/partitions/2': [1, null] }, {});
}

/** A consumer's group offsets as the broker would hold them, recording the commits asked for. */
function groupOffsets(): GroupOffsets & { committed: unknown[] } {
  const committed: unknown[] = [];
  const { ListOffsetTimestamps } = loadPlatformaticKafka();
  return {
    committed,
    assignments: [
      { topic: 'hr.events', partitions: [0, 2] },
      { topic: 'other.events', partitions: [0] },
    ],
    listCommittedOffsets: async ({ topics }: { topics: { topic: string }[] }) => {
      expect(topics.map((t) => t.topic)).toEqual(['hr.events']);
      const hr: bigint[] = [];
      hr[0] = 40n; // inside the log
      hr[2] = 3n; // retention deleted offsets 3…11
      return new Map([['hr.events', hr]]);
    },
    listOffsets: async ({ timestamp }: { timestamp?: bigint }) =>
      new Map([['hr.events', timestamp === ListOffsetTimestamps.EARLIEST ? [0n, 0n, 12n] : [90n, 5n, 70n]]]),
    commit: async (options: unknown) => {
      committed.push(options);
    },
  };
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

  it('tells a position outside the log from other fetch errors', () => {
    const { ResponseError } = loadPlatformaticKafka();
    expect(isOffsetOutOfRange(outOfRangeError())).toBe(true);
    // NOT_LEADER_OR_FOLLOWER (6): the client retries it; not a reset.
    expect(isOffsetOutOfRange(new ResponseError(1, 12, { '/responses/0/partitions/0': [6, null] }, {}))).toBe(false);
    expect(isOffsetOutOfRange(new Error('OFFSET_OUT_OF_RANGE'))).toBe(false);
    expect(isOffsetOutOfRange(null)).toBe(false);
  });

  it('commits the first retained offset for its own partitions of the topics whose commit left the log, and only those', async () => {
    const consumer = groupOffsets();
    const resets = await resetOutOfRangePositions(consumer, ['hr.events']);
    expect(resets).toEqual([{ topic: 'hr.events', partition: 2, committed: 3n, resumeAt: 12n, lost: 9n }]);
    expect(consumer.committed).toEqual([{ offsets: [{ topic: 'hr.events', partition: 2, offset: 12n, leaderEpoch: -1 }] }]);
  });

  it('after a stream fails on a position outside the log, moves it before the next stream opens, once, and reports it', async () => {
    const reported: OffsetReset[] = [];
    const { client, internals, logged } = clientWithLog((reset) => reported.push(reset));
    const offsets = groupOffsets();
    Object.assign(internals.consumer, offsets);
    const streams: PassThrough[] = [];
    internals.consumer['consume'] = async () => {
      const stream = new PassThrough({ objectMode: true });
      streams.push(stream);
      return stream;
    };

    await client.openSource(['hr.events']);
    expect(offsets.committed).toEqual([]);
    streams[0]!.destroy(outOfRangeError());
    await new Promise((resolve) => setImmediate(resolve));

    await client.openSource(['hr.events']);
    expect(offsets.committed).toEqual([{ offsets: [{ topic: 'hr.events', partition: 2, offset: 12n, leaderEpoch: -1 }] }]);
    expect(reported).toEqual([{ topic: 'hr.events', partition: 2, committed: 3n, resumeAt: 12n, lost: 9n }]);
    expect(logged).toEqual([
      'error: kafka consumer stream error',
      'error: kafka committed offset is outside the partition; resuming at its first retained offset',
    ]);

    // Another failure is not a reason to move positions.
    streams[1]!.destroy(new Error('broker gone'));
    await new Promise((resolve) => setImmediate(resolve));
    await client.openSource(['hr.events']);
    expect(offsets.committed).toHaveLength(1);
    internals.streams.clear();
  });

  it('turns a send the broker refuses for its records into MessageRefused, and leaves other errors as they are', async () => {
    const { ResponseError } = loadPlatformaticKafka();
    // Produce (API 0) answered MESSAGE_TOO_LARGE (10) for a partition; NOT_ENOUGH_REPLICAS (19) may pass.
    const tooLarge = new ResponseError(0, 9, { '/responses/0/partitionResponses/0': [10, null] }, {});
    const replicas = new ResponseError(0, 9, { '/responses/0/partitionResponses/0': [19, null] }, {});
    expect(asSendError(tooLarge)).toBeInstanceOf(MessageRefused);
    expect(asSendError(replicas)).toBe(replicas);

    const { client, internals } = clientWithLog();
    internals.nativeProducer.send = async () => Promise.reject(tooLarge);
    const send = client.producer.send([{ topic: 'lineage.offboarding', key: null, value: Buffer.alloc(2_000_000), headers: new Map() }]);
    await expect(send).rejects.toThrow(new MessageRefused('the broker refused the messages: MESSAGE_TOO_LARGE'));
    await client.close();
  });
});
