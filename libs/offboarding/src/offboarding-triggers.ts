import type { AcceptedEvent, EpochMs, FollowUp, NodeKind, OffboardingTrigger } from '@lineage/domain';
import type { CanonicalEventType } from '@lineage/events';

/**
 * Which accepted events start or end an offboarding plan. The subject and the leaving time are
 * read from the event's graph facts (what the transform wrote), not from its payload again: an
 * `hr.person.left` updates the person with `leftAt` (its `data.leftAt`, or the event time), a
 * `vendor.contract.ended` updates the vendor with `endedAt`.
 */

const PERSON_LEFT: CanonicalEventType = 'hr.person.left';
const CONTRACT_ENDED: CanonicalEventType = 'vendor.contract.ended';
const PERSON_JOINED: CanonicalEventType = 'hr.person.joined';

/** The plan an accepted event asks for, or null when it asks for none. */
export function offboardingTriggerOf(event: AcceptedEvent): OffboardingTrigger | null {
  if (event.type === PERSON_LEFT) return triggerFrom(event, 'Person', 'leftAt');
  if (event.type === CONTRACT_ENDED) return triggerFrom(event, 'Vendor', 'endedAt');
  return null;
}

/** A person who joined (again): their plans from before `at` no longer stand. */
export function rejoinOf(event: AcceptedEvent): { readonly personId: string; readonly at: EpochMs } | null {
  if (event.type !== PERSON_JOINED) return null;
  const fact = event.facts.find((f) => f.op === 'node' && f.kind === 'Person' && f.defines);
  return fact && fact.op === 'node' ? { personId: fact.id, at: event.time } : null;
}

function triggerFrom(
  event: AcceptedEvent,
  kind: Extract<NodeKind, 'Person' | 'Vendor'>,
  timeKey: 'leftAt' | 'endedAt',
): OffboardingTrigger | null {
  for (const fact of event.facts) {
    if (fact.op !== 'node' || fact.kind !== kind) continue;
    const at = fact.attributes?.[timeKey];
    if (typeof at !== 'number') continue;
    return {
      subjectId: fact.id,
      subjectKind: kind,
      eventId: event.id,
      eventSource: event.source,
      eventType: event.type,
      effectiveAt: at,
    };
  }
  return null;
}

/** Follow-up kinds: recorded with the event in its transaction, done after it commits. */
export const PLAN_FOLLOW_UP = 'offboarding.plan';
export const SUPERSEDE_FOLLOW_UP = 'offboarding.supersede';

/**
 * What an accepted event leaves for offboarding to do once it has committed. A trigger records
 * when it was accepted (`clock`, read as the pipeline decodes it), for the plan's latency.
 */
export function offboardingFollowUps(event: AcceptedEvent, clock: () => EpochMs = Date.now): FollowUp[] {
  const trigger = offboardingTriggerOf(event);
  if (trigger) return [{ kind: PLAN_FOLLOW_UP, payload: JSON.stringify({ ...trigger, acceptedAt: clock() }) }];
  const rejoin = rejoinOf(event);
  if (rejoin) return [{ kind: SUPERSEDE_FOLLOW_UP, payload: JSON.stringify(rejoin) }];
  return [];
}
