import { createHash } from 'node:crypto';
import type { OffboardingPlan } from '@lineage/domain';
import type { OffboardingPlannedEvent } from './plan-channel';

export const PLANNED_EVENT_TYPE = 'lineage.offboarding.planned';
export const PLANNED_EVENT_SOURCE = 'nhi-lineage';

/**
 * The CloudEvent id of a plan, derived from its trigger (source and id of the leaver event): the
 * same trigger always gives the same id, so a receiver that sees a delivery twice (the outbox
 * delivers at least once) can tell it is the same plan.
 */
export function plannedEventId(plan: Pick<OffboardingPlan, 'triggerSource' | 'triggeredBy'>): string {
  const digest = createHash('sha256')
    .update(JSON.stringify([plan.triggerSource, plan.triggeredBy]))
    .digest('hex');
  return `plan-${digest.slice(0, 32)}`;
}

/** The plan as a CloudEvent (structured JSON mode): subject is the person or vendor, time when it was planned. */
export function toPlannedEvent(plan: OffboardingPlan): OffboardingPlannedEvent {
  return {
    specversion: '1.0',
    id: plannedEventId(plan),
    source: PLANNED_EVENT_SOURCE,
    type: PLANNED_EVENT_TYPE,
    time: new Date(plan.createdAt).toISOString(),
    subject: plan.subjectId,
    datacontenttype: 'application/json',
    data: plan,
  };
}
