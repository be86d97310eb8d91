import { randomUUID } from 'node:crypto';
import type { Message } from '@platformatic/kafka';
import type { HandledBatch, KafkaMessage, OffsetReset, OutgoingMessage } from '@lineage/kafka';
import {
  DLQ_HEADERS,
  KafkaBatchHandler,
  KafkaIngestConsumer,
  KafkaPlanChannel,
  loadPlatformaticKafka,
  parseBrokers,
  PlatformaticKafkaClient,
  readBatch,
  STRUCTURED_CONTENT_TYPE,
} from '@lineage/kafka';
import { toPlannedEvent } from '@lineage/offboarding';
import { IngestionPipeline } from '@lineage/pipeline';
import { EmbeddedGraphStore } from '@lineage/store-embedded';

/**
 * The Kafka transport against a real broker (Kafka 3.x, e.g. `docker compose -f docker/compose.yml
 * up kafka kafka-init` and KAFKA_BROKERS=localhost:9094). Every run uses its own topics and
 * consumer group, created and deleted here, so runs do not see each other's messages.
 */
const brokersEnv = process.env['KAFKA_BROKERS'];
if (!brokersEnv) {
  console.warn(
    '\n*** KAFKA_BROKERS not set: Kafka broker tests SKIPPED (tests/kafka). ***\n' +
      '*** Start a broker (docker/compose.yml) and set KAFKA_BROKERS=localhost:9094 to run them. ***\n',
  );
}
const describeWithBroker = brokersEnv ? describe : describe.skip;

// Joining a consumer group takes a few seconds on a fresh broker; nothing here measures time.
jest.setTimeout(180_000);

const HR = 'hr/workday/acme';
const LATER = Date.parse('2024-06-01T00:00:00Z');

const personJoined = (n: number): string =>
  JSON.stringify({
    specversion: '1.0',
    id: `hr-joined-${n}`,
    source: HR,
    type: 'hr.person.joined',
    time: '2024-01-08T09:00:00Z',
    subject: `person:e${n}`,
    data: { personId: `person:e${n}`, email: `person${n}@example.com` },
  });

const nhiOwnedBy = (n: number): string =>
  JSON.stringify({
    specversion: '1.0',
    id: `nhi-created-${n}`,
    source: 'iam/aws/123456789012',
    type: 'iam.nhi.created',
    time: '2024-02-10T14:00:00Z',
    subject: `nhi:aws:role/svc-${n}`,
    data: { nhiId: `nhi:aws:role/svc-${n}`, kind: 'service_account', ownerId: `person:e${n}` },
  });

const joinedWithoutPersonId = JSON.stringify({
  specversion: '1.0',
  id: 'hr-joined-bad',
  source: HR,
  type: 'hr.person.joined',
  time: '2024-01-08T09:00:00Z',
  data: { email: 'nobody@example.com' },
});

const MALFORMED = '{"specversion":"1.0","id":';

function outgoing(
  topic: string,
  key: string | null,
  value: string,
  headers: Record<string, string> = {},
): OutgoingMessage {
  return {
    topic,
    key: key === null ? null : Buffer.from(key),
    value: Buffer.from(value),
    headers: new Map(Object.entries(headers).map(([name, v]) => [name, Buffer.from(v)] as const)),
  };
}

describeWithBroker('Kafka transport against a real broker', () => {
  const run = randomUUID().slice(0, 8);
  const topics = {
    hr: `it-${run}.hr.events`,
    iam: `it-${run}.iam.events`,
    dlq: `it-${run}.lineage.dlq`,
    plans: `it-${run}.lineage.offboarding`,
  };
  const groupId = `it-${run}-ingestor`;
  let brokers: string[];
  let kafka: ReturnType<typeof loadPlatformaticKafka>;
  let admin: InstanceType<ReturnType<typeof loadPlatformaticKafka>['Admin']>;
  let store: EmbeddedGraphStore;
  let producer: PlatformaticKafkaClient;

  const resets: OffsetReset[] = [];
  const client = (name: string) =>
    new PlatformaticKafkaClient({
      brokers,
      clientId: `it-${run}-${name}`,
      groupId,
      highWaterMark: 100,
      onOffsetReset: (reset) => resets.push(reset),
    });

  /** Runs a consumer group member until it has handled `count` messages, then stops it gracefully. */
  async function consumeUntil(count: number, consumed: readonly string[] = [topics.hr, topics.iam]): Promise<KafkaMessage[]> {
    const member = client('ingestor');
    const pipeline = new IngestionPipeline(store);
    const handler = new KafkaBatchHandler({
      pipeline,
      producer: member.producer,
      committer: member.committer,
      dlqTopic: topics.dlq,
    });
    const handled: KafkaMessage[] = [];
    let done!: () => void;
    const enough = new Promise<void>((resolve) => (done = resolve));
    const counting = {
      async handle(messages: readonly KafkaMessage[], signal: AbortSignal): Promise<HandledBatch> {
        const result = await handler.handle(messages, signal);
        handled.push(...messages);
        if (handled.length >= count) done();
        return result;
      },
    };
    const consumer = new KafkaIngestConsumer({
      client: member,
      handler: counting,
      topics: consumed,
      batchSize: 100,
    });
    consumer.start();
    await enough;
    await consumer.stop();
    await member.close();
    return handled;
  }

  /** Reads `count` messages of `topic` from the beginning, in a group of its own. */
  async function readTopic(topic: string, count: number) {
    const reader = new kafka.Consumer({
      clientId: `it-${run}-reader`,
      bootstrapBrokers: brokers,
      groupId: `it-${run}-reader-${randomUUID()}`,
    });
    const stream = await reader.consume({ topics: [topic], mode: kafka.MessagesStreamModes.EARLIEST });
    stream.on('error', () => undefined);
    const messages: Message[] = [];
    const signal = new AbortController().signal;
    while (messages.length < count) {
      const batch = await readBatch<Message>(stream, count - messages.length, signal);
      if (batch === null) break;
      messages.push(...batch);
    }
    await stream.close();
    await reader.close();
    return messages.map((m) => ({
      key: m.key ? m.key.toString() : null,
      value: m.value.toString(),
      headers: Object.fromEntries([...m.headers].map(([name, value]) => [name.toString(), value.toString()])),
    }));
  }

  async function committedPerTopic(): Promise<Record<string, bigint>> {
    const [group] = await admin.listConsumerGroupOffsets({ groups: [groupId] });
    const sums: Record<string, bigint> = {};
    for (const topic of group?.topics ?? []) {
      sums[topic.name] = topic.partitions.reduce(
        (sum, p) => sum + (p.committedOffset > 0n ? p.committedOffset : 0n),
        0n,
      );
    }
    return sums;
  }

  beforeAll(async () => {
    brokers = parseBrokers(brokersEnv ?? '');
    kafka = loadPlatformaticKafka();
    admin = new kafka.Admin({ clientId: `it-${run}-admin`, bootstrapBrokers: brokers });
    await admin.createTopics({ topics: Object.values(topics), partitions: 3, replicas: 1 });
    store = EmbeddedGraphStore.open({ dataDir: ':memory:' });
    producer = client('producer');
  });

  afterAll(async () => {
    await producer?.close();
    await admin?.deleteTopics({ topics: Object.values(topics) });
    await admin?.close();
    await store?.close();
  });

  it('applies events from several topics, dead-letters bad ones with the reason in headers, and commits past all of them', async () => {
    await producer.producer.send([
      outgoing(topics.hr, 'person:e1', personJoined(1)),
      outgoing(topics.iam, 'nhi:aws:role/svc-1', nhiOwnedBy(1)),
      outgoing(topics.hr, 'person:e9', joinedWithoutPersonId, { 'x-request-id': 'r-1' }),
      outgoing(topics.hr, null, MALFORMED),
    ]);

    await consumeUntil(4);

    const lineage = await store.lineage('nhi:aws:role/svc-1', LATER);
    expect(lineage?.status).toBe('ACCOUNTABLE');
    expect(lineage?.accountable?.id).toBe('person:e1');

    const dead = await readTopic(topics.dlq, 2);
    const missing = dead.find((m) => m.key === 'person:e9');
    expect(missing?.value).toBe(joinedWithoutPersonId);
    expect(missing?.headers[DLQ_HEADERS.field]).toBe('data.personId');
    expect(missing?.headers[DLQ_HEADERS.reason]).toContain('data.personId');
    expect(missing?.headers[DLQ_HEADERS.origin]).toMatch(
      new RegExp(`^kafka:${topics.hr.replace(/\./g, '\\.')}/\\d+/\\d+$`),
    );
    expect(missing?.headers['x-request-id']).toBe('r-1');
    const malformed = dead.find((m) => m.key === null);
    expect(malformed?.value).toBe(MALFORMED);
    expect(malformed?.headers[DLQ_HEADERS.reason]).toMatch(/^malformed JSON/);

    // Fresh topics start at offset 0: the committed positions add up to the messages of each topic.
    expect(await committedPerTopic()).toEqual({ [topics.hr]: 3n, [topics.iam]: 1n });
  });

  it('resumes a restarted member of the group after the last commit: nothing is applied twice or skipped', async () => {
    await producer.producer.send([outgoing(topics.hr, 'person:e2', personJoined(2))]);

    const handled = await consumeUntil(1);

    expect(handled.map((m) => m.value.toString())).toEqual([personJoined(2)]);
    expect(await store.getNode('person:e2')).not.toBeNull();
    const hr = (await store.ingestionStatus()).sources.find((s) => s.source === HR);
    expect(hr?.duplicates).toBe(0);
    expect(await committedPerTopic()).toEqual({ [topics.hr]: 4n, [topics.iam]: 1n });
  });

  it('publishes an offboarding plan as a structured CloudEvent keyed by the leaver', async () => {
    const event = toPlannedEvent({
      subjectId: 'person:e1',
      subjectKind: 'Person',
      triggeredBy: 'hr-left-1',
      triggerSource: HR,
      triggerType: 'hr.person.left',
      effectiveAt: LATER,
      createdAt: LATER,
      actions: [],
      supersededAt: null,
    });

    await new KafkaPlanChannel(producer.producer, topics.plans).deliver(event);

    const [message] = await readTopic(topics.plans, 1);
    expect(message?.key).toBe('person:e1');
    expect(message?.headers['content-type']).toBe(STRUCTURED_CONTENT_TYPE);
    expect(message?.headers['ce_type']).toBe('lineage.offboarding.planned');
    expect(message?.headers['ce_id']).toBe(event.id);
    expect(JSON.parse(message?.value ?? 'null')).toEqual(JSON.parse(JSON.stringify(event)));
  });

  it('resumes at the first retained offset when retention deleted messages past its commit, and reports what was lost', async () => {
    const retained = `it-${run}.retained.events`;
    await admin.createTopics({ topics: [retained], partitions: 1, replicas: 1 });
    try {
      await producer.producer.send([20, 21, 22].map((n) => outgoing(retained, `person:e${n}`, personJoined(n))));
      // What retention does to a slow group: offsets 0 and 1 are gone while the group's commit is at 1.
      await admin.deleteRecords({ topics: [{ name: retained, partitions: [{ partition: 0, offset: 2n }] }] });
      await admin.alterConsumerGroupOffsets({ groupId, topics: [{ name: retained, partitionOffsets: [{ partition: 0, offset: 1n }] }] });

      const handled = await consumeUntil(1, [retained]);

      expect(handled.map((m) => m.value.toString())).toEqual([personJoined(22)]);
      expect(await store.getNode('person:e22')).not.toBeNull();
      expect(resets).toEqual([{ topic: retained, partition: 0, committed: 1n, resumeAt: 2n, lost: 1n }]);
      expect((await committedPerTopic())[retained]).toBe(3n);
    } finally {
      await admin.deleteTopics({ topics: [retained] });
    }
  });
});
