import { PlanRefused } from '@lineage/domain';
import type { OffboardingPlannedEvent, PlanChannel } from '@lineage/offboarding';
import type { MessageProducer, OutgoingMessage } from './kafka-transport.port';
import { MessageRefused } from './kafka-transport.port';

/** The channel's name in the outbox. */
export const KAFKA_CHANNEL_NAME = 'kafka';

/**
 * CloudEvents Kafka protocol binding, structured content mode (section 3.3): the whole event,
 * JSON-encoded, is the message value and `content-type` names the event format. Section 3.3.3
 * lets a structured message carry the binary mode's `ce_` headers as well; we do, so consumers
 * can route on the type or the subject without parsing the value.
 */
export const STRUCTURED_CONTENT_TYPE = 'application/cloudevents+json; charset=UTF-8';

/** Delivers offboarding plans to the Kafka topic `lineage.offboarding` (configurable). */
export class KafkaPlanChannel implements PlanChannel {
  readonly name = KAFKA_CHANNEL_NAME;

  constructor(
    private readonly producer: MessageProducer,
    private readonly topic: string,
  ) {}

  /**
   * Resolves once the broker has the message; throws (the outbox retries later) when it does not:
   * `PlanRefused` when the broker refuses the message itself (a plan larger than the topic's
   * `max.message.bytes`), so that plan does not hold back the next ones.
   */
  async deliver(event: OffboardingPlannedEvent): Promise<void> {
    try {
      await this.producer.send([planMessage(event, this.topic)]);
    } catch (error) {
      if (error instanceof MessageRefused) throw new PlanRefused(`${this.topic}: ${error.message}`);
      throw error;
    }
  }
}

/** The Kafka message for a plan event: keyed by the person or vendor, so their plans stay in order. */
export function planMessage(event: OffboardingPlannedEvent, topic: string): OutgoingMessage {
  const headers = new Map<string, Buffer>([
    ['content-type', Buffer.from(STRUCTURED_CONTENT_TYPE)],
    ['ce_specversion', Buffer.from(event.specversion)],
    ['ce_id', Buffer.from(event.id)],
    ['ce_source', Buffer.from(event.source)],
    ['ce_type', Buffer.from(event.type)],
    ['ce_time', Buffer.from(event.time)],
    ['ce_subject', Buffer.from(event.subject)],
  ]);
  return {
    topic,
    key: Buffer.from(event.data.subjectId, 'utf8'),
    value: Buffer.from(JSON.stringify(event), 'utf8'),
    headers,
  };
}
