import type { BatchApplier, IngestBatch } from '@lineage/domain';
import { REDACTED } from '@lineage/events';
import { IngestionPipeline } from '@lineage/pipeline';
import { EmbeddedGraphStore } from '@lineage/store-embedded';
import { DLQ_HEADERS, KafkaBatchHandler, deadLetterSends, toRawRecord } from './kafka-batch-handler';
import { nextPositions } from './partition-positions';
import type { KafkaLog } from './kafka-log';
import type { KafkaMessage, OutgoingMessage } from './kafka-transport.port';
import { MessageRefused } from './kafka-transport.port';
import { RetryAborted } from './retry-backoff';
import type { StepLog } from './testing/kafka-test-doubles';
import { headerText, kafkaMessage, RecordingCommitter, RecordingProducer } from './testing/kafka-test-doubles';

/**
 * The consumer's batch logic without a broker: fakes of the Kafka client's side only (producer,
 * committer), the real pipeline on a real embedded store.
 */

const HR = 'hr/workday/acme';
const IAM = 'iam/aws/123456789012';
const LATER = Date.parse('2024-06-01T00:00:00Z');

const personJoined = (n: number) =>
  JSON.stringify({
    specversion: '1.0',
    id: `hr-joined-${n}`,
    source: HR,
    type: 'hr.person.joined',
    time: '2024-01-08T09:00:00Z',
    subject: `person:e${n}`,
    data: { personId: `person:e${n}`, email: `person${n}@example.com`, name: `Person ${n}` },
  });

const nhiOwnedBy = (n: number) =>
  JSON.stringify({
    specversion: '1.0',
    id: `nhi-created-${n}`,
    source: IAM,
    type: 'iam.nhi.created',
    time: '2024-02-10T14:00:00Z',
    subject: `nhi:aws:role/svc-${n}`,
    data: { nhiId: `nhi:aws:role/svc-${n}`, kind: 'service_account', ownerId: `person:e${n}` },
  });

/** hr.person.joined without its required `personId`. */
const joinedWithoutPersonId = JSON.stringify({
  specversion: '1.0',
  id: 'hr-joined-bad',
  source: HR,
  type: 'hr.person.joined',
  time: '2024-01-08T09:00:00Z',
  data: { email: 'nobody@example.com' },
});

const DLQ = 'lineage.dlq';
/** Backoff small enough to read in assertions; the fake sleep records it instead of waiting. */
const BACKOFF = { initialDelayMs: 100, maxDelayMs: 250 };

/** A store whose writes fail until `failuresLeft` reaches zero (an outage, then recovery). */
class FlakyWriter implements BatchApplier {
  failuresLeft = 0;
  applied = 0;

  constructor(
    private readonly store: EmbeddedGraphStore,
    private readonly steps: StepLog,
  ) {}

  async applyBatch(batch: IngestBatch) {
    if (this.failuresLeft > 0) {
      this.failuresLeft--;
      this.steps.push('store-failed');
      throw new Error('database is locked');
    }
    const outcome = await this.store.applyBatch(batch);
    this.applied++;
    this.steps.push('store-applied');
    return outcome;
  }

  checkpoint(stream: string) {
    return this.store.checkpoint(stream);
  }
}

function setUp(options: { dlqMaxBytes?: number } = {}) {
  const store = EmbeddedGraphStore.open({ dataDir: ':memory:' });
  const steps: StepLog = [];
  const writer = new FlakyWriter(store, steps);
  // One attempt per ingest: the handler, not the pipeline, owns retrying for the consumer.
  const pipeline = new IngestionPipeline(writer, { attempts: 1, initialDelayMs: 0, maxDelayMs: 0 });
  const producer = new RecordingProducer(steps);
  const committer = new RecordingCommitter(steps);
  const delays: number[] = [];
  const failures: string[] = [];
  const sleep = async (ms: number) => {
    delays.push(ms);
    steps.push(`sleep:${ms}`);
    // A runaway retry loop fails the test with the error it kept hitting, instead of spinning.
    if (delays.length > 20) throw new Error(`still retrying after 20 attempts: ${failures.at(-1)}`);
    await new Promise((resolve) => setImmediate(resolve));
  };
  const log: KafkaLog = (_level, _message, fields) => failures.push(String(fields?.['error']));
  const handler = new KafkaBatchHandler({ pipeline, producer, committer, dlqTopic: DLQ, backoff: BACKOFF, sleep, log, ...options });
  return { store, writer, producer, committer, handler, steps, delays };
}

const live = () => new AbortController().signal;

describe('KafkaBatchHandler', () => {
  it('commits the next offset of every partition only after the store holds the batch', async () => {
    const { store, handler, committer, producer } = setUp();
    const seenAtCommit: (string | null)[] = [];
    committer.onCommit = async () => {
      const nodes = await store.getNodes(['person:e1', 'nhi:aws:role/svc-1', 'person:e2']);
      seenAtCommit.push(...nodes.map((node) => node.id).sort());
    };
    const batch = [
      kafkaMessage('hr.events', 0, 41, personJoined(1), { key: 'person:e1' }),
      kafkaMessage('iam.events', 2, 7, nhiOwnedBy(1), { key: 'nhi:aws:role/svc-1' }),
      kafkaMessage('hr.events', 0, 42, personJoined(2), { key: 'person:e2' }),
    ];

    const handled = await handler.handle(batch, live());

    expect(handled).toMatchObject({ accepted: 3, duplicates: 0, rejected: 0 });
    expect(seenAtCommit).toEqual(['nhi:aws:role/svc-1', 'person:e1', 'person:e2']);
    expect(committer.commits).toEqual([
      [
        { topic: 'hr.events', partition: 0, offset: 43n },
        { topic: 'iam.events', partition: 2, offset: 8n },
      ],
    ]);
    expect(producer.sent).toEqual([]);
    // The graph: the NHI answers to the person who joined, through the declared owner.
    const lineage = await store.lineage('nhi:aws:role/svc-1', LATER);
    expect(lineage?.status).toBe('ACCOUNTABLE');
    expect(lineage?.accountable?.id).toBe('person:e1');
  });

  it('dead-letters a rejected message with its key, bytes, headers and a reason naming the field, before committing past it', async () => {
    const { store, handler, producer, committer, steps } = setUp();
    const malformed = Buffer.from('{"specversion":"1.0","id":', 'utf8');
    const batch = [
      kafkaMessage('hr.events', 1, 10, personJoined(3), { key: 'person:e3' }),
      kafkaMessage('hr.events', 1, 11, joinedWithoutPersonId, {
        key: 'person:e9',
        headers: { 'x-request-id': 'r-77' },
      }),
      kafkaMessage('hr.events', 1, 12, malformed, { key: null }),
    ];

    const handled = await handler.handle(batch, live());

    expect(handled).toMatchObject({ accepted: 1, rejected: 2 });
    expect(producer.sent).toHaveLength(2);
    const [missingField, notJson] = producer.sent;
    expect(missingField!.topic).toBe(DLQ);
    expect(missingField!.key?.toString()).toBe('person:e9');
    expect(missingField!.value.equals(batch[1]!.value)).toBe(true);
    const headers = headerText(missingField!);
    expect(headers['x-request-id']).toBe('r-77');
    expect(headers[DLQ_HEADERS.field]).toBe('data.personId');
    expect(headers[DLQ_HEADERS.reason]).toContain('data.personId');
    expect(headers[DLQ_HEADERS.origin]).toBe('kafka:hr.events/1/11');

    expect(notJson!.key).toBeNull();
    expect(notJson!.value.equals(malformed)).toBe(true);
    expect(headerText(notJson!)[DLQ_HEADERS.reason]).toMatch(/^malformed JSON/);
    expect(headerText(notJson!)[DLQ_HEADERS.field]).toBeUndefined();
    expect(headerText(notJson!)[DLQ_HEADERS.origin]).toBe('kafka:hr.events/1/12');

    // Bad input does not stop the partition: the commit moves past it, after the dead letters.
    expect(committer.commits).toEqual([[{ topic: 'hr.events', partition: 1, offset: 13n }]]);
    expect(steps).toEqual(['store-applied', `produce:${DLQ},${DLQ}`, 'commit:hr.events/1@13']);
    expect(await store.getNode('person:e3')).not.toBeNull();
    expect((await store.ingestionStatus()).deadLettered).toBe(2);
  });

  it('splits dead letters into sends the topic takes, and sends one too large on its own without its value, which the store keeps', async () => {
    const { store, handler, producer, committer, steps } = setUp({ dlqMaxBytes: 2_000 });
    /** An hr.person.joined without its personId, padded to about `size` bytes. */
    const rejected = (n: number, size: number) =>
      JSON.stringify({ ...JSON.parse(joinedWithoutPersonId), id: `bad-${n}`, data: { email: `${'x'.repeat(size)}@example.com` } });
    const batch = [
      ...[0, 1, 2, 3, 4].map((n) => kafkaMessage('hr.events', 0, n, rejected(n, 600), { key: `person:e${n}` })),
      kafkaMessage('hr.events', 0, 5, rejected(5, 5_000), { key: 'person:e5', headers: { 'x-request-id': 'r-5' } }),
      kafkaMessage('hr.events', 0, 6, personJoined(6), { key: 'person:e6' }),
    ];

    await handler.handle(batch, live());

    const sends = steps.filter((step) => step.startsWith('produce:'));
    expect(sends.length).toBeGreaterThan(2);
    // Every dead letter reached the topic, in order, each send under the limit.
    expect(producer.sent.map((m) => m.key?.toString())).toEqual(['person:e0', 'person:e1', 'person:e2', 'person:e3', 'person:e4', 'person:e5']);
    const big = producer.sent[5]!;
    expect(big.value.length).toBe(0);
    expect(headerText(big)[DLQ_HEADERS.truncated]).toBe(String(batch[5]!.value.length));
    expect(headerText(big)[DLQ_HEADERS.field]).toBe('data.personId');
    expect(headerText(big)[DLQ_HEADERS.origin]).toBe('kafka:hr.events/0/5');
    expect(headerText(big)['x-request-id']).toBeUndefined();
    expect(producer.sent.slice(0, 5).every((m, i) => m.value.equals(batch[i]!.value))).toBe(true);
    // The store's dead-letter table has the large one's bytes, whole.
    const stored = (await store.deadLetters({ first: 10 })).items.find((letter) => letter.origin === 'kafka:hr.events/0/5');
    expect(stored?.raw.equals(batch[5]!.value)).toBe(true);
    expect(committer.commits).toEqual([[{ topic: 'hr.events', partition: 0, offset: 7n }]]);
  });

  it('when the topic takes less than the cap says, sends each refused dead letter alone without its value, and commits', async () => {
    const { handler, producer, committer } = setUp();
    const send = producer.send.bind(producer);
    // A topic whose max.message.bytes is 1,000: the broker refuses any send holding a larger record.
    producer.send = async (messages) => {
      if (messages.some((m) => m.value.length > 1_000)) throw new MessageRefused('the broker refused the messages: MESSAGE_TOO_LARGE');
      await send(messages);
    };
    const padded = JSON.stringify({ ...JSON.parse(joinedWithoutPersonId), data: { email: `${'x'.repeat(3_000)}@example.com` } });
    const batch = [
      kafkaMessage('hr.events', 0, 0, joinedWithoutPersonId, { key: 'person:e0' }),
      kafkaMessage('hr.events', 0, 1, padded, { key: 'person:e1' }),
    ];

    await handler.handle(batch, live());

    expect(producer.sent.map((m) => [m.key?.toString(), m.value.length, headerText(m)[DLQ_HEADERS.truncated]])).toEqual([
      ['person:e0', 0, String(batch[0]!.value.length)],
      ['person:e1', 0, String(batch[1]!.value.length)],
    ]);
    expect(committer.commits).toEqual([[{ topic: 'hr.events', partition: 0, offset: 2n }]]);
  });

  it('keeps every send of dead letters under the cap, counting keys, values and headers', () => {
    const letter = (n: number, size: number): OutgoingMessage => ({
      topic: DLQ,
      key: Buffer.from(`person:e${n}`),
      value: Buffer.alloc(size, 0x61),
      headers: new Map([[DLQ_HEADERS.reason, Buffer.from('data.personId: is required')]]),
    });
    const letters = [300, 900, 50, 2_500, 700, 700, 10].map((size, n) => letter(n, size));
    const sends = deadLetterSends(letters, 1_500);
    const bytes = (m: OutgoingMessage) =>
      (m.key?.length ?? 0) + m.value.length + [...m.headers].reduce((sum, [name, value]) => sum + name.length + value.length, 0);
    for (const send of sends) expect(send.reduce((sum, m) => sum + bytes(m), 0)).toBeLessThanOrEqual(1_500);
    expect(sends.flat().map((m) => m.key?.toString())).toEqual(letters.map((m) => m.key?.toString()));
    expect(sends.flat()[3]!.value.length).toBe(0);
    // Nothing to send: no send at all.
    expect(deadLetterSends([], 1_500)).toEqual([]);
  });

  it('dead-letters an event refused for carrying a secret with the secret redacted, as the store keeps it, and no key or headers', async () => {
    const { store, handler, producer } = setUp();
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    const leaking = JSON.stringify({
      specversion: '1.0',
      id: 'cred-created-leak',
      source: IAM,
      type: 'iam.credential.created',
      time: '2024-02-10T14:00:00Z',
      subject: 'cred:aws:AKIAIOSFODNN7EXAMPLE',
      data: {
        credentialId: 'cred:aws:AKIAIOSFODNN7EXAMPLE',
        nhiId: 'nhi:aws:role/svc-1',
        kind: 'access_key',
        fingerprint: secret,
      },
    });
    const batch = [
      kafkaMessage('iam.events', 0, 3, leaking, {
        key: 'cred:aws:AKIAIOSFODNN7EXAMPLE',
        headers: { 'x-trace': 'abc' },
      }),
    ];

    await handler.handle(batch, live());

    expect(producer.sent).toHaveLength(1);
    const dead = producer.sent[0]!;
    expect(dead.value.toString('utf8')).not.toContain(secret);
    expect(JSON.parse(dead.value.toString('utf8'))).toMatchObject({
      id: 'cred-created-leak',
      data: { fingerprint: REDACTED },
    });
    expect(dead.key).toBeNull();
    expect(Object.keys(headerText(dead)).sort()).toEqual(
      [DLQ_HEADERS.field, DLQ_HEADERS.origin, DLQ_HEADERS.reason, DLQ_HEADERS.redacted].sort(),
    );
    expect(headerText(dead)[DLQ_HEADERS.field]).toBe('data.fingerprint');
    const stored = (await store.deadLetters({ first: 10 })).items;
    expect(stored).toHaveLength(1);
    expect(Buffer.from(stored[0]!.raw).equals(dead.value)).toBe(true);
  });

  it("reads CloudEvents in the Kafka binding's binary mode (ce_ headers, data as the value) and dead-letters unusable ones", async () => {
    const { store, handler, producer } = setUp();
    const ceHeaders = {
      ce_specversion: '1.0',
      ce_id: 'hr-joined-binary',
      ce_source: HR,
      ce_type: 'hr.person.joined',
      ce_time: '2024-01-08T09:00:00Z',
      ce_subject: 'person:e20',
    };
    const data = JSON.stringify({ personId: 'person:e20', email: 'binary@example.com' });
    const batch = [
      kafkaMessage('hr.events', 0, 0, data, {
        key: 'person:e20',
        headers: { ...ceHeaders, 'content-type': 'application/json' },
      }),
      kafkaMessage('hr.events', 0, 1, '<person/>', {
        key: 'person:e21',
        headers: { ...ceHeaders, ce_id: 'hr-joined-xml', 'content-type': 'application/xml' },
      }),
      // A structured message that also carries ce_ headers (binding section 3.3.3) is read as structured.
      kafkaMessage('hr.events', 0, 2, personJoined(22), {
        key: 'person:e22',
        headers: { ...ceHeaders, 'content-type': 'application/cloudevents+json; charset=UTF-8' },
      }),
    ];

    const handled = await handler.handle(batch, live());

    expect(handled).toMatchObject({ accepted: 2, rejected: 1 });
    expect((await store.getNode('person:e20'))?.attributes['email']).toBe('binary@example.com');
    expect(await store.getNode('person:e22')).not.toBeNull();
    expect(producer.sent).toHaveLength(1);
    expect(headerText(producer.sent[0]!)[DLQ_HEADERS.field]).toBe('datacontenttype');
    expect(producer.sent[0]!.value.toString()).toBe('<person/>');
  });

  it('commits nothing while the store fails, backs off exponentially up to the cap, and commits once it recovers', async () => {
    const { store, writer, handler, committer, steps, delays } = setUp();
    writer.failuresLeft = 4;
    const batch = [kafkaMessage('hr.events', 0, 5, personJoined(4), { key: 'person:e4' })];

    const handled = await handler.handle(batch, live());

    expect(handled.accepted).toBe(1);
    expect(delays).toEqual([100, 200, 250, 250]);
    expect(steps.indexOf('commit:hr.events/0@6')).toBe(steps.length - 1);
    expect(steps.filter((s) => s.startsWith('commit'))).toEqual(['commit:hr.events/0@6']);
    expect(steps.slice(0, 8)).toEqual([
      'store-failed',
      'sleep:100',
      'store-failed',
      'sleep:200',
      'store-failed',
      'sleep:250',
      'store-failed',
      'sleep:250',
    ]);
    expect(committer.commits).toHaveLength(1);
    expect(await store.getNode('person:e4')).not.toBeNull();
  });

  it('commits nothing while the dead-letter topic is unavailable, and does not apply the batch to the store again', async () => {
    const { store, writer, handler, producer, committer, steps } = setUp();
    producer.failuresLeft = 2;
    const batch = [
      kafkaMessage('ci.events', 0, 0, joinedWithoutPersonId, { key: 'x' }),
      kafkaMessage('ci.events', 0, 1, personJoined(5), { key: 'person:e5' }),
    ];

    await handler.handle(batch, live());

    expect(steps).toEqual([
      'store-applied',
      'produce-failed',
      'sleep:100',
      'produce-failed',
      'sleep:200',
      `produce:${DLQ}`,
      'commit:ci.events/0@2',
    ]);
    expect(writer.applied).toBe(1);
    expect(producer.sent).toHaveLength(1);
    expect(committer.commits).toEqual([[{ topic: 'ci.events', partition: 0, offset: 2n }]]);
    expect((await store.ingestionStatus()).deadLettered).toBe(1);
  });

  it('retries a failed commit without re-applying or re-dead-lettering the batch', async () => {
    const { writer, handler, producer, committer, steps } = setUp();
    committer.failuresLeft = 1;
    const batch = [kafkaMessage('hr.events', 3, 99, joinedWithoutPersonId, { key: 'x' })];

    await handler.handle(batch, live());

    expect(steps).toEqual(['store-applied', `produce:${DLQ}`, 'commit-failed', 'sleep:100', 'commit:hr.events/3@100']);
    expect(writer.applied).toBe(1);
    expect(producer.sent).toHaveLength(1);
  });

  it('treats a redelivered, already committed batch as duplicates and leaves the graph as it was', async () => {
    const { store, handler, committer } = setUp();
    const batch = [
      kafkaMessage('hr.events', 0, 0, personJoined(6), { key: 'person:e6' }),
      kafkaMessage('iam.events', 0, 0, nhiOwnedBy(6), { key: 'nhi:aws:role/svc-6' }),
    ];
    await handler.handle(batch, live());
    const before = await graphOf(store, ['person:e6', 'nhi:aws:role/svc-6']);

    const again = await handler.handle(batch, live());

    expect(again).toMatchObject({ accepted: 0, duplicates: 2, rejected: 0 });
    expect(await graphOf(store, ['person:e6', 'nhi:aws:role/svc-6'])).toEqual(before);
    expect(committer.commits[1]).toEqual(committer.commits[0]);
    const counters = (await store.ingestionStatus()).sources;
    expect(counters.find((s) => s.source === HR)).toMatchObject({ accepted: 1, duplicates: 1 });
  });

  it('gives up without committing when shut down while the store is failing', async () => {
    const { store, writer, producer, committer } = setUp();
    writer.failuresLeft = Number.POSITIVE_INFINITY;
    const shutdown = new AbortController();
    const pipeline = new IngestionPipeline(writer, { attempts: 1, initialDelayMs: 0, maxDelayMs: 0 });
    // Shutdown begins while the handler waits to retry.
    const sleep = async () => shutdown.abort();
    const handler = new KafkaBatchHandler({ pipeline, producer, committer, dlqTopic: DLQ, backoff: BACKOFF, sleep });

    await expect(
      handler.handle([kafkaMessage('hr.events', 0, 0, personJoined(7))], shutdown.signal),
    ).rejects.toBeInstanceOf(RetryAborted);

    expect(committer.commits).toEqual([]);
    expect(await store.getNode('person:e7')).toBeNull();
  });
});

describe('toRawRecord and nextPositions', () => {
  it('names the origin by topic, partition and offset and passes headers with lower-cased names', () => {
    const record = toRawRecord(
      kafkaMessage('cloud.audit', 4, 1234567, '{}', { headers: { 'X-GitHub-Event': 'workflow_run' } }),
    );
    expect(record.origin).toBe('kafka:cloud.audit/4/1234567');
    expect(record.headers).toEqual({ 'x-github-event': 'workflow_run' });
    expect(record.bytes.toString()).toBe('{}');
  });

  it('takes the position after the highest offset per partition, whatever the order of the batch', () => {
    const messages: KafkaMessage[] = [
      kafkaMessage('a', 0, 9, '{}'),
      kafkaMessage('a', 1, 3, '{}'),
      kafkaMessage('a', 0, 7, '{}'),
      kafkaMessage('b', 0, 0, '{}'),
    ];
    expect(nextPositions(messages)).toEqual([
      { topic: 'a', partition: 0, offset: 10n },
      { topic: 'a', partition: 1, offset: 4n },
      { topic: 'b', partition: 0, offset: 1n },
    ]);
  });
});

/** Nodes and their outgoing OWNS relationships, as the store answers for them. */
async function graphOf(store: EmbeddedGraphStore, ids: string[]) {
  const nodes = await store.getNodes(ids);
  const owns = await Promise.all(
    ids.map((id) => store.neighbours({ id, type: 'OWNS', direction: 'out', asOf: LATER, page: { first: 10 } })),
  );
  return { nodes, owns: owns.map((page) => page.items) };
}
