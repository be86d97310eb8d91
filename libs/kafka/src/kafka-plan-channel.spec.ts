import type { OffboardingPlan } from '@lineage/domain';
import { PlanRefused } from '@lineage/domain';
import { toPlannedEvent } from '@lineage/offboarding';
import { KafkaPlanChannel, STRUCTURED_CONTENT_TYPE } from './kafka-plan-channel';
import { MessageRefused } from './kafka-transport.port';
import { headerText, RecordingProducer } from './testing/kafka-test-doubles';

const plan: OffboardingPlan = {
  subjectId: 'vendor:acme-scanner',
  subjectKind: 'Vendor',
  triggeredBy: 'vendor-ended-1',
  triggerSource: 'procurement/coupa',
  triggerType: 'vendor.contract.ended',
  effectiveAt: Date.parse('2024-05-01T00:00:00Z'),
  createdAt: Date.parse('2024-05-01T00:00:01Z'),
  actions: [
    {
      targetId: 'nhi:aws:arn:aws:iam::123456789012:role/scanner',
      action: 'DISABLE',
      reason: 'supplied by vendor vendor:acme-scanner, whose contract has ended',
      suggestedOwnerId: null,
      evidence: ['vendor-ended-1', 'nhi-created-9'],
    },
  ],
  supersededAt: null,
};

describe('KafkaPlanChannel', () => {
  it('produces the plan as a structured-mode CloudEvent keyed by the person or vendor, with ce_ headers', async () => {
    const producer = new RecordingProducer();
    const channel = new KafkaPlanChannel(producer, 'lineage.offboarding');
    const event = toPlannedEvent(plan);

    await channel.deliver(event);

    expect(channel.name).toBe('kafka');
    expect(producer.sent).toHaveLength(1);
    const message = producer.sent[0]!;
    expect(message.topic).toBe('lineage.offboarding');
    expect(message.key?.toString('utf8')).toBe('vendor:acme-scanner');
    expect(JSON.parse(message.value.toString('utf8'))).toEqual(JSON.parse(JSON.stringify(event)));
    expect(headerText(message)).toEqual({
      'content-type': STRUCTURED_CONTENT_TYPE,
      ce_specversion: '1.0',
      ce_id: event.id,
      ce_source: event.source,
      ce_type: 'lineage.offboarding.planned',
      ce_time: event.time,
      ce_subject: 'vendor:acme-scanner',
    });
  });

  it('fails the delivery when the broker does not take the message, so the outbox retries it', async () => {
    const producer = new RecordingProducer();
    producer.failuresLeft = 1;
    const channel = new KafkaPlanChannel(producer, 'lineage.offboarding');

    await expect(channel.deliver(toPlannedEvent(plan))).rejects.toThrow('broker unavailable');
    expect(producer.sent).toEqual([]);
  });

  it('tells the outbox that the broker refused this plan (too large for the topic), so the next plans go on', async () => {
    const producer = { send: async () => Promise.reject(new MessageRefused('the broker refused the messages: MESSAGE_TOO_LARGE')) };
    const delivery = new KafkaPlanChannel(producer, 'lineage.offboarding').deliver(toPlannedEvent(plan));

    await expect(delivery).rejects.toThrow(PlanRefused);
    await expect(delivery).rejects.toThrow('lineage.offboarding: the broker refused the messages: MESSAGE_TOO_LARGE');
  });
});
