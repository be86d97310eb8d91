export type {
  CanonicalEventLike,
  CanonicalEventOfType,
  GeneratedEventData,
  GeneratedEventType,
} from './canonical-event-like';
export { GENERATED_EVENT_TYPES } from './canonical-event-like';
export type { EnterpriseOptions } from './enterprise-profile';
export { DEFAULT_NHIS_PER_PERSON, DEFAULT_SEED, TIMELINE_END, TIMELINE_START } from './enterprise-profile';
export type { BenchTargets, EnterpriseOutline, GeneratedSummary } from './enterprise-generator';
export { describeEnterprise, generateEnterprise, sampleTargets } from './enterprise-generator';
export { writeNdjson } from './ndjson-writer';
