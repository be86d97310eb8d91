import type { AcceptedEvent } from '@lineage/domain';
import { AUDIT_TRANSFORMS } from '../audit/audit-events.transform';
import { CI_TRANSFORMS } from '../ci/ci-events.transform';
import type { CanonicalEventOf } from '../contracts/canonical-event';
import type { CanonicalEvent } from '../contracts/canonical-event';
import type { CanonicalEventType } from '../contracts/canonical-event-types';
import { HR_TRANSFORMS } from '../hr/hr-events.transform';
import { IAM_TRANSFORMS } from '../iam/iam-events.transform';
import { toEpochMs } from '../validation/rfc3339';
import { VENDOR_TRANSFORMS } from '../vendor/vendor-events.transform';
import { WORKLOAD_TRANSFORMS } from '../workload/workload-events.transform';
import type { EventTransforms, TransformResult } from './event-transform';
import { FactBuilder } from './fact-builder';

/** One transform per canonical type; the type annotation makes a missing one a compile error. */
const TRANSFORMS: EventTransforms<CanonicalEventType> = {
  ...HR_TRANSFORMS,
  ...VENDOR_TRANSFORMS,
  ...IAM_TRANSFORMS,
  ...AUDIT_TRANSFORMS,
  ...CI_TRANSFORMS,
  ...WORKLOAD_TRANSFORMS,
};

/**
 * Turn a validated canonical event into what the store applies: its graph facts (each stamped
 * with the event time in epoch ms, the event id as evidence and the event source), the entities
 * whose timeline it belongs on, and a one-line summary. Pure: the same event gives the same result.
 */
export function transformEvent(event: CanonicalEvent): AcceptedEvent {
  const time = toEpochMs(event.time);
  const facts = new FactBuilder({ time, evidence: event.id, source: event.source });
  const { subjectId, summary } = run(event, facts);
  return {
    source: event.source,
    id: event.id,
    type: event.type,
    time,
    subject: event.subject ?? subjectId,
    summary,
    entityIds: facts.entityIds,
    facts: facts.facts,
  };
}

function run<K extends CanonicalEventType>(event: CanonicalEventOf<K>, facts: FactBuilder): TransformResult {
  return TRANSFORMS[event.type](event.data, facts);
}
